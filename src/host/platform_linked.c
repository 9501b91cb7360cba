/* wsphost.dll's side of the platform: it imports Wine's ws2_32 itself
 * (def/wsphost_platform.def, the forwarders of def/wsphost.def), and so do
 * the providers it loads, so nothing is rebound to reach it. The stand-in
 * ws2_32.dll (standin/ws2_32.c) is where these answer otherwise. */
#include "host.h"

FARPROC host_platform_export(LPCSTR name)
{
    (void)name;
    return NULL;
}

FARPROC host_platform_program_import(const char *name)
{
    (void)name;
    return NULL;
}

/* A DLL a test program loads after wsphost: its run-time look-ups in ws2_32
 * must be answered as the program's are. */
#include <windows.h>

__declspec(dllexport) FARPROC lookup_helper_find(const char *name);

__declspec(dllexport) FARPROC lookup_helper_find(const char *name)
{
    return GetProcAddress(GetModuleHandleA("ws2_32.dll"), name);
}

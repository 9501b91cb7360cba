/* WSPStartup: the one export ws2_32 calls. This first form negotiates the
 * version and refuses to start: the provider proper (chain, proc table,
 * lower provider) is not built yet, and a provider that claimed to start
 * without a proc table would crash its host. */
#include <winsock2.h>
#include <ws2spi.h>

#include <string.h>

#include "wsversion.h"

static const WCHAR sharelsp_description[] = L"ShareLSP layered provider";
_Static_assert(sizeof sharelsp_description <= sizeof(((WSPDATA *)0)->szDescription), "description fits");

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                      WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    (void)lpProtocolInfo;
    (void)UpcallTable;
    if (lpWSPData == NULL)
        return WSAEFAULT;
    lpWSPData->wHighVersion = WSVERSION(2, 2);
    memcpy(lpWSPData->szDescription, sharelsp_description, sizeof sharelsp_description);
    /* Winsock 2 providers serve 2.x callers only. */
    if (!wsversion_negotiate(wVersionRequested, WSVERSION(2, 0), WSVERSION(2, 2), &lpWSPData->wVersion))
        return WSAVERNOTSUPPORTED;
    if (lpProcTable == NULL)
        return WSAEFAULT;
    return WSAEOPNOTSUPP;
}

/* A provider for wsphost's loading tests only. What its WSPStartup does is
 * chosen by the catalog entry's name (szProtocol):
 *   "fail-startup" - refuses to start (WSASYSNOTREADY);
 *   "incomplete"   - returns a proc table without WSPIoctl;
 *   "good"         - checks that WSCGetProviderPath, imported straight from
 *                    ws2_32, answers with its own catalog path (so the host
 *                    bound that import to itself: Wine's own writes nothing),
 *                    that a run-time look-up of it in ws2_32 finds the same
 *                    and one of send stays in ws2_32 (a base provider calls
 *                    the platform's sockets), then serves every call with
 *                    WSAEOPNOTSUPP.
 * Only WSPSocket and WSPCleanup are ever called by the tests. WSPSocket
 * keeps the dwFlags it was called with, for test_provider_socket_flags. */
#include <winsock2.h>
#include <ws2spi.h>

#include <string.h>
#include <wchar.h>

static volatile LONG socket_flags = -1;

/* The dwFlags of the last WSPSocket call, -1 before any. */
LONG WINAPI test_provider_socket_flags(void);
LONG WINAPI test_provider_socket_flags(void) { return socket_flags; }

static SOCKET WSPAPI provider_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g,
                                     DWORD flags, LPINT lpErrno)
{
    (void)af, (void)type, (void)protocol, (void)info, (void)g;
    InterlockedExchange(&socket_flags, (LONG)flags);
    *lpErrno = WSAEOPNOTSUPP;
    return INVALID_SOCKET;
}

static int WSPAPI provider_cleanup(LPINT lpErrno)
{
    (void)lpErrno;
    return 0;
}

static int WSPAPI provider_never_called(void) { return SOCKET_ERROR; }

/* A run-time look-up of WSCGetProviderPath in ws2_32 finds the host's (it
 * writes the path: Wine's writes nothing); one of send stays in ws2_32. */
static BOOL provider_lookups_bound(const GUID *provider_id)
{
    HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll"), send_module = NULL;
    FARPROC send_found = GetProcAddress(ws2, "send");
    if (send_found == NULL ||
        !GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)send_found, &send_module) ||
        send_module != ws2)
        return FALSE;
    int(WSPAPI * get_path)(LPGUID, WCHAR *, LPINT, LPINT) = (int(WSPAPI *)(LPGUID, WCHAR *, LPINT, LPINT))(
        void (*)(void))GetProcAddress(ws2, "WSCGetProviderPath");
    WCHAR path[MAX_PATH] = L"";
    int len = MAX_PATH, err = 0;
    GUID id = *provider_id;
    return get_path != NULL && get_path(&id, path, &len, &err) == 0 && wcsstr(path, L"test_provider.dll") != NULL;
}

static void fill_table(WSPPROC_TABLE *procs)
{
    void (**slots)(void) = (void (**)(void))(void *)procs;
    for (size_t i = 0; i < sizeof *procs / sizeof *slots; i++)
        slots[i] = (void (*)(void))provider_never_called;
    procs->lpWSPSocket = provider_socket;
    procs->lpWSPCleanup = provider_cleanup;
}

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                      WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    (void)UpcallTable;
    lpWSPData->wVersion = wVersionRequested;
    lpWSPData->wHighVersion = MAKEWORD(2, 2);
    if (wcscmp(lpProtocolInfo->szProtocol, L"fail-startup") == 0)
        return WSASYSNOTREADY;
    fill_table(lpProcTable);
    if (wcscmp(lpProtocolInfo->szProtocol, L"incomplete") == 0) {
        lpProcTable->lpWSPIoctl = NULL;
        return 0;
    }
    WCHAR path[MAX_PATH] = L"";
    int len = MAX_PATH, err = 0;
    if (WSCGetProviderPath(&lpProtocolInfo->ProviderId, path, &len, &err) != 0 ||
        wcsstr(path, L"test_provider.dll") == NULL || !provider_lookups_bound(&lpProtocolInfo->ProviderId))
        return WSAEPROVIDERFAILEDINIT;
    return 0;
}

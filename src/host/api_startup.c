/* WSAStartup, WSACleanup, the thread's error, event objects, __WSAFDIsSet. */
#include "api.h"

int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) { return host_startup(wVersionRequested, lpWSAData); }

int WSAAPI WSACleanup(void)
{
    int err = host_cleanup();
    return host_finish(err ? SOCKET_ERROR : 0, &err);
}

/* Winsock's error is the thread's last error, as in ws2_32. */
int WSAAPI WSAGetLastError(void) { return (int)GetLastError(); }
void WSAAPI WSASetLastError(int iError) { SetLastError((DWORD)iError); }

WSAEVENT WSAAPI WSACreateEvent(void)
{
    HANDLE e = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (e == NULL)
        WSASetLastError(WSA_NOT_ENOUGH_MEMORY);
    return e ? e : WSA_INVALID_EVENT;
}

BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent)
{
    if (CloseHandle(hEvent))
        return TRUE;
    WSASetLastError(WSA_INVALID_HANDLE);
    return FALSE;
}

BOOL WSAAPI WSASetEvent(WSAEVENT hEvent)
{
    if (SetEvent(hEvent))
        return TRUE;
    WSASetLastError(WSA_INVALID_HANDLE);
    return FALSE;
}

BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent)
{
    if (ResetEvent(hEvent))
        return TRUE;
    WSASetLastError(WSA_INVALID_HANDLE);
    return FALSE;
}

DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, WINBOOL fWaitAll, DWORD dwTimeout,
                                     WINBOOL fAlertable)
{
    DWORD r = WaitForMultipleObjectsEx(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable);
    if (r == WAIT_FAILED)
        WSASetLastError(cEvents == 0 || cEvents > WSA_MAXIMUM_WAIT_EVENTS ? WSA_INVALID_PARAMETER
                                                                          : WSA_INVALID_HANDLE);
    return r;
}

int WSAAPI __WSAFDIsSet(SOCKET fd, fd_set *set)
{
    if (set == NULL)
        return 0;
    /* By fd_count: the program's FD_SETSIZE may be larger than ours. */
    for (u_int i = 0; i < set->fd_count; i++) {
        if (set->fd_array[i] == fd)
            return 1;
    }
    return 0;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reserved;
    /* Bookkeeping only: the thread's WSATHREADID handle. */
    if (reason == DLL_THREAD_DETACH)
        host_thread_detach();
    return TRUE;
}

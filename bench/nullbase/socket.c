/* nullbase: sockets made, duplicated, connected and closed at once. */
#include "nullbase.h"

SOCKET nullbase_handle_new(LPINT lpErrno)
{
    HANDLE h = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (h == NULL) {
        *lpErrno = WSAENOBUFS;
        return INVALID_SOCKET;
    }
    return (SOCKET)(uintptr_t)h;
}

/* A handle that names no object of this process is no socket of ours. */
static BOOL nullbase_is_handle(SOCKET s)
{
    DWORD flags = 0;
    return GetHandleInformation((HANDLE)(uintptr_t)s, &flags);
}

static SOCKET WSPAPI nullbase_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                                     DWORD dwFlags, LPINT lpErrno)
{
    (void)af, (void)type, (void)protocol, (void)g, (void)dwFlags;
    /* A duplicate's info carries its handle in dwProviderReserved, as
     * wspbase's and MSAFD's do; any other info makes a new socket. */
    DWORD duplicate = lpProtocolInfo != NULL ? lpProtocolInfo->dwProviderReserved : 0;
    if (duplicate == 0)
        return nullbase_handle_new(lpErrno);
    SOCKET s = (SOCKET)(uintptr_t)duplicate;
    if (!nullbase_is_handle(s)) {
        *lpErrno = WSAEINVAL;
        return INVALID_SOCKET;
    }
    return s;
}

static int WSPAPI nullbase_duplicate_socket(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                            LPINT lpErrno)
{
    if (lpProtocolInfo == NULL)
        return nullbase_error(WSAEFAULT, lpErrno);
    HANDLE target = dwProcessId == GetCurrentProcessId() ? GetCurrentProcess()
                                                         : OpenProcess(PROCESS_DUP_HANDLE, FALSE, dwProcessId);
    if (target == NULL)
        return nullbase_error(WSAEINVAL, lpErrno);
    HANDLE copy = NULL;
    BOOL ok = DuplicateHandle(GetCurrentProcess(), (HANDLE)(uintptr_t)s, target, &copy, 0, FALSE,
                              DUPLICATE_SAME_ACCESS);
    if (target != GetCurrentProcess())
        CloseHandle(target);
    if (!ok)
        return nullbase_error(WSAENOTSOCK, lpErrno);
    *lpProtocolInfo = *nullbase_entry();
    /* Kernel handle values fit in 32 bits, as MSAFD's duplicates do. */
    lpProtocolInfo->dwProviderReserved = (DWORD)(uintptr_t)copy;
    return 0;
}

static SOCKET WSPAPI nullbase_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC lpfnCondition,
                                     DWORD_PTR dwCallbackData, LPINT lpErrno)
{
    (void)s, (void)lpfnCondition, (void)dwCallbackData;
    if (addr != NULL && addrlen != NULL) {
        /* A peer that has no address: the family alone. */
        if (*addrlen < (int)sizeof(struct sockaddr_in)) {
            *lpErrno = WSAEFAULT;
            return INVALID_SOCKET;
        }
        struct sockaddr_in none = {.sin_family = AF_INET};
        *(struct sockaddr_in *)addr = none;
        *addrlen = sizeof none;
    }
    return nullbase_handle_new(lpErrno);
}

static int WSPAPI nullbase_bind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno)
{
    (void)s, (void)name, (void)namelen, (void)lpErrno;
    return 0;
}

static int WSPAPI nullbase_listen(SOCKET s, int backlog, LPINT lpErrno)
{
    (void)s, (void)backlog, (void)lpErrno;
    return 0;
}

static int WSPAPI nullbase_connect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                                   LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, LPINT lpErrno)
{
    (void)s, (void)name, (void)namelen, (void)lpCallerData, (void)lpCalleeData, (void)lpSQOS, (void)lpGQOS,
        (void)lpErrno;
    return 0;
}

static SOCKET WSPAPI nullbase_join_leaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                                        LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags,
                                        LPINT lpErrno)
{
    (void)s, (void)name, (void)namelen, (void)lpCallerData, (void)lpCalleeData, (void)lpSQOS, (void)lpGQOS,
        (void)dwFlags;
    /* The entry has no XP1_SUPPORT_MULTIPOINT: no leaf to join. */
    *lpErrno = WSAEOPNOTSUPP;
    return INVALID_SOCKET;
}

static int WSPAPI nullbase_shutdown(SOCKET s, int how, LPINT lpErrno)
{
    (void)s, (void)how, (void)lpErrno;
    return 0;
}

static int WSPAPI nullbase_close_socket(SOCKET s, LPINT lpErrno)
{
    return CloseHandle((HANDLE)(uintptr_t)s) ? 0 : nullbase_error(WSAENOTSOCK, lpErrno);
}

/* Names: the family alone, as an unbound socket reports it. */
static int nullbase_name(struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    if (name == NULL || namelen == NULL || *namelen < (int)sizeof(struct sockaddr_in))
        return nullbase_error(WSAEFAULT, lpErrno);
    struct sockaddr_in none = {.sin_family = AF_INET};
    *(struct sockaddr_in *)name = none;
    *namelen = sizeof none;
    return 0;
}

static int WSPAPI nullbase_get_sock_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    (void)s;
    return nullbase_name(name, namelen, lpErrno);
}

static int WSPAPI nullbase_get_peer_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    (void)s;
    return nullbase_name(name, namelen, lpErrno);
}

void nullbase_fill_socket_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPSocket = nullbase_socket;
    procs->lpWSPDuplicateSocket = nullbase_duplicate_socket;
    procs->lpWSPAccept = nullbase_accept;
    procs->lpWSPBind = nullbase_bind;
    procs->lpWSPListen = nullbase_listen;
    procs->lpWSPConnect = nullbase_connect;
    procs->lpWSPJoinLeaf = nullbase_join_leaf;
    procs->lpWSPShutdown = nullbase_shutdown;
    procs->lpWSPCloseSocket = nullbase_close_socket;
    procs->lpWSPGetSockName = nullbase_get_sock_name;
    procs->lpWSPGetPeerName = nullbase_get_peer_name;
}

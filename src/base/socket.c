/* wspbase: creating, connecting, accepting, duplicating and closing sockets. */
#include "base.h"

/* Wine's ws2_32 marks a duplicate info so; the duplicated handle travels in
 * dwServiceFlags3. MSAFD carries its duplicated handle in
 * dwProviderReserved, the provider's own field, where LSPs written for
 * Windows keep it (Microsoft's sample passes down only that field). */
#define BASE_WINE_DUPLICATE_MAGIC 0xff00ff00u

static int base_check_type(int family, int type, int protocol)
{
    if (family != AF_INET && family != AF_INET6)
        return WSAEAFNOSUPPORT;
    if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_RAW)
        return WSAESOCKTNOSUPPORT;
    /* A raw socket takes any IP protocol; the platform decides whether the
     * process may have one (WSAEACCES). */
    if (type == SOCK_RAW)
        return protocol >= 0 && protocol <= 255 ? 0 : WSAEPROTONOSUPPORT;
    if (protocol != 0 && protocol != (type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP))
        return WSAEPROTONOSUPPORT;
    return 0;
}

/* The duplicated handle an info carries: Wine's marked dwServiceFlags3
 * first (the marker says what the field is), else MSAFD's
 * dwProviderReserved; 0 for an info that is no duplicate's. */
static DWORD base_duplicate_handle(const WSAPROTOCOL_INFOW *info)
{
    if (info->dwServiceFlags4 == BASE_WINE_DUPLICATE_MAGIC && info->dwServiceFlags3 != 0)
        return info->dwServiceFlags3;
    return info->dwProviderReserved;
}

static SOCKET base_restore_duplicate(const WSAPROTOCOL_INFOW *info, DWORD handle, DWORD dwFlags, LPINT lpErrno)
{
    /* The platform restores only its own form. */
    WSAPROTOCOL_INFOW platform = *info;
    platform.dwServiceFlags3 = handle;
    platform.dwServiceFlags4 = BASE_WINE_DUPLICATE_MAGIC;
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &platform, 0, dwFlags);
    /* The platform takes the handle on trust; a forged info may name anything. */
    if (s == INVALID_SOCKET || !base_is_socket(s)) {
        *lpErrno = WSAEINVAL;
        return INVALID_SOCKET;
    }
    return s;
}

static SOCKET WSPAPI base_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                                 DWORD dwFlags, LPINT lpErrno)
{
    DWORD duplicate = lpProtocolInfo != NULL ? base_duplicate_handle(lpProtocolInfo) : 0;
    if (duplicate != 0)
        return base_restore_duplicate(lpProtocolInfo, duplicate, dwFlags, lpErrno);
    if (lpProtocolInfo != NULL) {
        if (af == FROM_PROTOCOL_INFO)
            af = lpProtocolInfo->iAddressFamily;
        if (type == FROM_PROTOCOL_INFO)
            type = lpProtocolInfo->iSocketType;
        if (protocol == FROM_PROTOCOL_INFO)
            protocol = lpProtocolInfo->iProtocol;
    }
    int err = base_check_type(af, type, protocol);
    if (err != 0) {
        *lpErrno = err;
        return INVALID_SOCKET;
    }
    return base_socket_result(WSASocketW(af, type, protocol, NULL, g, dwFlags), lpErrno);
}

static int WSPAPI base_duplicate_socket(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                        LPINT lpErrno)
{
    if (lpProtocolInfo == NULL) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    GUID provider_id;
    DWORD id = base_catalog_entry_for(s, &provider_id);
    if (id == 0) {
        *lpErrno = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    if (base_result(WSADuplicateSocketW(s, dwProcessId, lpProtocolInfo), lpErrno) != 0)
        return SOCKET_ERROR;
    /* Name this provider's entry, so the target's host routes the info back
     * here; the handle goes where MSAFD puts it too; every other field is
     * the platform's and travels as it is. */
    lpProtocolInfo->dwCatalogEntryId = id;
    lpProtocolInfo->ProviderId = provider_id;
    if (lpProtocolInfo->dwServiceFlags4 == BASE_WINE_DUPLICATE_MAGIC)
        lpProtocolInfo->dwProviderReserved = lpProtocolInfo->dwServiceFlags3;
    return 0;
}

static SOCKET WSPAPI base_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC lpfnCondition,
                                 DWORD_PTR dwCallbackData, LPINT lpErrno)
{
    return base_socket_result(WSAAccept(s, addr, addrlen, lpfnCondition, dwCallbackData), lpErrno);
}

static int WSPAPI base_bind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno)
{
    return base_result(bind(s, name, namelen), lpErrno);
}

static int WSPAPI base_listen(SOCKET s, int backlog, LPINT lpErrno) { return base_result(listen(s, backlog), lpErrno); }

static int WSPAPI base_connect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                               LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, LPINT lpErrno)
{
    return base_result(WSAConnect(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS), lpErrno);
}

static SOCKET WSPAPI base_join_leaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                                    LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags, LPINT lpErrno)
{
    return base_socket_result(WSAJoinLeaf(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, dwFlags),
                              lpErrno);
}

static int WSPAPI base_shutdown(SOCKET s, int how, LPINT lpErrno) { return base_result(shutdown(s, how), lpErrno); }

static int WSPAPI base_close_socket(SOCKET s, LPINT lpErrno) { return base_result(closesocket(s), lpErrno); }

void base_fill_socket_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPSocket = base_socket;
    procs->lpWSPDuplicateSocket = base_duplicate_socket;
    procs->lpWSPAccept = base_accept;
    procs->lpWSPBind = base_bind;
    procs->lpWSPListen = base_listen;
    procs->lpWSPConnect = base_connect;
    procs->lpWSPJoinLeaf = base_join_leaf;
    procs->lpWSPShutdown = base_shutdown;
    procs->lpWSPCloseSocket = base_close_socket;
}

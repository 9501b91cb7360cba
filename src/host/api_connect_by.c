/* WSAConnectByName and WSAConnectByList: connecting a stream socket to a
 * name, or to the first of a list of addresses that answers, through the
 * socket's provider. Names are resolved by the platform's getaddrinfo (the
 * host's own export of it forwards there). As Wine's ws2_32 does, the
 * connection is made with the socket as it is (a non-blocking socket fails
 * with WSAEWOULDBLOCK) and the timeout is not applied; the local address
 * reported has port 0, as Windows reports it. */
#include "api.h"

#include <ws2tcpip.h>

#include <stdlib.h>
#include <string.h>

typedef int(WSAAPI *connect_by_getaddrinfo_fn)(const char *, const char *, const struct addrinfo *,
                                               struct addrinfo **);
typedef void(WSAAPI *connect_by_freeaddrinfo_fn)(struct addrinfo *);

/* The size of an address of the socket's family; 0 (WSAENOTSOCK set) for
 * a family that has no stream connections here. */
static int connect_by_address_size(int family)
{
    if (family == AF_INET)
        return sizeof(struct sockaddr_in);
    if (family == AF_INET6)
        return sizeof(struct sockaddr_in6);
    WSASetLastError(WSAENOTSOCK);
    return 0;
}

/* The socket's catalog entry, as the provider reports it; FALSE with the
 * error set. */
static BOOL connect_by_info(SOCKET s, WSAPROTOCOL_INFOW *info)
{
    int length = sizeof *info;
    return getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)info, &length) == 0;
}

/* Connects s to address and waits until the connection is made; then
 * reports the addresses where asked, each buffer at least size long
 * (else WSAEFAULT, the connection made all the same, as ws2_32 does). */
static BOOL connect_by_connect(SOCKET s, const struct sockaddr *address, int size, LPDWORD local_length,
                               struct sockaddr *local, LPDWORD remote_length, struct sockaddr *remote)
{
    if (connect(s, address, size) != 0)
        return FALSE;
    WSAPOLLFD writable = {.fd = s, .events = POLLWRNORM};
    if (WSAPoll(&writable, 1, -1) == SOCKET_ERROR)
        return FALSE;
    if (writable.revents & (POLLERR | POLLHUP | POLLNVAL)) {
        int error = 0, length = sizeof error;
        if (getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&error, &length) == 0)
            WSASetLastError(error);
        return FALSE;
    }
    if (remote_length != NULL && remote != NULL) {
        if (*remote_length < (DWORD)size) {
            WSASetLastError(WSAEFAULT);
            return FALSE;
        }
        memcpy(remote, address, (size_t)size);
        *remote_length = (DWORD)size;
    }
    if (local_length != NULL && local != NULL) {
        if (*local_length < (DWORD)size) {
            WSASetLastError(WSAEFAULT);
            return FALSE;
        }
        int n = size;
        if (getsockname(s, local, &n) != 0)
            return FALSE;
        if (local->sa_family == AF_INET6)
            ((struct sockaddr_in6 *)local)->sin6_port = 0;
        else
            ((struct sockaddr_in *)local)->sin_port = 0;
        *local_length = (DWORD)size;
    }
    return TRUE;
}

BOOL PASCAL WSAConnectByNameA(SOCKET s, LPSTR nodename, LPSTR servicename, LPDWORD LocalAddressLength,
                              LPSOCKADDR LocalAddress, LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                              const PTIMEVAL timeout, LPWSAOVERLAPPED Reserved)
{
    (void)timeout;
    if (nodename == NULL || servicename == NULL || Reserved != NULL) {
        WSASetLastError(WSAEINVAL);
        return FALSE;
    }
    WSAPROTOCOL_INFOW info;
    if (!connect_by_info(s, &info))
        return FALSE;
    connect_by_getaddrinfo_fn resolve = (connect_by_getaddrinfo_fn)(void (*)(void))host_export_for("getaddrinfo");
    connect_by_freeaddrinfo_fn release =
        (connect_by_freeaddrinfo_fn)(void (*)(void))host_export_for("freeaddrinfo");
    if (resolve == NULL || release == NULL) {
        WSASetLastError(WSASYSCALLFAILURE);
        return FALSE;
    }
    struct addrinfo hints, *found = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = info.iAddressFamily;
    hints.ai_socktype = info.iSocketType;
    hints.ai_protocol = info.iProtocol;
    if (resolve(nodename, servicename, &hints, &found) != 0)
        return FALSE; /* getaddrinfo set the error */
    BOOL ok = FALSE;
    int size = 0;
    if (info.iSocketType != SOCK_STREAM)
        WSASetLastError(WSAEFAULT); /* ws2_32's answer for a datagram socket */
    else if ((size = connect_by_address_size(info.iAddressFamily)) != 0)
        ok = connect_by_connect(s, found->ai_addr, size, LocalAddressLength, LocalAddress, RemoteAddressLength,
                                RemoteAddress);
    int error = WSAGetLastError();
    release(found);
    WSASetLastError(error);
    return ok;
}

/* A wide string in the ANSI code page, on the heap; NULL (WSAENOBUFS set)
 * if it cannot be converted. */
static char *connect_by_narrow(const WCHAR *text)
{
    int n = WideCharToMultiByte(CP_ACP, 0, text, -1, NULL, 0, NULL, NULL);
    char *narrow = n > 0 ? malloc((size_t)n) : NULL;
    if (narrow != NULL && WideCharToMultiByte(CP_ACP, 0, text, -1, narrow, n, NULL, NULL) == n)
        return narrow;
    free(narrow);
    WSASetLastError(WSAENOBUFS);
    return NULL;
}

BOOL PASCAL WSAConnectByNameW(SOCKET s, LPWSTR nodename, LPWSTR servicename, LPDWORD LocalAddressLength,
                              LPSOCKADDR LocalAddress, LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                              const PTIMEVAL timeout, LPWSAOVERLAPPED Reserved)
{
    if (nodename == NULL || servicename == NULL) {
        WSASetLastError(WSAEINVAL);
        return FALSE;
    }
    char *node = connect_by_narrow(nodename);
    char *service = node != NULL ? connect_by_narrow(servicename) : NULL;
    BOOL ok = service != NULL && WSAConnectByNameA(s, node, service, LocalAddressLength, LocalAddress,
                                                   RemoteAddressLength, RemoteAddress, timeout, Reserved);
    int error = WSAGetLastError();
    free(node);
    free(service);
    WSASetLastError(error);
    return ok;
}

/* Tries the addresses in their order; the first connection made wins. When
 * none is, the error is the last address's. */
BOOL PASCAL WSAConnectByList(SOCKET s, PSOCKET_ADDRESS_LIST SocketAddressList, LPDWORD LocalAddressLength,
                             LPSOCKADDR LocalAddress, LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                             const PTIMEVAL timeout, LPWSAOVERLAPPED Reserved)
{
    (void)timeout;
    if (SocketAddressList == NULL || SocketAddressList->iAddressCount <= 0 || Reserved != NULL) {
        WSASetLastError(WSAEINVAL);
        return FALSE;
    }
    WSAPROTOCOL_INFOW info;
    if (!connect_by_info(s, &info))
        return FALSE;
    if (info.iSocketType != SOCK_STREAM) {
        WSASetLastError(WSAEFAULT);
        return FALSE;
    }
    int size = connect_by_address_size(info.iAddressFamily);
    if (size == 0)
        return FALSE;
    for (INT i = 0; i < SocketAddressList->iAddressCount; i++) {
        const SOCKET_ADDRESS *a = &SocketAddressList->Address[i];
        if (a->lpSockaddr == NULL || a->iSockaddrLength < size) {
            WSASetLastError(WSAEFAULT);
            continue;
        }
        if (connect_by_connect(s, a->lpSockaddr, size, LocalAddressLength, LocalAddress, RemoteAddressLength,
                               RemoteAddress))
            return TRUE;
        if (WSAGetLastError() == WSAEFAULT || WSAGetLastError() == WSAEISCONN)
            return FALSE; /* connected, only the caller's buffers are short; or was already */
    }
    return FALSE;
}

/* Creating, connecting, accepting, duplicating and closing sockets. */
#include "api.h"

#include <string.h>

/* The error of a request refused before any entry is looked at, or 0. */
static int host_create_refusal(int af, int type, int protocol, bool with_info)
{
    if (af == AF_UNSPEC && protocol == 0)
        return WSAEINVAL; /* nothing to match a family or a type by */
    if (!with_info)
        return 0;
    if (af == AF_UNSPEC)
        return WSAEAFNOSUPPORT;
    /* Still FROM_PROTOCOL_INFO: the info has no value either, and the
     * provider would read it as "the info's" once more. */
    if (af == FROM_PROTOCOL_INFO)
        return WSAEAFNOSUPPORT;
    if (type == FROM_PROTOCOL_INFO)
        return WSAESOCKTNOSUPPORT;
    return protocol == FROM_PROTOCOL_INFO ? WSAEPROTONOSUPPORT : 0;
}

/* What ws2_32 makes of WSASocket's arguments (Wine's WSASocketW, and Wine's
 * sock.c test_WSASocket as Windows passes it). With an info, a value given
 * as FROM_PROTOCOL_INFO or 0 is the info's, and the info's entry serves the
 * socket. Without one, the first visible entry that serves the request
 * does, and gives what the request left 0. The provider gets the values
 * resolved. */
static SOCKET host_create(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags)
{
    if (!host_is_started()) {
        WSASetLastError(WSANOTINITIALISED);
        return INVALID_SOCKET;
    }
    if (info != NULL) {
        af = af == FROM_PROTOCOL_INFO || af == 0 ? info->iAddressFamily : af;
        type = type == FROM_PROTOCOL_INFO || type == 0 ? info->iSocketType : type;
        protocol = protocol == FROM_PROTOCOL_INFO || protocol == 0 ? info->iProtocol : protocol;
    }
    int err = host_create_refusal(af, type, protocol, info != NULL);
    WSAPROTOCOL_INFOW chosen;
    if (err == 0 && info != NULL) {
        chosen = *info;
    } else if (err == 0 && (err = host_pick_entry(af, type, protocol, &chosen)) == 0) {
        af = af != AF_UNSPEC ? af : chosen.iAddressFamily;
        type = type != 0 ? type : chosen.iSocketType;
        protocol = protocol != 0 ? protocol : chosen.iProtocol;
    }
    host_provider *p = NULL;
    if (err == 0)
        err = host_provider_for(chosen.dwCatalogEntryId, &p);
    if (err != 0) {
        WSASetLastError(err);
        return INVALID_SOCKET;
    }
    SOCKET s = p->procs.lpWSPSocket(af, type, protocol, info != NULL ? info : &chosen, g, flags, &err);
    if (s == INVALID_SOCKET) {
        WSASetLastError(err);
        return INVALID_SOCKET;
    }
    host_adopt_socket(s, p->catalog_id);
    WSASetLastError(0); /* as ws2_32: a socket made clears the thread's error */
    return s;
}

SOCKET WSAAPI WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                         DWORD dwFlags)
{
    return host_create(af, type, protocol, lpProtocolInfo, g, dwFlags);
}

SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
                         DWORD dwFlags)
{
    WSAPROTOCOL_INFOW w;
    if (lpProtocolInfo != NULL)
        protocol_info_a_to_w(lpProtocolInfo, &w);
    return host_create(af, type, protocol, lpProtocolInfo ? &w : NULL, g, dwFlags);
}

SOCKET WSAAPI socket(int af, int type, int protocol)
{
    /* Overlapped sockets, unless the thread's SO_OPENTYPE says otherwise. */
    return host_create(af, type, protocol, NULL, 0, host_opentype() != 0 ? 0 : WSA_FLAG_OVERLAPPED);
}

int WSAAPI closesocket(SOCKET s)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    host_entry_set_closing(route_call_.entry, true);
    int r = p->procs.lpWSPCloseSocket(s, &err);
    host_entry_set_closing(route_call_.entry, false);
    /* An upcall handle is the provider's to release (WPUCloseSocketHandle).
     * An IFS handle's entry is unlisted, this one only: the value may be a
     * new socket's already. */
    if (r == 0 && !host_entry_handle(route_call_.entry)->from_upcall)
        host_entry_remove(route_call_.entry);
    return host_finish(r, &err);
}

int WSAAPI bind(SOCKET s, const struct sockaddr *name, int namelen)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPBind(s, name, namelen, &err), &err);
}

int WSAAPI listen(SOCKET s, int backlog)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPListen(s, backlog, &err), &err);
}

SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC lpfnCondition,
                        DWORD_PTR dwCallbackData)
{
    HOST_ROUTE(s, p, INVALID_SOCKET);
    int err = 0;
    SOCKET a = p->procs.lpWSPAccept(s, addr, addrlen, lpfnCondition, dwCallbackData, &err);
    if (a == INVALID_SOCKET) {
        WSASetLastError(err);
        return INVALID_SOCKET;
    }
    host_adopt_socket(a, p->catalog_id);
    return a;
}

SOCKET WSAAPI accept(SOCKET s, struct sockaddr *addr, int *addrlen) { return WSAAccept(s, addr, addrlen, NULL, 0); }

int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                      LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPConnect(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, &err), &err);
}

int WSAAPI connect(SOCKET s, const struct sockaddr *name, int namelen)
{
    return WSAConnect(s, name, namelen, NULL, NULL, NULL, NULL);
}

int WSAAPI shutdown(SOCKET s, int how)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPShutdown(s, how, &err), &err);
}

/* ws2_32's order (Wine's, and Wine's sock.c test_WSADuplicateSocket on
 * Windows): the socket (WSAENOTSOCK), then the target process, which must
 * be one a handle can be duplicated into (WSAEINVAL), then the info
 * (WSAEFAULT); only then the provider. So every provider answers a bad call
 * alike. */
static int host_duplicate_refusal(DWORD process_id, const void *info)
{
    HANDLE process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, process_id);
    if (process == NULL)
        return WSAEINVAL;
    CloseHandle(process);
    return info == NULL ? WSAEFAULT : 0;
}

int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo)
{
    /* The process is tried before the socket is looked up, and its error
     * given after the socket's: a handle opened between the look-up and the
     * provider would take the value of a socket another thread just closed,
     * and the provider would be handed the process as that socket. */
    int err = host_duplicate_refusal(dwProcessId, lpProtocolInfo);
    HOST_ROUTE(s, p, SOCKET_ERROR);
    if (err != 0)
        return host_finish(SOCKET_ERROR, &err);
    return host_finish(p->procs.lpWSPDuplicateSocket(s, dwProcessId, lpProtocolInfo, &err), &err);
}

int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOA lpProtocolInfo)
{
    WSAPROTOCOL_INFOW w;
    /* No info: the W form refuses it, after the checks that come first. */
    int r = WSADuplicateSocketW(s, dwProcessId, lpProtocolInfo != NULL ? &w : NULL);
    if (r != 0)
        return r;
    protocol_info_w_to_a(&w, lpProtocolInfo);
    return 0;
}

/* Creating, connecting, accepting, duplicating and closing sockets. */
#include "api.h"

#include <string.h>

static SOCKET host_create(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags)
{
    if (!host_is_started()) {
        WSASetLastError(WSANOTINITIALISED);
        return INVALID_SOCKET;
    }
    WSAPROTOCOL_INFOW chosen;
    int err = 0;
    if (info != NULL) {
        /* A duplicate's info, or one from WSAEnumProtocols: its entry decides. */
        chosen = *info;
    } else if ((err = host_pick_entry(af, type, protocol, &chosen)) != 0) {
        WSASetLastError(err);
        return INVALID_SOCKET;
    }
    host_provider *p = NULL;
    if ((err = host_provider_for(chosen.dwCatalogEntryId, &p)) != 0) {
        WSASetLastError(err);
        return INVALID_SOCKET;
    }
    SOCKET s = p->procs.lpWSPSocket(af, type, protocol, info != NULL ? info : &chosen, g, flags, &err);
    if (s == INVALID_SOCKET) {
        WSASetLastError(err);
        return INVALID_SOCKET;
    }
    host_adopt_socket(s, p->catalog_id);
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
    /* ws2_32's socket() makes overlapped-capable sockets. */
    return host_create(af, type, protocol, NULL, 0, WSA_FLAG_OVERLAPPED);
}

int WSAAPI closesocket(SOCKET s)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    int r = p->procs.lpWSPCloseSocket(s, &err);
    if (r == 0) {
        host_handle h;
        /* An upcall handle is the provider's to release (WPUCloseSocketHandle). */
        if (host_handle_get(s, &h) && !h.from_upcall)
            host_handle_remove(s, NULL);
    }
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

int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPDuplicateSocket(s, dwProcessId, lpProtocolInfo, &err), &err);
}

int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOA lpProtocolInfo)
{
    if (lpProtocolInfo == NULL) {
        WSASetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    WSAPROTOCOL_INFOW w;
    int r = WSADuplicateSocketW(s, dwProcessId, &w);
    if (r != 0)
        return r;
    protocol_info_w_to_a(&w, lpProtocolInfo);
    return 0;
}

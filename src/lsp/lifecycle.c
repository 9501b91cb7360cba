/* Creating, binding, connecting, accepting, shutting down and closing. Each
 * call takes the descriptor (a reference held for the call) and calls the
 * lower provider with the lower socket. */
#include "lsp.h"

#include "layer_calls.h"


static SOCKET socket_through(lsp_entry *entry, int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                             GROUP g, DWORD dwFlags, LPINT lpErrno)
{
    BOOL handled = FALSE;
    SOCKET s = lsp_socket_from_duplicate(entry, lpProtocolInfo, dwFlags, &handled, lpErrno);
    if (handled)
        return s;
    /* A new socket. FROM_PROTOCOL_INFO takes family, type and protocol from
     * the info, filled by WSAEnumProtocols or by hand, and a hand-filled
     * info is taken at its word, as ws2_32 takes it. A request left with
     * neither family nor protocol (an info naming our entry and nothing
     * else) is refused as ws2_32 refuses it: the lower entry's triple must
     * not stand in for it. */
    if (af == FROM_PROTOCOL_INFO)
        af = lpProtocolInfo->iAddressFamily;
    if (type == FROM_PROTOCOL_INFO)
        type = lpProtocolInfo->iSocketType;
    if (protocol == FROM_PROTOCOL_INFO)
        protocol = lpProtocolInfo->iProtocol;
    if ((af == AF_UNSPEC && protocol == 0) || af == FROM_PROTOCOL_INFO || type == FROM_PROTOCOL_INFO ||
        protocol == FROM_PROTOCOL_INFO) {
        *lpErrno = WSAEINVAL;
        return INVALID_SOCKET;
    }
    SOCKET lower = entry->lower->procs.lpWSPSocket(af, type, protocol, &entry->lower_info, g, dwFlags, lpErrno);
    if (lower == INVALID_SOCKET)
        return INVALID_SOCKET;
    return lsp_adopt_lower(entry, lower, SHARELSP_ORIGIN_SOCKET, lpErrno);
}

static SOCKET WSPAPI lsp_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                                DWORD dwFlags, LPINT lpErrno)
{
    lsp_entry *entry = lpProtocolInfo != NULL ? lsp_entry_take(lpProtocolInfo->dwCatalogEntryId) : NULL;
    if (entry == NULL) {
        *lpErrno = WSAEINVAL;
        return INVALID_SOCKET;
    }
    SOCKET s = socket_through(entry, af, type, protocol, lpProtocolInfo, g, dwFlags, lpErrno);
    lsp_entry_drop(entry);
    return s;
}

static int WSPAPI lsp_close_socket(SOCKET s, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor_ungated(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    close_result r;
    int err = 0;
    core_status st = table_close(lsp_table, d, lsp_close_last, &err, &r);
    if (st != CORE_OK) {
        /* A refused lower close (WSAEWOULDBLOCK: a non-blocking socket that
         * lingers) changed nothing: the application may retry. */
        descriptor_release(d);
        *lpErrno = st == CORE_ERR_REFUSED ? err : lsp_wsa_error(st);
        return SOCKET_ERROR;
    }
    lsp_finish_close(&r);
    /* The requests the close aborted still complete through the handle
     * (its event, its completion port): the last of them closes it. */
    if (descriptor_handle_close(d)) {
        int ignored = 0;
        lsp_upcalls.lpWPUCloseSocketHandle(s, &ignored);
    }
    descriptor_release(d);
    return 0;
}

static SOCKET WSPAPI lsp_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC lpfnCondition,
                                DWORD_PTR dwCallbackData, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return INVALID_SOCKET;
    sock_object *listener = d->object;
    SOCKET lower = lsp_lower_procs(listener)->lpWSPAccept(lsp_lower_socket(listener), addr, addrlen, lpfnCondition,
                                                          dwCallbackData, lpErrno);
    SOCKET accepted = INVALID_SOCKET;
    int refused = LSP_LAYER_HAS(accept) && lower != INVALID_SOCKET ? lsp_layer_accept(d, lower) : 0;
    if (refused != 0) {
        /* Closed before the application sees it: the peer is reset. */
        lsp_refuse_connection(lsp_lower_procs(listener), lower, true);
        *lpErrno = refused;
    } else if (lower != INVALID_SOCKET) {
        accepted = lsp_adopt_lower(lsp_socket_entry(listener), lower, SHARELSP_ORIGIN_ACCEPT, lpErrno);
        if (accepted != INVALID_SOCKET)
            lsp_slot_inherit(listener, accepted);
    }
    lsp_done(d, lpErrno);
    return accepted;
}

static int WSPAPI lsp_bind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int refused = LSP_LAYER_HAS(bind) ? lsp_layer_bind(d, name, namelen) : 0;
    int r = refused != 0 ? lsp_fail(lpErrno, refused)
                         : lsp_lower_procs(d->object)->lpWSPBind(lsp_lower_socket(d->object), name, namelen, lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_listen(SOCKET s, int backlog, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int refused = LSP_LAYER_HAS(listen) ? lsp_layer_listen(d, backlog) : 0;
    int r = refused != 0 ? lsp_fail(lpErrno, refused)
                         : lsp_lower_procs(d->object)->lpWSPListen(lsp_lower_socket(d->object), backlog, lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_connect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                              LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    /* A null address is WSAEFAULT by the contract; the base might not check
     * it (Wine's ws2_32 reads it). */
    SOCKADDR_STORAGE routed;
    int refused = lsp_layer_route(d, SHARELSP_DESTINATION_CONNECT, &name, &namelen, &routed);
    int r = name == NULL ? lsp_fail(lpErrno, WSAEFAULT)
            : refused != 0 ? lsp_fail(lpErrno, refused)
                           : lsp_lower_procs(d->object)->lpWSPConnect(lsp_lower_socket(d->object), name, namelen,
                                                                      lpCallerData, lpCalleeData, lpSQOS, lpGQOS,
                                                                      lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static SOCKET WSPAPI lsp_join_leaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                                   LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return INVALID_SOCKET;
    SOCKET lower = lsp_lower_socket(d->object);
    SOCKADDR_STORAGE routed;
    int refused = lsp_layer_route(d, SHARELSP_DESTINATION_JOIN_LEAF, &name, &namelen, &routed);
    SOCKET joined = INVALID_SOCKET;
    if (name == NULL) /* WSAEFAULT by the contract, as connect's */
        *lpErrno = WSAEFAULT;
    else if (refused != 0)
        *lpErrno = refused;
    else
        joined = lsp_lower_procs(d->object)->lpWSPJoinLeaf(lower, name, namelen, lpCallerData, lpCalleeData, lpSQOS,
                                                           lpGQOS, dwFlags, lpErrno);
    SOCKET result = INVALID_SOCKET;
    if (joined == lower)
        result = s; /* a non-rooted leaf: the same socket */
    else if (joined != INVALID_SOCKET)
        result = lsp_adopt_lower(lsp_socket_entry(d->object), joined, SHARELSP_ORIGIN_SOCKET, lpErrno);
    lsp_done(d, lpErrno);
    return result;
}

static int WSPAPI lsp_shutdown(SOCKET s, int how, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = lsp_lower_procs(d->object)->lpWSPShutdown(lsp_lower_socket(d->object), how, lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_get_sock_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = namelen == NULL ? lsp_fail(lpErrno, WSAEFAULT)
                            : lsp_lower_procs(d->object)->lpWSPGetSockName(lsp_lower_socket(d->object), name,
                                                                           namelen, lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_get_peer_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = namelen == NULL ? lsp_fail(lpErrno, WSAEFAULT)
                            : lsp_lower_procs(d->object)->lpWSPGetPeerName(lsp_lower_socket(d->object), name,
                                                                           namelen, lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_cancel_blocking_call(LPINT lpErrno)
{
    /* Winsock 2.2 has no blocking hooks to cancel. */
    *lpErrno = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

void lsp_fill_lifecycle_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPSocket = lsp_socket;
    procs->lpWSPCloseSocket = lsp_close_socket;
    procs->lpWSPAccept = lsp_accept;
    procs->lpWSPBind = lsp_bind;
    procs->lpWSPListen = lsp_listen;
    procs->lpWSPConnect = lsp_connect;
    procs->lpWSPJoinLeaf = lsp_join_leaf;
    procs->lpWSPShutdown = lsp_shutdown;
    procs->lpWSPGetSockName = lsp_get_sock_name;
    procs->lpWSPGetPeerName = lsp_get_peer_name;
    procs->lpWSPCancelBlockingCall = lsp_cancel_blocking_call;
}

/* Calls into the DLL's layer (include/sharelsp/layer.h). Each hook runs with
 * the socket's block held in place (object_block_enter), since its storage
 * lives there and the block moves into a section at the socket's first
 * duplication. */
#include "layer_calls.h"

#include "lower_gate.h"

#include <string.h>

static void layer_identity(sharelsp_socket *id, descriptor *d, sock_object *object, shared_block *block)
{
    const WSAPROTOCOL_INFOW *info = &lsp_socket_entry(object)->info;
    id->id = block->shared_id;
    id->descriptor = d != NULL && d->upper != 0 ? (SOCKET)d->upper : INVALID_SOCKET;
    id->pid = GetCurrentProcessId();
    id->family = info->iAddressFamily;
    id->type = info->iSocketType;
    id->protocol = info->iProtocol;
    id->storage = (volatile LONG64 *)block->layer;
    id->internal = object;
}

int lsp_layer_socket(descriptor *d, sharelsp_origin origin)
{
    sharelsp_socket id;
    layer_identity(&id, d, d->object, object_block_enter(d->object));
    int err = sharelsp_layer_definition.socket(&id, origin);
    object_block_leave(d->object);
    return err;
}

int lsp_layer_bind(descriptor *d, const struct sockaddr *name, int namelen)
{
    sharelsp_socket id;
    layer_identity(&id, d, d->object, object_block_enter(d->object));
    int err = sharelsp_layer_definition.bind(&id, name, namelen);
    object_block_leave(d->object);
    return err;
}

int lsp_layer_reroute(descriptor *d, sharelsp_destination_kind kind, const struct sockaddr **to, int *to_length,
                      SOCKADDR_STORAGE *copy)
{
    /* A negative length reaches the provider below as it came, to be
     * refused there; a longer one than any address is cut to the copy,
     * which holds every address family's. */
    if (*to_length < 0)
        return 0;
    int length = *to_length < (int)sizeof *copy ? *to_length : (int)sizeof *copy;
    memset(copy, 0, sizeof *copy);
    memcpy(copy, *to, (size_t)length);
    sharelsp_socket id;
    layer_identity(&id, d, d->object, object_block_enter(d->object));
    int err = sharelsp_layer_definition.destination(&id, kind, (struct sockaddr *)copy, &length);
    object_block_leave(d->object);
    if (err == 0) {
        *to = (const struct sockaddr *)copy;
        *to_length = length < 0 || length > (int)sizeof *copy ? (int)sizeof *copy : length;
    }
    return err;
}

int lsp_layer_listen(descriptor *d, int backlog)
{
    sharelsp_socket id;
    layer_identity(&id, d, d->object, object_block_enter(d->object));
    int err = sharelsp_layer_definition.listen(&id, backlog);
    object_block_leave(d->object);
    return err;
}

int lsp_layer_accept(descriptor *listener, SOCKET lower_accepted)
{
    /* The peer as the provider below names it: the application's own
     * address buffer may be absent or short. */
    SOCKADDR_STORAGE peer;
    int peerlen = sizeof peer, ignored = 0;
    memset(&peer, 0, sizeof peer);
    if (lsp_lower_procs(listener->object)->lpWSPGetPeerName(lower_accepted, (struct sockaddr *)&peer, &peerlen,
                                                             &ignored) != 0)
        peerlen = 0;
    sharelsp_socket id;
    layer_identity(&id, listener, listener->object, object_block_enter(listener->object));
    int err = sharelsp_layer_definition.accept(&id, (const struct sockaddr *)&peer, peerlen);
    object_block_leave(listener->object);
    return err;
}

void lsp_layer_data(descriptor *d, bool sent, uint64_t bytes)
{
    sharelsp_socket id;
    layer_identity(&id, d, d->object, object_block_enter(d->object));
    sharelsp_layer_definition.data(&id, sent ? SHARELSP_SENT : SHARELSP_RECEIVED, bytes);
    object_block_leave(d->object);
}

void lsp_layer_sending(descriptor *d, const WSABUF *buffers, DWORD count)
{
    uint64_t offered = 0;
    for (DWORD i = 0; buffers != NULL && i < count; i++)
        offered += buffers[i].len;
    sharelsp_socket id;
    layer_identity(&id, d, d->object, object_block_enter(d->object));
    sharelsp_layer_definition.payload(&id, SHARELSP_SENT, buffers, count, offered);
    object_block_leave(d->object);
}

void lsp_layer_received(descriptor *d, const WSABUF *buffers, DWORD count, DWORD bytes)
{
    sharelsp_socket id;
    layer_identity(&id, d, d->object, object_block_enter(d->object));
    sharelsp_layer_definition.payload(&id, SHARELSP_RECEIVED, buffers, count, bytes);
    object_block_leave(d->object);
}

int lsp_layer_option(descriptor *d, int level, int name, const char *value, int length)
{
    sharelsp_socket id;
    layer_identity(&id, d, d->object, object_block_enter(d->object));
    int err = sharelsp_layer_definition.option(&id, level, name, value, length);
    object_block_leave(d->object);
    return err;
}

void lsp_layer_close(sock_object *object, sharelsp_close_kind kind)
{
    sharelsp_socket id;
    layer_identity(&id, NULL, object, object_block_enter(object));
    sharelsp_layer_definition.close(&id, kind);
    object_block_leave(object);
}

/* --- what a hook may ask of ShareLSP --- */

void sharelsp_socket_names(const sharelsp_socket *s, struct sockaddr *local, int *local_length,
                           struct sockaddr *peer, int *peer_length)
{
    /* Through the lower gate: a hook may run outside any call on the socket
     * (an overlapped request's, on the pool), and a closing lower socket's
     * value may already name another. */
    sock_object *object = s->internal;
    bool open = lower_gate_enter(object);
    WSPPROC_TABLE *procs = lsp_lower_procs(object);
    int err = 0;
    if (local != NULL && (!open || procs->lpWSPGetSockName(lsp_lower_socket(object), local, local_length, &err) != 0))
        *local_length = 0;
    if (peer != NULL && (!open || procs->lpWSPGetPeerName(lsp_lower_socket(object), peer, peer_length, &err) != 0))
        *peer_length = 0;
    if (open)
        lower_gate_leave(object);
}

void sharelsp_socket_stats(const sharelsp_socket *s, sharelsp_stats *stats)
{
    /* The hook holds the block in place: read it where the storage is. */
    block_stats((shared_block *)((char *)s->storage - offsetof(shared_block, layer)), stats);
}

HMODULE sharelsp_layer_module(void) { return lsp_module(); }

/* ShareLSP's side of include/sharelsp/layer.h: each lsp_layer_* calls one
 * hook of the DLL's layer with the socket's identity and storage. Callers
 * test the hook first (LSP_LAYER_HAS), so a layer without it costs one
 * predictable branch: the layer is a constant of the DLL. */
#ifndef SHARELSP_LSP_LAYER_CALLS_H
#define SHARELSP_LSP_LAYER_CALLS_H

#include "lsp.h"

#include <sharelsp/layer.h>

#define LSP_LAYER_HAS(hook) (sharelsp_layer_definition.hook != NULL)

int lsp_layer_socket(descriptor *d, sharelsp_origin origin);
int lsp_layer_bind(descriptor *d, const struct sockaddr *name, int namelen);
/* *name and *namelen are ShareLSP's copy of the address, changed by the
 * hook where it redirects. */
int lsp_layer_destination(descriptor *d, sharelsp_destination_kind kind, SOCKADDR_STORAGE *name, int *namelen);
int lsp_layer_listen(descriptor *d, int backlog);
int lsp_layer_accept(descriptor *listener, SOCKET lower_accepted);
void lsp_layer_data(descriptor *d, bool sent, uint64_t bytes);
/* A send's buffers, before it starts (the bytes they offer). */
void lsp_layer_sending(descriptor *d, const WSABUF *buffers, DWORD count);
/* A receive's buffers, after it finished: bytes arrived, which the hook
 * may have rewritten in place. */
void lsp_layer_received(descriptor *d, const WSABUF *buffers, DWORD count, DWORD bytes);
int lsp_layer_option(descriptor *d, int level, int name, const char *value, int length);
void lsp_layer_close(sock_object *object, sharelsp_close_kind kind);

/* Counts a send or a receive (object_count), and tells the layer. */
static inline void lsp_count(descriptor *d, bool sent, uint64_t bytes)
{
    object_count(d->object, sent, bytes);
    if (LSP_LAYER_HAS(data))
        lsp_layer_data(d, sent, bytes);
}

/* A receive that finished: the layer sees (and may rewrite) its bytes
 * before the application does; then they are counted. */
static inline void lsp_count_received(descriptor *d, const WSABUF *buffers, DWORD count, DWORD bytes)
{
    if (LSP_LAYER_HAS(payload))
        lsp_layer_received(d, buffers, count, bytes);
    lsp_count(d, false, bytes);
}

int lsp_layer_reroute(descriptor *d, sharelsp_destination_kind kind, const struct sockaddr **to, int *to_length,
                      SOCKADDR_STORAGE *copy);

/* A destination the layer may refuse or change: with a hook, *to and
 * *to_length are pointed at ShareLSP's copy (copy), which the hook saw and
 * may have changed. 0, or the layer's Winsock error. */
static inline int lsp_layer_route(descriptor *d, sharelsp_destination_kind kind, const struct sockaddr **to,
                                  int *to_length, SOCKADDR_STORAGE *copy)
{
    return LSP_LAYER_HAS(destination) && *to != NULL ? lsp_layer_reroute(d, kind, to, to_length, copy) : 0;
}

#endif

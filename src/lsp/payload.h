/* The bytes of sends and receives, for the layer's payload hook
 * (include/sharelsp/layer.h). A layer that rewrites sends
 * (SHARELSP_PAYLOAD_REWRITE_SENT) is shown a copy of ShareLSP's own, which
 * goes down in place of the program's buffers: the program's memory is
 * never written. Callers test LSP_LAYER_HAS(payload) first. */
#ifndef SHARELSP_LSP_PAYLOAD_H
#define SHARELSP_LSP_PAYLOAD_H

#include "lsp.h"

#include "overlapped.h"

#define LSP_LAYER_REWRITES_SENT ((sharelsp_layer_definition.payload_flags & SHARELSP_PAYLOAD_REWRITE_SENT) != 0)

/* One allocation, freed with free(): the buffers, then their bytes. */
typedef struct lsp_send_copy {
    WSAMSG msg; /* WSASendMsg: the program's message, sending the copy's buffers */
    DWORD count;
    WSABUF buffers[];
} lsp_send_copy;

/* A blocking send: shows its buffers to the layer, through a copy where it
 * rewrites sends (*buffers then points at the copy's, which *copy owns
 * until the caller frees it after the lower call). Buffers the process may
 * not read are not shown: the provider below refuses them. 0, or WSAENOBUFS (no memory for the copy; the hook not called). */
int lsp_payload_send(descriptor *d, LPWSABUF *buffers, DWORD count, lsp_send_copy **copy);

/* An overlapped send's copy, made before its request starts (NULL where the
 * layer does not rewrite sends, or the request sends no bytes). 0, or
 * WSAENOBUFS. */
int lsp_payload_copy_request(const lsp_io_args *args, lsp_send_copy **copy);

/* Shows an overlapped send's bytes to the layer just before it starts:
 * through copy where there is one, and then the returned arguments (shown,
 * or the copy's message) send the copy. Other kinds: args as they came. */
const lsp_io_args *lsp_payload_show_request(descriptor *d, const lsp_io_args *args, lsp_send_copy *copy,
                                            lsp_io_args *shown);

/* The buffers an overlapped receive fills, for the hook when it finished
 * (NULL where it fills none): recv, recvfrom, WSARecvMsg, AcceptEx's first
 * data. */
const WSABUF *lsp_payload_receives(const lsp_io_args *args, DWORD *count);

#endif

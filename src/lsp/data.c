/* Sending and receiving. Bytes and calls are counted in the socket's shared
 * block, so every descriptor in every process sees one set of counters
 * (object_count: atomic additions, no lock).
 * Overlapped requests go through overlapped.c: ShareLSP issues its own lower
 * request and completes the application's when it finishes. */
#include "lsp.h"

#include <stdlib.h>

#include "layer_calls.h"
#include "overlapped.h"
#include "payload.h"

/* The out-parameters a blocking call writes (flags: receives only). */
static bool lsp_io_refused(LPDWORD bytes, bool receive, LPDWORD flags, LPINT lpErrno)
{
    if (bytes == NULL || (receive && flags == NULL)) {
        *lpErrno = WSAEFAULT;
        return true;
    }
    return false;
}

/* A blocking send or sendto (send_to) shown to the layer's payload hook
 * first, and sent through its copy where it rewrites sends; the copy is
 * freed once the provider below returned (it copies or sends the bytes in
 * its call). */
static int lsp_send_shown(descriptor *d, LPWSABUF buffers, DWORD count, LPDWORD sent, DWORD flags, bool send_to,
                          const struct sockaddr *to, int to_length, LPINT lpErrno)
{
    lsp_send_copy *copy = NULL;
    int err = lsp_payload_send(d, &buffers, count, &copy);
    if (err != 0)
        return lsp_fail(lpErrno, err);
    WSPPROC_TABLE *lower = lsp_lower_procs(d->object);
    SOCKET s = lsp_lower_socket(d->object);
    int r = send_to ? lower->lpWSPSendTo(s, buffers, count, sent, flags, to, to_length, NULL, NULL, NULL, lpErrno)
                    : lower->lpWSPSend(s, buffers, count, sent, flags, NULL, NULL, NULL, lpErrno);
    free(copy);
    return r;
}

static int lsp_overlapped_io(SOCKET s, const lsp_io_args *args, LPWSAOVERLAPPED lpOverlapped,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                             LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = lsp_overlapped_start(d, s, args, lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_send(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                           DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                           LPINT lpErrno)
{
    if (lpOverlapped != NULL) {
        lsp_io_args a = {.kind = LSP_IO_SEND, .buffers = lpBuffers, .count = dwBufferCount,
                         .bytes = lpNumberOfBytesSent, .flags = dwFlags};
        return lsp_overlapped_io(s, &a, lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
    }
    if (lsp_io_refused(lpNumberOfBytesSent, false, NULL, lpErrno))
        return SOCKET_ERROR;
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = LSP_LAYER_HAS(payload)
                ? lsp_send_shown(d, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, false, NULL, 0, lpErrno)
                : lsp_lower_procs(d->object)->lpWSPSend(lsp_lower_socket(d->object), lpBuffers, dwBufferCount,
                                                        lpNumberOfBytesSent, dwFlags, NULL, NULL, NULL, lpErrno);
    if (r == 0)
        lsp_count(d, true, *lpNumberOfBytesSent);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_send_to(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                              DWORD dwFlags, const struct sockaddr *lpTo, int iTolen, LPWSAOVERLAPPED lpOverlapped,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                              LPINT lpErrno)
{
    if (lpOverlapped != NULL) {
        lsp_io_args a = {.kind = LSP_IO_SEND_TO, .buffers = lpBuffers, .count = dwBufferCount,
                         .bytes = lpNumberOfBytesSent, .flags = dwFlags, .to = lpTo, .to_length = iTolen};
        return lsp_overlapped_io(s, &a, lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
    }
    if (lsp_io_refused(lpNumberOfBytesSent, false, NULL, lpErrno))
        return SOCKET_ERROR;
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    SOCKADDR_STORAGE routed;
    int refused = lsp_layer_route(d, SHARELSP_DESTINATION_SEND_TO, &lpTo, &iTolen, &routed);
    int r = refused != 0           ? lsp_fail(lpErrno, refused)
            : LSP_LAYER_HAS(payload) ? lsp_send_shown(d, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, true,
                                                      lpTo, iTolen, lpErrno)
                                     : lsp_lower_procs(d->object)->lpWSPSendTo(lsp_lower_socket(d->object), lpBuffers,
                                                                               dwBufferCount, lpNumberOfBytesSent,
                                                                               dwFlags, lpTo, iTolen, NULL, NULL, NULL,
                                                                               lpErrno);
    if (r == 0)
        lsp_count(d, true, *lpNumberOfBytesSent);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_recv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                           LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                           LPINT lpErrno)
{
    if (lpOverlapped != NULL) {
        lsp_io_args a = {.kind = LSP_IO_RECV, .buffers = lpBuffers, .count = dwBufferCount,
                         .bytes = lpNumberOfBytesRecvd, .recv_flags = lpFlags};
        return lsp_overlapped_io(s, &a, lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
    }
    if (lsp_io_refused(lpNumberOfBytesRecvd, true, lpFlags, lpErrno))
        return SOCKET_ERROR;
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = lsp_lower_procs(d->object)->lpWSPRecv(lsp_lower_socket(d->object), lpBuffers, dwBufferCount,
                                                  lpNumberOfBytesRecvd, lpFlags, NULL, NULL, NULL, lpErrno);
    if (r == 0)
        lsp_count_received(d, lpBuffers, dwBufferCount, *lpNumberOfBytesRecvd);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_recv_from(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                                LPDWORD lpFlags, struct sockaddr *lpFrom, LPINT lpFromlen,
                                LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    if (lpOverlapped != NULL) {
        lsp_io_args a = {.kind = LSP_IO_RECV_FROM, .buffers = lpBuffers, .count = dwBufferCount,
                         .bytes = lpNumberOfBytesRecvd, .recv_flags = lpFlags, .from = lpFrom,
                         .from_length = lpFromlen};
        return lsp_overlapped_io(s, &a, lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
    }
    if (lsp_io_refused(lpNumberOfBytesRecvd, true, lpFlags, lpErrno))
        return SOCKET_ERROR;
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = lsp_lower_procs(d->object)->lpWSPRecvFrom(lsp_lower_socket(d->object), lpBuffers, dwBufferCount,
                                                      lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen, NULL, NULL,
                                                      NULL, lpErrno);
    if (r == 0)
        lsp_count_received(d, lpBuffers, dwBufferCount, *lpNumberOfBytesRecvd);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_send_disconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = lsp_lower_procs(d->object)->lpWSPSendDisconnect(lsp_lower_socket(d->object), lpOutboundDisconnectData,
                                                            lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_recv_disconnect(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = lsp_lower_procs(d->object)->lpWSPRecvDisconnect(lsp_lower_socket(d->object), lpInboundDisconnectData,
                                                            lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static BOOL WSPAPI lsp_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                             BOOL fWait, LPDWORD lpdwFlags, LPINT lpErrno)
{
    /* ws2_32's order: the request first, then the socket. */
    if (lpOverlapped == NULL) {
        *lpErrno = WSA_INVALID_PARAMETER;
        return FALSE;
    }
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return FALSE;
    lsp_done(d, lpErrno);
    return lsp_overlapped_result(lpOverlapped, lpcbTransfer, fWait, lpdwFlags, lpErrno);
}

void lsp_fill_data_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPSend = lsp_send;
    procs->lpWSPSendTo = lsp_send_to;
    procs->lpWSPRecv = lsp_recv;
    procs->lpWSPRecvFrom = lsp_recv_from;
    procs->lpWSPSendDisconnect = lsp_send_disconnect;
    procs->lpWSPRecvDisconnect = lsp_recv_disconnect;
    procs->lpWSPGetOverlappedResult = lsp_get_overlapped_result;
}

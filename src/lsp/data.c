/* Sending and receiving. Bytes and calls are counted in the socket's shared
 * block, so every descriptor in every process sees one set of counters
 * (object_count: atomic additions, no lock).
 * Overlapped requests go through overlapped.c: ShareLSP issues its own lower
 * request and completes the application's when it finishes. */
#include "lsp.h"

#include "layer_calls.h"
#include "overlapped.h"

/* The out-parameters a blocking call writes (flags: receives only). */
static bool lsp_io_refused(LPDWORD bytes, bool receive, LPDWORD flags, LPINT lpErrno)
{
    if (bytes == NULL || (receive && flags == NULL)) {
        *lpErrno = WSAEFAULT;
        return true;
    }
    return false;
}

/* A blocking receive that finished: the layer sees (and may rewrite) the
 * bytes before the application does; then they are counted. */
static void lsp_received(descriptor *d, const WSABUF *buffers, DWORD count, DWORD bytes)
{
    if (LSP_LAYER_HAS(payload))
        lsp_layer_received(d, buffers, count, bytes);
    lsp_count(d, false, bytes);
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
    if (LSP_LAYER_HAS(payload))
        lsp_layer_sending(d, lpBuffers, dwBufferCount);
    int r = lsp_lower_procs(d->object)->lpWSPSend(lsp_lower_socket(d->object), lpBuffers, dwBufferCount,
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
    if (refused == 0 && LSP_LAYER_HAS(payload))
        lsp_layer_sending(d, lpBuffers, dwBufferCount);
    int r = refused != 0 ? lsp_fail(lpErrno, refused)
                         : lsp_lower_procs(d->object)->lpWSPSendTo(lsp_lower_socket(d->object), lpBuffers,
                                                                   dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo,
                                                                   iTolen, NULL, NULL, NULL, lpErrno);
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
        lsp_received(d, lpBuffers, dwBufferCount, *lpNumberOfBytesRecvd);
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
        lsp_received(d, lpBuffers, dwBufferCount, *lpNumberOfBytesRecvd);
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

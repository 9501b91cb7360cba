/* Sending and receiving. Bytes and calls are counted in the socket's shared
 * block, so every descriptor in every process sees one set of counters.
 * Overlapped requests are refused with WSAEOPNOTSUPP until ShareLSP manages
 * their completion itself: handing the application's WSAOVERLAPPED to the
 * lower socket would bypass a completion port bound to the upper handle. */
#include "lsp.h"

/* The checks every send and receive makes first: no overlapped request,
 * and the out-parameters a blocking call writes (flags: receives only). */
static bool lsp_io_refused(LPWSAOVERLAPPED lpOverlapped, LPDWORD bytes, bool receive, LPDWORD flags, LPINT lpErrno)
{
    if (lpOverlapped != NULL) {
        *lpErrno = WSAEOPNOTSUPP;
        return true;
    }
    if (bytes == NULL || (receive && flags == NULL)) {
        *lpErrno = WSAEFAULT;
        return true;
    }
    return false;
}

static void lsp_count(sock_object *object, bool sent, DWORD bytes)
{
    shared_block *block = object_block_enter(object);
    if (sent)
        block_count_send(block, bytes);
    else
        block_count_receive(block, bytes);
    object_block_leave(object);
}

static int WSPAPI lsp_send(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                           DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                           LPINT lpErrno)
{
    (void)lpCompletionRoutine, (void)lpThreadId;
    if (lsp_io_refused(lpOverlapped, lpNumberOfBytesSent, false, NULL, lpErrno))
        return SOCKET_ERROR;
    LSP_ENTER(s, d, SOCKET_ERROR);
    int r = lsp_lower_procs(d->object)->lpWSPSend(lsp_lower_socket(d->object), lpBuffers, dwBufferCount,
                                                  lpNumberOfBytesSent, dwFlags, NULL, NULL, NULL, lpErrno);
    if (r == 0)
        lsp_count(d->object, true, *lpNumberOfBytesSent);
    descriptor_release(d);
    return r;
}

static int WSPAPI lsp_send_to(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                              DWORD dwFlags, const struct sockaddr *lpTo, int iTolen, LPWSAOVERLAPPED lpOverlapped,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                              LPINT lpErrno)
{
    (void)lpCompletionRoutine, (void)lpThreadId;
    if (lsp_io_refused(lpOverlapped, lpNumberOfBytesSent, false, NULL, lpErrno))
        return SOCKET_ERROR;
    LSP_ENTER(s, d, SOCKET_ERROR);
    int r = lsp_lower_procs(d->object)->lpWSPSendTo(lsp_lower_socket(d->object), lpBuffers, dwBufferCount,
                                                    lpNumberOfBytesSent, dwFlags, lpTo, iTolen, NULL, NULL, NULL,
                                                    lpErrno);
    if (r == 0)
        lsp_count(d->object, true, *lpNumberOfBytesSent);
    descriptor_release(d);
    return r;
}

static int WSPAPI lsp_recv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                           LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                           LPINT lpErrno)
{
    (void)lpCompletionRoutine, (void)lpThreadId;
    if (lsp_io_refused(lpOverlapped, lpNumberOfBytesRecvd, true, lpFlags, lpErrno))
        return SOCKET_ERROR;
    LSP_ENTER(s, d, SOCKET_ERROR);
    int r = lsp_lower_procs(d->object)->lpWSPRecv(lsp_lower_socket(d->object), lpBuffers, dwBufferCount,
                                                  lpNumberOfBytesRecvd, lpFlags, NULL, NULL, NULL, lpErrno);
    if (r == 0)
        lsp_count(d->object, false, *lpNumberOfBytesRecvd);
    descriptor_release(d);
    return r;
}

static int WSPAPI lsp_recv_from(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                                LPDWORD lpFlags, struct sockaddr *lpFrom, LPINT lpFromlen,
                                LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    (void)lpCompletionRoutine, (void)lpThreadId;
    if (lsp_io_refused(lpOverlapped, lpNumberOfBytesRecvd, true, lpFlags, lpErrno))
        return SOCKET_ERROR;
    LSP_ENTER(s, d, SOCKET_ERROR);
    int r = lsp_lower_procs(d->object)->lpWSPRecvFrom(lsp_lower_socket(d->object), lpBuffers, dwBufferCount,
                                                      lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen, NULL, NULL,
                                                      NULL, lpErrno);
    if (r == 0)
        lsp_count(d->object, false, *lpNumberOfBytesRecvd);
    descriptor_release(d);
    return r;
}

static int WSPAPI lsp_send_disconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData, LPINT lpErrno)
{
    LSP_ENTER(s, d, SOCKET_ERROR);
    int r = lsp_lower_procs(d->object)->lpWSPSendDisconnect(lsp_lower_socket(d->object), lpOutboundDisconnectData,
                                                            lpErrno);
    descriptor_release(d);
    return r;
}

static int WSPAPI lsp_recv_disconnect(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno)
{
    LSP_ENTER(s, d, SOCKET_ERROR);
    int r = lsp_lower_procs(d->object)->lpWSPRecvDisconnect(lsp_lower_socket(d->object), lpInboundDisconnectData,
                                                            lpErrno);
    descriptor_release(d);
    return r;
}

static BOOL WSPAPI lsp_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                             BOOL fWait, LPDWORD lpdwFlags, LPINT lpErrno)
{
    (void)lpOverlapped, (void)lpcbTransfer, (void)fWait, (void)lpdwFlags;
    LSP_ENTER(s, d, FALSE);
    descriptor_release(d);
    /* No overlapped request was accepted on this socket (see above). */
    *lpErrno = WSAEOPNOTSUPP;
    return FALSE;
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

/* nullbase: sends that take every byte and receives that report a fixed
 * count, blocking or overlapped, all done at once. */
#include "nullbase.h"

#include "ntstatus.h"

DWORD nullbase_buffers_length(const WSABUF *buffers, DWORD count)
{
    DWORD total = 0;
    for (DWORD i = 0; i < count; i++)
        total = buffers[i].len > MAXDWORD - total ? MAXDWORD : total + buffers[i].len;
    return total;
}

void nullbase_complete(LPWSAOVERLAPPED overlapped, DWORD bytes)
{
    overlapped->InternalHigh = bytes;
    overlapped->Internal = NTSTATUS_SUCCESS;
    /* The low bit only keeps a completion off a port; an event handle has
     * it clear. */
    HANDLE event = (HANDLE)((uintptr_t)overlapped->hEvent & ~(uintptr_t)1);
    if (event != NULL)
        SetEvent(event);
}

/* One transfer of bytes: counted into *done, or into the request. */
static int nullbase_transfer(LPWSABUF buffers, DWORD count, DWORD bytes, LPDWORD done, LPWSAOVERLAPPED overlapped,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPINT lpErrno)
{
    if (buffers == NULL && count != 0)
        return nullbase_error(WSAEFAULT, lpErrno);
    /* Nothing here can queue an APC: a routine would never run. */
    if (routine != NULL)
        return nullbase_error(WSAEOPNOTSUPP, lpErrno);
    if (overlapped != NULL)
        nullbase_complete(overlapped, bytes);
    if (done != NULL)
        *done = bytes;
    return 0;
}

static DWORD nullbase_received(const WSABUF *buffers, DWORD count)
{
    DWORD total = nullbase_buffers_length(buffers, count);
    return total < NULLBASE_RECV_BYTES ? total : NULLBASE_RECV_BYTES;
}

static int WSPAPI nullbase_send(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                                DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                                LPINT lpErrno)
{
    (void)s, (void)dwFlags, (void)lpThreadId;
    DWORD bytes = lpBuffers != NULL ? nullbase_buffers_length(lpBuffers, dwBufferCount) : 0;
    return nullbase_transfer(lpBuffers, dwBufferCount, bytes, lpNumberOfBytesSent, lpOverlapped, lpCompletionRoutine,
                             lpErrno);
}

static int WSPAPI nullbase_send_to(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                                   DWORD dwFlags, const struct sockaddr *lpTo, int iTolen,
                                   LPWSAOVERLAPPED lpOverlapped,
                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                                   LPINT lpErrno)
{
    (void)lpTo, (void)iTolen;
    return nullbase_send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped,
                         lpCompletionRoutine, lpThreadId, lpErrno);
}

static int WSPAPI nullbase_recv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                                LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                                LPINT lpErrno)
{
    (void)s, (void)lpThreadId;
    if (lpFlags == NULL)
        return nullbase_error(WSAEFAULT, lpErrno);
    DWORD bytes = lpBuffers != NULL ? nullbase_received(lpBuffers, dwBufferCount) : 0;
    int r = nullbase_transfer(lpBuffers, dwBufferCount, bytes, lpNumberOfBytesRecvd, lpOverlapped,
                              lpCompletionRoutine, lpErrno);
    if (r == 0)
        *lpFlags = 0;
    return r;
}

static int WSPAPI nullbase_recv_from(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                                     LPDWORD lpFlags, struct sockaddr *lpFrom, LPINT lpFromlen,
                                     LPWSAOVERLAPPED lpOverlapped,
                                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                     LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    if (lpFrom != NULL && lpFromlen != NULL) {
        if (*lpFromlen < (int)sizeof(struct sockaddr_in))
            return nullbase_error(WSAEFAULT, lpErrno);
        struct sockaddr_in none = {.sin_family = AF_INET};
        *(struct sockaddr_in *)lpFrom = none;
        *lpFromlen = sizeof none;
    }
    return nullbase_recv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped,
                         lpCompletionRoutine, lpThreadId, lpErrno);
}

static int WSPAPI nullbase_send_disconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData, LPINT lpErrno)
{
    (void)s, (void)lpOutboundDisconnectData, (void)lpErrno;
    return 0;
}

static int WSPAPI nullbase_recv_disconnect(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno)
{
    (void)s, (void)lpInboundDisconnectData, (void)lpErrno;
    return 0;
}

/* Every request was done when it was made: its status block says how. */
static BOOL WSPAPI nullbase_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                                  BOOL fWait, LPDWORD lpdwFlags, LPINT lpErrno)
{
    (void)s, (void)fWait;
    if (lpOverlapped == NULL || lpcbTransfer == NULL || lpdwFlags == NULL) {
        *lpErrno = WSAEFAULT;
        return FALSE;
    }
    if (lpOverlapped->Internal != NTSTATUS_SUCCESS) {
        /* Not a request of ours, or not one made yet. */
        *lpErrno = WSA_IO_INCOMPLETE;
        return FALSE;
    }
    *lpcbTransfer = (DWORD)lpOverlapped->InternalHigh;
    *lpdwFlags = 0;
    return TRUE;
}

void nullbase_fill_data_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPSend = nullbase_send;
    procs->lpWSPSendTo = nullbase_send_to;
    procs->lpWSPRecv = nullbase_recv;
    procs->lpWSPRecvFrom = nullbase_recv_from;
    procs->lpWSPSendDisconnect = nullbase_send_disconnect;
    procs->lpWSPRecvDisconnect = nullbase_recv_disconnect;
    procs->lpWSPGetOverlappedResult = nullbase_get_overlapped_result;
}

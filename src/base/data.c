/* wspbase: sending and receiving, blocking and overlapped. The handles are
 * the platform's, so overlapped requests complete through the platform
 * (events and completion routines on the calling thread) as they are. */
#include "base.h"

#include <mswsock.h>

static int WSPAPI base_send(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                            DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                            LPINT lpErrno)
{
    (void)lpThreadId;
    return base_result(
        WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped, lpCompletionRoutine),
        lpErrno);
}

static int WSPAPI base_send_to(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                               DWORD dwFlags, const struct sockaddr *lpTo, int iTolen, LPWSAOVERLAPPED lpOverlapped,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                               LPINT lpErrno)
{
    (void)lpThreadId;
    return base_result(WSASendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen,
                                 lpOverlapped, lpCompletionRoutine),
                       lpErrno);
}

static int WSPAPI base_recv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                            LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                            LPINT lpErrno)
{
    (void)lpThreadId;
    return base_result(
        WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped, lpCompletionRoutine),
        lpErrno);
}

static int WSPAPI base_recv_from(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                                 LPDWORD lpFlags, struct sockaddr *lpFrom, LPINT lpFromlen,
                                 LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                 LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    (void)lpThreadId;
    return base_result(WSARecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen,
                                   lpOverlapped, lpCompletionRoutine),
                       lpErrno);
}

static int WSPAPI base_send_disconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData, LPINT lpErrno)
{
    return base_result(WSASendDisconnect(s, lpOutboundDisconnectData), lpErrno);
}

static int WSPAPI base_recv_disconnect(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno)
{
    return base_result(WSARecvDisconnect(s, lpInboundDisconnectData), lpErrno);
}

static BOOL WSPAPI base_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                              BOOL fWait, LPDWORD lpdwFlags, LPINT lpErrno)
{
    BOOL ok = WSAGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags);
    if (!ok)
        *lpErrno = WSAGetLastError();
    return ok;
}

int base_ext_send_msg(SOCKET s, const void *in, DWORD in_length, LPINT lpErrno)
{
    if (in == NULL || in_length < sizeof(WSASENDMSG)) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    const WSASENDMSG *m = in;
    return base_result(
        WSASendMsg(s, m->lpMsg, m->dwFlags, m->lpNumberOfBytesSent, m->lpOverlapped, m->lpCompletionRoutine),
        lpErrno);
}

void base_fill_data_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPSend = base_send;
    procs->lpWSPSendTo = base_send_to;
    procs->lpWSPRecv = base_recv;
    procs->lpWSPRecvFrom = base_recv_from;
    procs->lpWSPSendDisconnect = base_send_disconnect;
    procs->lpWSPRecvDisconnect = base_recv_disconnect;
    procs->lpWSPGetOverlappedResult = base_get_overlapped_result;
}

/* The entry points of faulty.dll that may take a WSAOVERLAPPED: the plan's
 * error at once, or, for a plan that pends, WSA_IO_PENDING now and the
 * error when the request completes (pend.c). */
#include "faulty.h"

#define FAULTY_FAIL_OVERLAPPED(entry)                                                                                  \
    do {                                                                                                               \
        bool pend_ = false;                                                                                            \
        int error_ = faulty_plan_take(entry, &pend_);                                                                  \
        if (error_ != 0 && pend_)                                                                                      \
            return faulty_pend_fail(s, lpOverlapped, lpCompletionRoutine, error_, lpErrno);                            \
        if (error_ != 0) {                                                                                             \
            *lpErrno = error_;                                                                                         \
            return SOCKET_ERROR;                                                                                       \
        }                                                                                                              \
    } while (0)

static int WSPAPI faulty_ioctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                               LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                               LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                               LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    FAULTY_FAIL_OVERLAPPED("WSPIoctl");
    return faulty_base.lpWSPIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                                  lpcbBytesReturned, lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
}

static int WSPAPI faulty_recv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                              LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                              LPINT lpErrno)
{
    FAULTY_FAIL_OVERLAPPED("WSPRecv");
    return faulty_base.lpWSPRecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped,
                                 lpCompletionRoutine, lpThreadId, lpErrno);
}

static int WSPAPI faulty_recvfrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                                  LPDWORD lpFlags, struct sockaddr *lpFrom, LPINT lpFromlen,
                                  LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                  LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    FAULTY_FAIL_OVERLAPPED("WSPRecvFrom");
    return faulty_base.lpWSPRecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen,
                                     lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
}

static int WSPAPI faulty_send(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                              DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                              LPINT lpErrno)
{
    FAULTY_FAIL_OVERLAPPED("WSPSend");
    return faulty_base.lpWSPSend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped,
                                 lpCompletionRoutine, lpThreadId, lpErrno);
}

static int WSPAPI faulty_sendto(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                                DWORD dwFlags, const struct sockaddr *lpTo, int iTolen, LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine, LPWSATHREADID lpThreadId,
                                LPINT lpErrno)
{
    FAULTY_FAIL_OVERLAPPED("WSPSendTo");
    return faulty_base.lpWSPSendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen,
                                   lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
}

void faulty_fill_io(WSPPROC_TABLE *procs)
{
    procs->lpWSPIoctl = faulty_ioctl;
    procs->lpWSPRecv = faulty_recv;
    procs->lpWSPRecvFrom = faulty_recvfrom;
    procs->lpWSPSend = faulty_send;
    procs->lpWSPSendTo = faulty_sendto;
}

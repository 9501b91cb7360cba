/* Sending and receiving, blocking and overlapped. Overlapped calls carry the
 * calling thread's WSATHREADID so a provider can queue completion routines
 * to it. */
#include "api.h"

#include <mswsock.h>

#include "completion.h"
#include "signal.h"

static LPWSATHREADID thread_for(LPWSAOVERLAPPED overlapped)
{
    return overlapped != NULL ? host_thread_id() : NULL;
}

typedef struct {
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    bool refused;
} request_start;

static void request_starting(SOCKET s, const host_handle *h, void *context)
{
    request_start *r = context;
    if (!h->from_upcall)
        return; /* an IFS provider's handle: the system keeps these rules */
    /* A completion routine for I/O on a file that posts to a port is
     * refused (the provider cannot see the port). */
    if (r->routine != NULL && host_completion_bound((HANDLE)s)) {
        r->refused = true;
        return;
    }
    /* The handle reads unsignalled until a request completes (signal.c). */
    if (h->signal != NULL)
        signal_clear(h->signal, (HANDLE)s);
}

/* An overlapped request starts on s, as the system starts one on a file:
 * false (WSAEINVAL set) when the system would refuse it. */
static bool request_starts(SOCKET s, LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    request_start r = {.routine = routine, .refused = false};
    if (overlapped == NULL)
        return true;
    host_handle_hold(s, request_starting, &r);
    if (r.refused)
        SetLastError(WSAEINVAL); /* what WSASetLastError does */
    return !r.refused;
}

int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                   LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    if (!request_starts(s, lpOverlapped, lpCompletionRoutine))
        return SOCKET_ERROR;
    int err = 0;
    return host_finish(p->procs.lpWSPSend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped,
                                          lpCompletionRoutine, thread_for(lpOverlapped), &err), &err);
}

int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                     const struct sockaddr *lpTo, int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    if (!request_starts(s, lpOverlapped, lpCompletionRoutine))
        return SOCKET_ERROR;
    int err = 0;
    return host_finish(p->procs.lpWSPSendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen,
                                            lpOverlapped, lpCompletionRoutine, thread_for(lpOverlapped), &err), &err);
}

int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                   LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    if (!request_starts(s, lpOverlapped, lpCompletionRoutine))
        return SOCKET_ERROR;
    int err = 0;
    return host_finish(p->procs.lpWSPRecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped,
                                          lpCompletionRoutine, thread_for(lpOverlapped), &err), &err);
}

int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                       LPDWORD lpFlags, struct sockaddr *lpFrom, LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    if (!request_starts(s, lpOverlapped, lpCompletionRoutine))
        return SOCKET_ERROR;
    int err = 0;
    return host_finish(p->procs.lpWSPRecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom,
                                              lpFromlen, lpOverlapped, lpCompletionRoutine, thread_for(lpOverlapped),
                                              &err), &err);
}

/* send, sendto, recv and recvfrom put the length into the WSABUF as it is,
 * as ws2_32 does: a negative one is a buffer too large to be the program's,
 * which the provider refuses (WSAEFAULT, Wine's sock.c test_events checks
 * it against Windows). */
int WSAAPI send(SOCKET s, const char *buf, int len, int flags)
{
    WSABUF b = {.len = (ULONG)len, .buf = (char *)buf};
    DWORD sent = 0;
    if (WSASend(s, &b, 1, &sent, (DWORD)flags, NULL, NULL) == SOCKET_ERROR)
        return SOCKET_ERROR;
    return (int)sent;
}

int WSAAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to, int tolen)
{
    WSABUF b = {.len = (ULONG)len, .buf = (char *)buf};
    DWORD sent = 0;
    if (WSASendTo(s, &b, 1, &sent, (DWORD)flags, to, tolen, NULL, NULL) == SOCKET_ERROR)
        return SOCKET_ERROR;
    return (int)sent;
}

int WSAAPI recv(SOCKET s, char *buf, int len, int flags)
{
    WSABUF b = {.len = (ULONG)len, .buf = buf};
    DWORD got = 0, f = (DWORD)flags;
    if (WSARecv(s, &b, 1, &got, &f, NULL, NULL) == SOCKET_ERROR)
        return SOCKET_ERROR;
    return (int)got;
}

int WSAAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int *fromlen)
{
    WSABUF b = {.len = (ULONG)len, .buf = buf};
    DWORD got = 0, f = (DWORD)flags;
    if (WSARecvFrom(s, &b, 1, &got, &f, from, fromlen, NULL, NULL) == SOCKET_ERROR)
        return SOCKET_ERROR;
    return (int)got;
}

BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer, BOOL fWait,
                                   LPDWORD lpdwFlags)
{
    HOST_ROUTE(s, p, FALSE);
    int err = 0;
    BOOL ok = p->procs.lpWSPGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags, &err);
    /* Set on success too, as ws2_32 does (0, or what an informational
     * status stands for). */
    WSASetLastError(ok ? err : err ? err : WSAEINVAL);
    return ok;
}

/* ws2_32 hands WSASendMsg to a provider as an ioctl, since the proc table has
 * no entry for it: the request's WSAOVERLAPPED and routine travel inside the
 * WSASENDMSG, and the ioctl itself is not overlapped. */
int WSAAPI WSASendMsg(SOCKET s, LPWSAMSG lpMsg, DWORD dwFlags, LPDWORD lpNumberOfBytesSent,
                      LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    /* Before the socket, as ws2_32 checks it. */
    if (lpMsg == NULL) {
        WSASetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    HOST_ROUTE(s, p, SOCKET_ERROR);
    WSASENDMSG m = {.lpMsg = lpMsg,
                    .dwFlags = dwFlags,
                    .lpNumberOfBytesSent = lpNumberOfBytesSent,
                    .lpOverlapped = lpOverlapped,
                    .lpCompletionRoutine = lpCompletionRoutine};
    DWORD returned = 0;
    int err = 0;
    int r = p->procs.lpWSPIoctl(s, SIO_EXT_SENDMSG, &m, sizeof m, NULL, 0, &returned, NULL, NULL, host_thread_id(),
                                &err);
    if (r == 0)
        WSASetLastError(0); /* as ws2_32 does on success */
    return host_finish(r, &err);
}

int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPSendDisconnect(s, lpOutboundDisconnectData, &err), &err);
}

int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPRecvDisconnect(s, lpInboundDisconnectData, &err), &err);
}

/* Sending and receiving, blocking and overlapped. Overlapped calls carry the
 * calling thread's WSATHREADID so a provider can queue completion routines
 * to it. */
#include "api.h"

static LPWSATHREADID thread_for(LPWSAOVERLAPPED overlapped)
{
    return overlapped != NULL ? host_thread_id() : NULL;
}

int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                   LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPSend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped,
                                          lpCompletionRoutine, thread_for(lpOverlapped), &err), &err);
}

int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                     const struct sockaddr *lpTo, int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPSendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen,
                                            lpOverlapped, lpCompletionRoutine, thread_for(lpOverlapped), &err), &err);
}

int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                   LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPRecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped,
                                          lpCompletionRoutine, thread_for(lpOverlapped), &err), &err);
}

int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                       LPDWORD lpFlags, struct sockaddr *lpFrom, LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
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

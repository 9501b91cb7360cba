/* Options, names and ioctls. */
#include "api.h"

#include <mswsock.h>

/* SO_OPENTYPE is ws2_32's own, the thread's: no socket is looked at. A
 * success clears the thread's error, as ws2_32 does. */
static int options_opentype_result(int err)
{
    WSASetLastError(err);
    return err != 0 ? SOCKET_ERROR : 0;
}

int WSAAPI getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
{
    if (level == SOL_SOCKET && optname == SO_OPENTYPE)
        return options_opentype_result(host_opentype_get(optval, optlen));
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPGetSockOpt(s, level, optname, optval, optlen, &err), &err);
}

int WSAAPI setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
{
    if (level == SOL_SOCKET && optname == SO_OPENTYPE)
        return options_opentype_result(host_opentype_set(optval, optlen));
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPSetSockOpt(s, level, optname, optval, optlen, &err), &err);
}

int WSAAPI getsockname(SOCKET s, struct sockaddr *name, int *namelen)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPGetSockName(s, name, namelen, &err), &err);
}

int WSAAPI getpeername(SOCKET s, struct sockaddr *name, int *namelen)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPGetPeerName(s, name, namelen, &err), &err);
}

int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer, LPVOID lpvOutBuffer,
                    DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    LPWSATHREADID thread = lpOverlapped != NULL ? host_thread_id() : NULL;
    return host_finish(p->procs.lpWSPIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                                           lpcbBytesReturned, lpOverlapped, lpCompletionRoutine, thread, &err), &err);
}

/* ws2_32 turns ioctlsocket into WSAIoctl with the argument as both buffers. */
int WSAAPI ioctlsocket(SOCKET s, __LONG32 cmd, u_long *argp)
{
    DWORD returned = 0;
    return WSAIoctl(s, (DWORD)cmd, argp, sizeof *argp, argp, sizeof *argp, &returned, NULL, NULL);
}

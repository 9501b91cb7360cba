/* select and event notification. */
#include "api.h"


int WSAAPI WSAAsyncSelect(SOCKET s, HWND hWnd, u_int wMsg, __LONG32 lEvent)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPAsyncSelect(s, hWnd, wMsg, lEvent, &err), &err);
}

int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, __LONG32 lNetworkEvents)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPEventSelect(s, hEventObject, lNetworkEvents, &err), &err);
}

int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    if (lpNetworkEvents == NULL) {
        /* Windows documents WSAEFAULT; a provider given NULL would write
         * through it (wspbase's platform, Wine's ws2_32, crashes). */
        WSASetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    int err = 0;
    return host_finish(p->procs.lpWSPEnumNetworkEvents(s, hEventObject, lpNetworkEvents, &err), &err);
}

/* The one provider every socket of the sets belongs to, as ws2_32 requires
 * (one provider, possibly through several of its catalog entries: TCP over
 * IPv4 and IPv6, say); *err = WSAEINVAL if the sets are empty or the sockets
 * belong to several providers. */
static host_provider *select_provider(fd_set *sets[3], int *err)
{
    host_provider *chosen = NULL;
    int count = 0;
    for (int k = 0; k < 3; k++) {
        if (sets[k] == NULL)
            continue;
        /* By fd_count: a program may define a larger FD_SETSIZE than ours. */
        for (u_int i = 0; i < sets[k]->fd_count; i++) {
            host_provider *p = host_route(sets[k]->fd_array[i], err);
            if (p == NULL)
                return NULL;
            if (chosen != NULL && !IsEqualGUID(&chosen->info.ProviderId, &p->info.ProviderId)) {
                *err = WSAEINVAL;
                return NULL;
            }
            chosen = p;
            count++;
        }
    }
    if (count == 0)
        *err = WSAEINVAL;
    return count ? chosen : NULL;
}

int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const PTIMEVAL timeout)
{
    if (!host_is_started()) {
        WSASetLastError(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    fd_set *sets[3] = {readfds, writefds, exceptfds};
    int err = 0;
    host_provider *p = select_provider(sets, &err);
    if (p == NULL) {
        WSASetLastError(err);
        return SOCKET_ERROR;
    }
    return host_finish(p->procs.lpWSPSelect(nfds, readfds, writefds, exceptfds, timeout, &err), &err);
}

/* select, WSAPoll and event notification. */
#include "api.h"

#include <stddef.h>
#include <stdlib.h>

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

/* A set with room for count sockets, whatever our FD_SETSIZE (where FD_SET
 * stops): WSAPoll has no limit of its own. */
static fd_set *poll_set_alloc(ULONG count) { return calloc(1, offsetof(fd_set, fd_array) + count * sizeof(SOCKET)); }
static void poll_set_add(fd_set *set, SOCKET s) { set->fd_array[set->fd_count++] = s; }

/* WSAPoll over the provider's WSPSelect: providers have no poll entry. A
 * socket the host does not know is reported POLLNVAL, as ws2_32 does. */
int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
{
    if (!host_is_started()) {
        WSASetLastError(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    if (fdArray == NULL || fds == 0) {
        WSASetLastError(fdArray == NULL ? WSAEFAULT : WSAEINVAL);
        return SOCKET_ERROR;
    }
    fd_set *r = poll_set_alloc(fds), *w = poll_set_alloc(fds), *e = poll_set_alloc(fds);
    int result = SOCKET_ERROR, invalid = 0;
    if (r == NULL || w == NULL || e == NULL) {
        WSASetLastError(WSAENOBUFS);
        goto done;
    }
    for (ULONG i = 0; i < fds; i++) {
        int err;
        fdArray[i].revents = 0;
        if (host_route(fdArray[i].fd, &err) == NULL) {
            fdArray[i].revents = POLLNVAL;
            invalid++;
            continue;
        }
        if (fdArray[i].events & (POLLRDNORM | POLLRDBAND))
            poll_set_add(r, fdArray[i].fd);
        if (fdArray[i].events & POLLWRNORM)
            poll_set_add(w, fdArray[i].fd);
        poll_set_add(e, fdArray[i].fd);
    }
    if (invalid > 0) {
        result = invalid;
        goto done;
    }
    struct timeval tv = {.tv_sec = timeout / 1000, .tv_usec = (timeout % 1000) * 1000};
    if (select(0, r, w, e, timeout < 0 ? NULL : &tv) == SOCKET_ERROR)
        goto done;
    result = 0;
    for (ULONG i = 0; i < fds; i++) {
        SOCKET s = fdArray[i].fd;
        if (FD_ISSET(s, r))
            fdArray[i].revents |= fdArray[i].events & (POLLRDNORM | POLLRDBAND);
        if (FD_ISSET(s, w))
            fdArray[i].revents |= POLLWRNORM;
        if (FD_ISSET(s, e))
            fdArray[i].revents |= POLLERR;
        result += fdArray[i].revents != 0;
    }
done:
    free(r);
    free(w);
    free(e);
    return result;
}

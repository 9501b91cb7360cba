/* WSAPoll. ws2_32 hands it to a non-IFS provider as an ioctl on the first
 * socket: WSPIoctl(SIO_EXT_POLL) with a WSAPOLLDATA (result, fds, timeout,
 * the sockets) as both input and output, which the provider fills (revents,
 * result). The host does the same for every provider. A provider that does
 * not know the ioctl (WSAEINVAL, WSAEOPNOTSUPP) is polled through its
 * WSPSelect instead, which sees less: no POLLHUP, and out-of-band data and
 * errors both as POLLERR. */
#include "api.h"

#include <mswsock.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* The size of a WSAPOLLDATA for fds sockets, or 0 when it does not fit a
 * size_t: in a 32-bit process so many sockets cannot be the program's array
 * either. (In a 64-bit one every ULONG count fits.) */
static size_t poll_data_size(ULONG fds)
{
    size_t head = offsetof(WSAPOLLDATA, fdArray);
    if (fds > (SIZE_MAX - head) / sizeof(WSAPOLLFD))
        return 0;
    return head + (size_t)fds * sizeof(WSAPOLLFD);
}

/* A set with room for count sockets, whatever our FD_SETSIZE (where FD_SET
 * stops): WSAPoll has no limit of its own. */
static fd_set *poll_set_alloc(ULONG count) { return calloc(1, offsetof(fd_set, fd_array) + count * sizeof(SOCKET)); }
static void poll_set_add(fd_set *set, SOCKET s) { set->fd_array[set->fd_count++] = s; }

/* Polls the sockets through the provider's WSPSelect; the count of sockets
 * with events, or SOCKET_ERROR with *err set. */
static int poll_by_select(WSAPOLLFD *fds, ULONG count, INT timeout, int *err)
{
    fd_set *r = poll_set_alloc(count), *w = poll_set_alloc(count), *e = poll_set_alloc(count);
    int result = SOCKET_ERROR;
    if (r == NULL || w == NULL || e == NULL) {
        *err = WSAENOBUFS;
        goto done;
    }
    for (ULONG i = 0; i < count; i++) {
        if (fds[i].events & POLLRDNORM)
            poll_set_add(r, fds[i].fd);
        if (fds[i].events & POLLWRNORM)
            poll_set_add(w, fds[i].fd);
        poll_set_add(e, fds[i].fd);
    }
    struct timeval tv = {.tv_sec = timeout / 1000, .tv_usec = (timeout % 1000) * 1000};
    if (select(0, r, w, e, timeout < 0 ? NULL : &tv) == SOCKET_ERROR) {
        *err = WSAGetLastError();
        goto done;
    }
    result = 0;
    for (ULONG i = 0; i < count; i++) {
        SOCKET s = fds[i].fd;
        int closed_err = 0;
        /* Closed by another thread while the call waited: as ws2_32 says. */
        if (host_route(s, &closed_err) == NULL) {
            fds[i].revents = POLLNVAL;
            result++;
            continue;
        }
        fds[i].revents = 0;
        /* Readable is normal data or a connection to accept; out-of-band
         * data shows in the exception set, among errors. */
        if (FD_ISSET(s, r))
            fds[i].revents |= POLLRDNORM;
        if (FD_ISSET(s, w))
            fds[i].revents |= POLLWRNORM;
        if (FD_ISSET(s, e))
            fds[i].revents |= POLLERR;
        result += fds[i].revents != 0;
    }
done:
    free(r);
    free(w);
    free(e);
    return result;
}

/* WSAPoll's call to the provider of the known sockets (data); NULL p: none
 * is known. */
static int poll_call(host_provider *p, SOCKET first, WSAPOLLDATA *data, INT timeout, LPWSAPOLLFD fdArray, ULONG fds)
{
    if (p == NULL) {
        WSASetLastError(WSAENOTSOCK);
        return SOCKET_ERROR;
    }
    data->timeout = timeout;
    DWORD size = (DWORD)poll_data_size(data->fds), returned = 0;
    int err = 0;
    int r = p->procs.lpWSPIoctl(first, SIO_EXT_POLL, data, size, data, size, &returned, NULL, NULL,
                                host_thread_id(), &err);
    if (r == SOCKET_ERROR && (err == WSAEINVAL || err == WSAEOPNOTSUPP)) {
        r = poll_by_select(data->fdArray, data->fds, timeout, &err);
        data->result = r;
    }
    if (r == SOCKET_ERROR) {
        WSASetLastError(err);
        return SOCKET_ERROR;
    }
    /* The known sockets are in data in their order in fdArray. */
    for (ULONG i = 0, j = 0; i < fds; i++) {
        if (fdArray[i].revents != POLLNVAL)
            fdArray[i].revents = data->fdArray[j++].revents;
    }
    WSASetLastError(0); /* as ws2_32 does on success */
    return data->result;
}

/* A socket the host does not know is marked POLLNVAL and not polled, nor
 * counted; when no socket is known the call fails with WSAENOTSOCK (as
 * ws2_32 does). The rest go to the first known socket's provider. */
int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
{
    if (!host_is_started()) {
        WSASetLastError(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    if (fds == 0 || fdArray == NULL) {
        WSASetLastError(fds == 0 ? WSAEINVAL : WSAEFAULT);
        return SOCKET_ERROR;
    }
    if (poll_data_size(fds) == 0) {
        WSASetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    WSAPOLLDATA *data = calloc(1, poll_data_size(fds));
    if (data == NULL) {
        WSASetLastError(WSAENOBUFS);
        return SOCKET_ERROR;
    }
    /* The known sockets are held for the call (api.h). */
    host_entry **held = calloc(fds, sizeof *held);
    if (held == NULL) {
        free(data);
        WSASetLastError(WSAENOBUFS);
        return SOCKET_ERROR;
    }
    host_provider *p = NULL;
    SOCKET first = INVALID_SOCKET;
    for (ULONG i = 0; i < fds; i++) {
        host_call c = host_call_begin(fdArray[i].fd);
        if (c.provider == NULL) {
            fdArray[i].revents = POLLNVAL;
            continue;
        }
        held[data->fds] = c.entry;
        if (p == NULL) {
            p = c.provider;
            first = fdArray[i].fd;
        }
        fdArray[i].revents = 0;
        data->fdArray[data->fds++] = (WSAPOLLFD){.fd = fdArray[i].fd, .events = fdArray[i].events};
    }
    int r = poll_call(p, first, data, timeout, fdArray, fds);
    for (ULONG i = 0; i < data->fds; i++)
        host_entry_release(held[i]);
    free(held);
    free(data);
    return r;
}

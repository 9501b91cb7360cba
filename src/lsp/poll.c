/* SIO_EXT_POLL: how ws2_32 hands WSAPoll to a provider that is not IFS,
 * through WSPIoctl on one of the sockets with a WSAPOLLDATA (the result,
 * the count, the time-out and the array) as both buffers. ShareLSP passes it
 * to the lower provider with every ShareLSP socket of that provider
 * translated to its lower socket (a reference each for the call), and
 * copies the events and the result back. An entry that is not such a socket
 * goes down as it came: the lower provider answers it as it answers a
 * handle it does not know (POLLNVAL), or ignores it (a negative one). */
#include "lsp.h"

#include <mswsock.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int lsp_poll_ioctl(descriptor *d, void *in, DWORD in_length, void *out, DWORD out_length, LPDWORD returned,
                   LPWSATHREADID thread, LPINT lpErrno)
{
    const size_t head = offsetof(WSAPOLLDATA, fdArray);
    WSAPOLLDATA given;
    if (in == NULL || out == NULL || in_length < head || out_length < head) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    memcpy(&given, in, head);
    size_t size = head + (size_t)given.fds * sizeof(WSAPOLLFD);
    if (given.fds > (ULONG)((SIZE_MAX - head) / sizeof(WSAPOLLFD)) || in_length < size || out_length < size) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    WSAPOLLDATA *lower = malloc(size);
    descriptor **held = calloc(given.fds != 0 ? given.fds : 1, sizeof *held);
    if (lower == NULL || held == NULL) {
        free(lower);
        free(held);
        *lpErrno = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    memcpy(lower, in, size);
    const WSPPROC_TABLE *procs = lsp_lower_procs(d->object);
    for (ULONG i = 0; i < given.fds; i++) {
        int ignored = 0;
        descriptor *e = lsp_descriptor(lower->fdArray[i].fd, &ignored);
        if (e != NULL && lsp_lower_procs(e->object) == procs) {
            held[i] = e;
            lower->fdArray[i].fd = lsp_lower_socket(e->object);
        } else if (e != NULL) {
            descriptor_release(e); /* another provider's: it is not one here */
        }
    }
    DWORD got = 0;
    int rc = procs->lpWSPIoctl(lsp_lower_socket(d->object), SIO_EXT_POLL, lower, (DWORD)size, lower, (DWORD)size,
                               &got, NULL, NULL, thread, lpErrno);
    for (ULONG i = 0; i < given.fds; i++) {
        if (held[i] != NULL)
            descriptor_release(held[i]);
    }
    if (rc == 0) {
        /* The caller's sockets stay as they were; the events and the result
         * are the lower provider's. */
        WSAPOLLDATA *result = out;
        if (out != in)
            memcpy(out, in, size);
        result->result = lower->result;
        for (ULONG i = 0; i < given.fds; i++)
            result->fdArray[i].revents = lower->fdArray[i].revents;
        if (returned != NULL)
            *returned = got;
    }
    free(held);
    free(lower);
    return rc;
}

/* SIO_EXT_POLL: how ws2_32 hands WSAPoll to a provider that is not IFS,
 * through WSPIoctl on one of the sockets with a WSAPOLLDATA (the result,
 * the count, the time-out and the array) as both buffers. ShareLSP passes
 * the lower provider an array of its sockets of that provider, translated
 * to their lower sockets (a reference each for the call), and copies the
 * events and the count back. Any other entry is POLLNVAL and not counted,
 * as ws2_32 answers a handle it does not know; an array with none of ours
 * is WSAENOTSOCK. */
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
    /* The lower array: this provider's ShareLSP sockets only, translated. */
    WSAPOLLDATA *lower = malloc(size);
    descriptor **held = calloc(given.fds != 0 ? given.fds : 1, sizeof *held);
    if (lower == NULL || held == NULL) {
        free(lower);
        free(held);
        *lpErrno = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    const WSAPOLLFD *fds = (const WSAPOLLFD *)((const char *)in + head);
    memcpy(lower, in, head);
    ULONG n = 0;
    const WSPPROC_TABLE *procs = lsp_lower_procs(d->object);
    for (ULONG i = 0; i < given.fds; i++) {
        int ignored = 0;
        descriptor *e = lsp_descriptor_ungated(fds[i].fd, &ignored);
        if (e != NULL && lsp_lower_procs(e->object) == procs) {
            held[i] = e;
            lower->fdArray[n] = fds[i];
            lower->fdArray[n++].fd = lsp_lower_socket(e->object);
        } else if (e != NULL) {
            descriptor_release(e); /* another provider's: it is not one here */
        }
    }
    lower->fds = n;
    int rc = SOCKET_ERROR;
    DWORD got = 0;
    DWORD lower_size = (DWORD)(head + (size_t)n * sizeof(WSAPOLLFD));
    if (n == 0)
        *lpErrno = WSAENOTSOCK;
    else
        rc = procs->lpWSPIoctl(lsp_lower_socket(d->object), SIO_EXT_POLL, lower, lower_size, lower, lower_size, &got,
                               NULL, NULL, thread, lpErrno);
    if (rc == 0) {
        /* The program's sockets stay as they were; the events and the count
         * are the lower provider's, and any other entry is POLLNVAL,
         * uncounted, as ws2_32 answers a handle it does not know. */
        WSAPOLLDATA *result = out;
        if (out != in)
            memcpy(out, in, size);
        result->result = lower->result;
        for (ULONG i = 0, k = 0; i < given.fds; i++)
            result->fdArray[i].revents = held[i] != NULL ? lower->fdArray[k++].revents : POLLNVAL;
        if (returned != NULL)
            *returned = (DWORD)size;
    }
    for (ULONG i = 0; i < given.fds; i++) {
        if (held[i] != NULL)
            descriptor_release(held[i]);
    }
    free(held);
    free(lower);
    return rc;
}

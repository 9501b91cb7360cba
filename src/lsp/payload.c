/* The bytes of sends and receives for the layer's payload hook, and the
 * copy a layer that rewrites sends is shown (payload.h). */
#include "payload.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layer_calls.h"

/* Whether [p, p + length) is committed memory the process may read. A
 * pointer a program made up (or memory it freed) must not fault inside
 * ShareLSP or the layer's hook: without us the provider below refuses it
 * (WSAEFAULT). Asked only where a layer has the payload hook. */
static bool payload_memory_readable(const void *p, size_t length)
{
    const DWORD readable = PAGE_READONLY | PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READ |
                           PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY;
    uintptr_t at = (uintptr_t)p, end = at + length;
    if (p == NULL || end < at)
        return false;
    while (at < end) {
        MEMORY_BASIC_INFORMATION region;
        if (VirtualQuery((const void *)at, &region, sizeof region) == 0 || region.State != MEM_COMMIT ||
            (region.Protect & readable) == 0 || (region.Protect & PAGE_GUARD) != 0)
            return false;
        at = (uintptr_t)region.BaseAddress + region.RegionSize;
    }
    return true;
}

/* Whether buffers can be read: an array, or a buffer, with a length and
 * no memory behind it is neither shown nor copied, but goes down as it
 * came, for the provider below to refuse (WSAEFAULT) as it would without
 * us. */
static bool payload_readable(const WSABUF *buffers, DWORD count)
{
    if (count == 0)
        return true;
    if (!payload_memory_readable(buffers, (size_t)count * sizeof *buffers))
        return false;
    for (DWORD i = 0; i < count; i++)
        if (buffers[i].len > 0 && !payload_memory_readable(buffers[i].buf, buffers[i].len))
            return false;
    return true;
}

/* Whether a request of args' kind shows the layer bytes it sends, and
 * which: ConnectEx only with first data. */
static bool payload_sends(const lsp_io_args *a, const WSABUF **buffers, DWORD *count)
{
    switch (a->kind) {
    case LSP_IO_SEND:
    case LSP_IO_SEND_TO:
        *buffers = a->buffers;
        *count = a->count;
        return payload_readable(*buffers, *count);
    case LSP_IO_CONNECT_EX:
        *buffers = a->buffers;
        *count = 1;
        return a->buffers != NULL && a->buffers->len > 0 && payload_readable(*buffers, *count);
    case LSP_IO_SEND_MSG:
        if (a->msg == NULL)
            return false; /* refused below: nothing to show */
        *buffers = a->msg->lpBuffers;
        *count = a->msg->dwBufferCount;
        return payload_readable(*buffers, *count);
    default:
        return false;
    }
}

/* The copy of readable buffers for a layer that rewrites sends, in one
 * allocation; NULL where there is nothing to copy. 0 or WSAENOBUFS. */
static int payload_copy(const WSABUF *buffers, DWORD count, lsp_send_copy **copy)
{
    *copy = NULL;
    if (!LSP_LAYER_REWRITES_SENT || count == 0)
        return 0;
    size_t bytes = 0;
    for (DWORD i = 0; i < count; i++) {
        if (buffers[i].len > SIZE_MAX - bytes)
            return WSAENOBUFS;
        bytes += buffers[i].len;
    }
    if (count > (SIZE_MAX - sizeof **copy - bytes) / sizeof(WSABUF))
        return WSAENOBUFS;
    lsp_send_copy *c = malloc(sizeof *c + count * sizeof(WSABUF) + bytes);
    if (c == NULL)
        return WSAENOBUFS;
    memset(&c->msg, 0, sizeof c->msg);
    c->count = count;
    char *at = (char *)&c->buffers[count];
    for (DWORD i = 0; i < count; i++) {
        c->buffers[i].len = buffers[i].len;
        c->buffers[i].buf = at;
        if (buffers[i].len > 0)
            memcpy(at, buffers[i].buf, buffers[i].len);
        at += buffers[i].len;
    }
    *copy = c;
    return 0;
}

int lsp_payload_send(descriptor *d, LPWSABUF *buffers, DWORD count, lsp_send_copy **copy)
{
    *copy = NULL;
    if (!payload_readable(*buffers, count))
        return 0;
    int err = payload_copy(*buffers, count, copy);
    if (err != 0)
        return err;
    if (*copy != NULL)
        *buffers = (*copy)->buffers;
    lsp_layer_sending(d, *buffers, count);
    return 0;
}

int lsp_payload_copy_request(const lsp_io_args *args, lsp_send_copy **copy)
{
    const WSABUF *buffers = NULL;
    DWORD count = 0;
    *copy = NULL;
    /* An observing layer has no copy: its buffers are looked at once, when
     * they are shown (lsp_payload_show_request). */
    if (!LSP_LAYER_REWRITES_SENT)
        return 0;
    return payload_sends(args, &buffers, &count) ? payload_copy(buffers, count, copy) : 0;
}

const lsp_io_args *lsp_payload_show_request(descriptor *d, const lsp_io_args *args, lsp_send_copy *copy,
                                            lsp_io_args *shown)
{
    if (copy == NULL) {
        const WSABUF *buffers = NULL;
        DWORD count = 0;
        if (payload_sends(args, &buffers, &count))
            lsp_layer_sending(d, buffers, count);
        return args;
    }
    /* A copy was made of buffers found readable (lsp_payload_copy_request). */
    lsp_layer_sending(d, copy->buffers, copy->count);
    *shown = *args;
    if (args->kind == LSP_IO_SEND_MSG) {
        /* The program's message as it stands now (a routed address
         * included), kept with the copy: the provider below may read it
         * after the call returned. */
        copy->msg = *args->msg;
        copy->msg.lpBuffers = copy->buffers;
        shown->msg = &copy->msg;
    } else {
        shown->buffers = copy->buffers;
    }
    return shown;
}

const WSABUF *lsp_payload_receives(const lsp_io_args *args, DWORD *count)
{
    switch (args->kind) {
    case LSP_IO_RECV:
    case LSP_IO_RECV_FROM:
        *count = args->count;
        return args->count > 0 ? args->buffers : NULL;
    case LSP_IO_RECV_MSG:
        if (args->msg == NULL || args->msg->dwBufferCount == 0)
            return NULL;
        *count = args->msg->dwBufferCount;
        return args->msg->lpBuffers;
    case LSP_IO_ACCEPT_EX:
        /* Its first data: only where the program asked for some. */
        *count = 1;
        return args->buffers->len > 0 ? args->buffers : NULL;
    default:
        return NULL;
    }
}

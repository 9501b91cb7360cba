/* TransmitPackets, over the lower provider's sends, TransmitFile and
 * DisconnectEx. Wine's ws2_32 offers no TransmitPackets, so ShareLSP does
 * not pass it down: it sends the elements in order, each run of memory
 * elements as one send, each file element as one TransmitFile of its range,
 * then disconnects if asked. One lower request at a time, each waited for
 * on the calling (or pool) thread; the first failure ends the run. */
#include "transmit_packets.h"

#include <stdlib.h>
#include <string.h>

#include "ntstatus.h"

SOCKET packets_socket_now(void *context)
{
    packets_target *t = context;
    int err = 0;
    descriptor *d = lsp_descriptor(t->upper, &err);
    if (d != NULL && d != t->d) {
        lsp_done(d, &err); /* the handle names another socket by now */
        d = NULL;
    }
    t->held = d;
    return d != NULL ? lsp_lower_socket(d->object) : INVALID_SOCKET;
}

void packets_socket_done(void *context)
{
    packets_target *t = context;
    if (t->held != NULL)
        lsp_done(t->held, NULL);
    t->held = NULL;
}

int packets_check(const TRANSMIT_PACKETS_ELEMENT *elements, DWORD count, DWORD flags)
{
    if (count != 0 && elements == NULL)
        return WSAEFAULT;
    if ((flags & TF_REUSE_SOCKET) != 0 && (flags & TF_DISCONNECT) == 0)
        return WSAEINVAL;
    for (DWORD i = 0; i < count; i++) {
        DWORD kind = elements[i].dwElFlags & (TP_ELEMENT_MEMORY | TP_ELEMENT_FILE);
        if (kind != TP_ELEMENT_MEMORY && kind != TP_ELEMENT_FILE)
            return WSAEINVAL;
        if (kind == TP_ELEMENT_MEMORY && elements[i].cLength != 0 && elements[i].pBuffer == NULL)
            return WSAEFAULT;
    }
    return 0;
}

/* Waits for the lower request just started on ov (rc, *err: its call's
 * result) and reads its byte count. Returns 0 or the error. */
static int step_finish(const packets_lower *lower, SOCKET s, WSAOVERLAPPED *ov, int rc, int err, DWORD *bytes)
{
    if (rc != 0 && err != WSA_IO_PENDING)
        return err;
    /* A request that already holds its result needs no wait (Wine does not
     * always set the event of a request that failed at once). */
    if ((uint32_t)ov->Internal == NTSTATUS_PENDING && WaitForSingleObject(ov->hEvent, INFINITE) != WAIT_OBJECT_0)
        return WSA_INVALID_HANDLE;
    DWORD flags = 0;
    err = 0;
    if (!lower->procs->lpWSPGetOverlappedResult(s, ov, bytes, FALSE, &flags, &err))
        return err != 0 ? err : WSA_OPERATION_ABORTED;
    return 0;
}

/* Starts ov afresh: pending, unsignalled, at the given file offset. */
static void step_reset(WSAOVERLAPPED *ov, LONGLONG offset)
{
    ResetEvent(ov->hEvent);
    ov->Internal = NTSTATUS_PENDING;
    ov->InternalHigh = 0;
    ov->Offset = (DWORD)offset;
    ov->OffsetHigh = (DWORD)(offset >> 32);
}

static int send_memory(const packets_lower *lower, SOCKET s, const TRANSMIT_PACKETS_ELEMENT *run, DWORD n,
                       WSAOVERLAPPED *ov, DWORD *sent)
{
    WSABUF *buffers = calloc(n, sizeof *buffers);
    if (buffers == NULL)
        return WSAENOBUFS;
    for (DWORD i = 0; i < n; i++) {
        buffers[i].len = run[i].cLength;
        buffers[i].buf = run[i].pBuffer;
    }
    step_reset(ov, 0);
    DWORD ignored = 0;
    int err = 0;
    int rc = lower->procs->lpWSPSend(s, buffers, n, &ignored, 0, ov, NULL, NULL, &err);
    err = step_finish(lower, s, ov, rc, err, sent);
    free(buffers);
    return err;
}

static int send_file(const packets_lower *lower, SOCKET s, const TRANSMIT_PACKETS_ELEMENT *e, WSAOVERLAPPED *ov,
                     DWORD *sent)
{
    LONGLONG offset = e->nFileOffset.QuadPart;
    if (offset == -1) {
        /* -1: from the file's current position. */
        LARGE_INTEGER zero = {0}, position;
        if (!SetFilePointerEx(e->hFile, zero, &position, FILE_CURRENT))
            return WSAEINVAL;
        offset = position.QuadPart;
    }
    step_reset(ov, offset);
    int rc = lower->transmit_file(s, e->hFile, e->cLength, 0, ov, NULL, 0) ? 0 : SOCKET_ERROR;
    return step_finish(lower, s, ov, rc, rc == 0 ? 0 : (int)GetLastError(), sent);
}

static int disconnect(const packets_lower *lower, SOCKET s, DWORD flags, WSAOVERLAPPED *ov)
{
    step_reset(ov, 0);
    int rc = lower->disconnect_ex(s, ov, flags & TF_REUSE_SOCKET, 0) ? 0 : SOCKET_ERROR;
    DWORD ignored = 0;
    return step_finish(lower, s, ov, rc, rc == 0 ? 0 : (int)GetLastError(), &ignored);
}

int packets_send(const packets_lower *lower, const packets_job *job, WSAOVERLAPPED *ov, DWORD *sent)
{
    *sent = 0;
    DWORD i = 0;
    while (i < job->count) {
        SOCKET s = lower->socket_now(lower->context);
        if (s == INVALID_SOCKET)
            return WSA_OPERATION_ABORTED; /* closed between two elements */
        DWORD bytes = 0, n = 1;
        int err;
        if (job->elements[i].dwElFlags & TP_ELEMENT_MEMORY) {
            while (i + n < job->count && (job->elements[i + n].dwElFlags & TP_ELEMENT_MEMORY))
                n++;
            err = send_memory(lower, s, job->elements + i, n, ov, &bytes);
        } else {
            err = send_file(lower, s, job->elements + i, ov, &bytes);
        }
        lower->socket_done(lower->context);
        *sent += bytes;
        if (err != 0)
            return err;
        i += n;
    }
    if ((job->flags & TF_DISCONNECT) == 0)
        return 0;
    SOCKET s = lower->socket_now(lower->context);
    if (s == INVALID_SOCKET)
        return WSA_OPERATION_ABORTED;
    int err = disconnect(lower, s, job->flags, ov);
    lower->socket_done(lower->context);
    return err;
}

bool packets_job_copy(packets_job *job, const TRANSMIT_PACKETS_ELEMENT *elements, DWORD count, DWORD flags)
{
    job->count = count;
    job->flags = flags;
    job->elements = NULL;
    if (count == 0)
        return true;
    job->elements = malloc(count * sizeof *elements);
    if (job->elements == NULL)
        return false;
    memcpy(job->elements, elements, count * sizeof *elements);
    return true;
}

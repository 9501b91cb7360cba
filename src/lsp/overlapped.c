#include "overlapped.h"

#include <stdlib.h>
#include <string.h>

#ifndef WSS_OPERATION_IN_PROGRESS
#define WSS_OPERATION_IN_PROGRESS 0x00000103L
#endif

typedef struct lsp_request {
    WSAOVERLAPPED lower; /* ours, given to the lower provider */
    volatile LONG refs;  /* the starter's (until its wait is registered) and the completion's */
    HANDLE wait;         /* the thread pool's wait on lower.hEvent */
    descriptor *d;       /* a reference for the request's life: the socket the request runs on */
    descriptor *counted; /* another reference, on the socket whose counters it feeds (AcceptEx) */
    SOCKET upper;
    lsp_io_kind kind;
    LPWSAOVERLAPPED app;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    WSATHREADID thread;
    DWORD error, bytes, flags;
} lsp_request;

static volatile LONG in_flight;

static void request_free(lsp_request *r)
{
    if (InterlockedDecrement(&r->refs) != 0)
        return;
    if (r->wait != NULL)
        UnregisterWait(r->wait); /* may run inside the wait's own callback: non-blocking */
    if (r->lower.hEvent != NULL)
        CloseHandle(r->lower.hEvent);
    descriptor_release(r->d);
    if (r->counted != NULL)
        descriptor_release(r->counted);
    free(r);
    InterlockedDecrement(&in_flight);
}

/* Runs in the application's thread, in its alertable wait. */
static void CALLBACK request_apc(DWORD_PTR context)
{
    lsp_request *r = (lsp_request *)context;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = r->routine;
    LPWSAOVERLAPPED app = r->app;
    DWORD error = r->error, bytes = r->bytes, flags = r->flags;
    request_free(r);
    routine(error, bytes, app, flags);
}

/* The lower request finished: count, record the result in the application's
 * WSAOVERLAPPED, and notify as it asked. */
static void request_complete(lsp_request *r)
{
    int err = 0;
    DWORD bytes = 0, flags = 0;
    sock_object *object = r->d->object;
    if (lsp_lower_procs(object)->lpWSPGetOverlappedResult(lsp_lower_socket(object), &r->lower, &bytes, FALSE,
                                                          &flags, &err)) {
        sock_object *counted = r->counted != NULL ? r->counted->object : object;
        shared_block *block = object_block_enter(counted);
        if (r->kind == LSP_IO_SEND || r->kind == LSP_IO_SEND_TO || r->kind == LSP_IO_CONNECT_EX)
            block_count_send(block, bytes);
        else
            block_count_receive(block, bytes);
        object_block_leave(counted);
        r->error = 0;
    } else {
        /* After a close the lower socket is gone too: the request was aborted. */
        r->error = (err == 0 || err == WSAENOTSOCK) ? (DWORD)WSA_OPERATION_ABORTED : (DWORD)err;
    }
    r->bytes = bytes;
    r->flags = flags;
    /* Provider fields first, the status last: readers look at the status. */
    r->app->Offset = flags;
    r->app->OffsetHigh = r->error;
    r->app->InternalHigh = bytes;
    if (r->routine != NULL) {
        r->app->Internal = r->error;
        if (lsp_upcalls.lpWPUQueueApc(&r->thread, request_apc, (DWORD_PTR)r, &err) == 0)
            return; /* request_apc frees it */
    } else if (WPUCompleteOverlappedRequest(r->upper, r->app, r->error, bytes, &err) != 0) {
        /* The upper handle is closed already (a close aborted the request):
         * finish the application's request ourselves. */
        r->app->Internal = r->error;
        HANDLE event = (HANDLE)((uintptr_t)r->app->hEvent & ~(uintptr_t)1);
        if (event != NULL)
            SetEvent(event);
    }
    request_free(r);
}

static void CALLBACK request_signalled(PVOID context, BOOLEAN timed_out)
{
    (void)timed_out; /* INFINITE: never */
    request_complete(context);
}

static int lower_call(lsp_request *r, const lsp_io_args *a, DWORD *bytes, DWORD *recv_flags, LPINT lpErrno)
{
    sock_object *object = r->d->object;
    WSPPROC_TABLE *lower = lsp_lower_procs(object);
    SOCKET s = lsp_lower_socket(object);
    switch (a->kind) {
    case LSP_IO_SEND:
        return lower->lpWSPSend(s, a->buffers, a->count, bytes, a->flags, &r->lower, NULL, NULL, lpErrno);
    case LSP_IO_SEND_TO:
        return lower->lpWSPSendTo(s, a->buffers, a->count, bytes, a->flags, a->to, a->to_length, &r->lower, NULL, NULL,
                                  lpErrno);
    case LSP_IO_RECV:
        return lower->lpWSPRecv(s, a->buffers, a->count, bytes, recv_flags, &r->lower, NULL, NULL, lpErrno);
    case LSP_IO_RECV_FROM:
        return lower->lpWSPRecvFrom(s, a->buffers, a->count, bytes, recv_flags, a->from, a->from_length, &r->lower,
                                    NULL, NULL, lpErrno);
    case LSP_IO_ACCEPT_EX:
        if (a->accept_ex(s, lsp_lower_socket(a->accepted->object), a->buffers->buf, a->buffers->len,
                         a->local_length, a->remote_length, bytes, &r->lower))
            return 0;
        *lpErrno = (int)GetLastError();
        return SOCKET_ERROR;
    case LSP_IO_CONNECT_EX:
    default:
        if (a->connect_ex(s, a->to, a->to_length, a->buffers ? a->buffers->buf : NULL,
                          a->buffers ? a->buffers->len : 0, bytes, &r->lower))
            return 0;
        *lpErrno = (int)GetLastError();
        return SOCKET_ERROR;
    }
}

int lsp_overlapped_start(descriptor *d, SOCKET upper, const lsp_io_args *args, LPWSAOVERLAPPED overlapped,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT lpErrno)
{
    bool receive = args->kind == LSP_IO_RECV || args->kind == LSP_IO_RECV_FROM;
    if ((routine != NULL && thread == NULL) || (receive && args->recv_flags == NULL)) {
        *lpErrno = routine != NULL ? WSAEINVAL : WSAEFAULT;
        return SOCKET_ERROR;
    }
    lsp_request *r = calloc(1, sizeof *r);
    if (r == NULL || (r->lower.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL)) == NULL) {
        free(r);
        *lpErrno = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    InterlockedIncrement(&in_flight);
    descriptor_retain(d);
    if (args->accepted != NULL) {
        descriptor_retain(args->accepted);
        r->counted = args->accepted;
    }
    r->refs = 2;
    r->d = d;
    r->upper = upper;
    r->kind = args->kind;
    r->app = overlapped;
    r->routine = routine;
    if (thread != NULL)
        r->thread = *thread;
    overlapped->Internal = WSS_OPERATION_IN_PROGRESS;
    overlapped->InternalHigh = 0;
    DWORD bytes = 0, recv_flags = receive ? *args->recv_flags : 0;
    int rc = lower_call(r, args, &bytes, &recv_flags, lpErrno);
    if (rc == SOCKET_ERROR && *lpErrno != WSA_IO_PENDING) {
        overlapped->Internal = (ULONG_PTR)*lpErrno;
        r->refs = 1; /* nothing was started: nothing will complete */
        request_free(r);
        return SOCKET_ERROR;
    }
    /* Started (pending, or done at once): the completion is signalled either
     * way, as Winsock does for overlapped requests. */
    if (!RegisterWaitForSingleObject(&r->wait, r->lower.hEvent, request_signalled, r, INFINITE,
                                     WT_EXECUTEONLYONCE)) {
        /* No wait could be set up: wait here, then complete. */
        WaitForSingleObject(r->lower.hEvent, INFINITE);
        request_complete(r);
    }
    if (rc == 0) {
        if (args->bytes != NULL)
            *args->bytes = bytes;
        if (receive)
            *args->recv_flags = recv_flags;
    }
    request_free(r); /* the starter's reference: r->wait is written by now */
    return rc;
}

BOOL lsp_overlapped_result(LPWSAOVERLAPPED overlapped, LPDWORD bytes, BOOL wait, LPDWORD flags, LPINT lpErrno)
{
    if (overlapped == NULL || bytes == NULL || flags == NULL) {
        *lpErrno = WSAEFAULT;
        return FALSE;
    }
    while (overlapped->Internal == WSS_OPERATION_IN_PROGRESS) {
        HANDLE event = (HANDLE)((uintptr_t)overlapped->hEvent & ~(uintptr_t)1);
        if (!wait) {
            *lpErrno = WSA_IO_INCOMPLETE;
            return FALSE;
        }
        if (event == NULL) {
            /* Nothing to wait on (a completion-routine request): let it run. */
            SleepEx(10, TRUE);
        } else if (WaitForSingleObject(event, INFINITE) != WAIT_OBJECT_0) {
            *lpErrno = WSA_INVALID_HANDLE;
            return FALSE;
        }
        MemoryBarrier();
    }
    *bytes = (DWORD)overlapped->InternalHigh;
    *flags = overlapped->Offset;
    if (overlapped->OffsetHigh != 0) {
        *lpErrno = (int)overlapped->OffsetHigh;
        return FALSE;
    }
    return TRUE;
}

void lsp_overlapped_drain(void)
{
    for (int waited = 0; InterlockedCompareExchange(&in_flight, 0, 0) != 0 && waited < 5000; waited += 10)
        Sleep(10);
}

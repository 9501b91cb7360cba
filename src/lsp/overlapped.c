#include "overlapped.h"

#include <stdlib.h>
#include <winternl.h>
#include <string.h>

#include "event_kit.h"
#include "layer_calls.h"
#include "lower_gate.h"
#include "lower_io.h"
#include "ntstatus.h"
#include "payload.h"
#include "transmit_packets.h"

/* What our request's status reads before the lower provider writes it: a
 * customer-defined NTSTATUS, which no provider writes. */
#define LOWER_UNTOUCHED ((ULONG_PTR)0x2ead5eedu)

/* One overlapped request, from its start to its end. Its life has at most
 * three stages, each with one owner and a definite end, and nothing polls:
 *   1. started: the lower request runs. It completes to the thread pool:
 *      through the lower socket's completion binding (port mode, lower_io.h)
 *      or, where the socket cannot be bound here, through a thread-pool wait
 *      on its event (event mode). That completion holds a hold on our module
 *      and a reference on the lower provider. A request the lower provider
 *      finishes at once skips to 2, in the call, so the WSAOVERLAPPED is
 *      complete when the call returns;
 *   2. completed: the lower result is read, the lower provider released, the
 *      application notified; a pool callback ends by dropping its module
 *      hold (FreeLibraryWhenCallbackReturns);
 *   3. only for a completion routine: the APC on the application's thread
 *      holds the request and one more module hold, dropped after the
 *      routine ran (lsp_module_drop_after_apc).
 * Stage 2 runs once (claimed); the memory lives until the last of the
 * starting call, the completion and the APC let go of it (refs). So
 * WSPCleanup never waits for a request: one still pending keeps what it
 * uses, and a routine queued before WSACleanup runs in the next alertable
 * wait, as with ws2_32's own providers. */
typedef struct lsp_request {
    WSAOVERLAPPED lower; /* ours, given to the lower provider */
    event_kit *kit;      /* event mode: our event and its wait (lower.hEvent: the event, low bit set: no packet) */
    lower_io *io;        /* port mode: the lower socket's binding, a reference */
    volatile LONG refs;  /* the starting call's, the completion's, the APC's */
    volatile LONG waiting; /* port mode: the starting call and the completion; the last one completes */
    volatile LONG claimed; /* 1 once stage 2 began */
    lsp_lower *provider; /* a reference until the lower result is read */
    SOCKET lower_socket;
    descriptor *d;       /* a reference for the request's life: the socket the request runs on */
    descriptor *counted; /* another reference, on the socket whose counters it feeds (AcceptEx) */
    SOCKET upper;
    lsp_io_kind kind;
    LPWSAOVERLAPPED app;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    WSATHREADID thread;
    DWORD error, bytes, flags;
    uint32_t status; /* a failure's NTSTATUS as the lower provider gave it, or 0 */
    /* TransmitPackets: the pool work that sends, what it sends and with what. */
    PTP_WORK work;
    packets_job packets;
    LPFN_TRANSMITFILE transmit_file;
    LPFN_DISCONNECTEX disconnect_ex;
    /* In the list of started requests, from before the lower call until
     * freed: a close cancels its process's requests through it. */
    struct lsp_request *prev, *next;
    bool listed;
    /* A destination the layer saw (and may have changed): the provider
     * below may read it again after its call returns (Wine does, when a
     * send pends), so it lives as long as the request. */
    SOCKADDR_STORAGE routed;
    WSAMSG routed_msg;
    /* A receive's WSABUFs, for the layer's payload hook when it finishes:
     * the application may have built the array on its stack (Winsock lets
     * it), so the request keeps a copy; the bytes are the application's,
     * valid until its completion is reported. */
    WSABUF *seen;
    DWORD seen_count;
    /* A send's bytes as a layer that rewrites sends left them: the provider
     * below reads them until the request ends (payload.h). */
    lsp_send_copy *sent_copy;
} lsp_request;

static SRWLOCK started_lock = SRWLOCK_INIT;
static lsp_request *started;

static void started_add(lsp_request *r)
{
    AcquireSRWLockExclusive(&started_lock);
    r->next = started;
    if (started != NULL)
        started->prev = r;
    started = r;
    r->listed = true;
    ReleaseSRWLockExclusive(&started_lock);
}

static void started_remove(lsp_request *r)
{
    AcquireSRWLockExclusive(&started_lock);
    if (r->prev != NULL)
        r->prev->next = r->next;
    else
        started = r->next;
    if (r->next != NULL)
        r->next->prev = r->prev;
    ReleaseSRWLockExclusive(&started_lock);
}

void lsp_overlapped_cancel(SOCKET lower_socket)
{
    /* Each request by its own WSAOVERLAPPED: a blocking call another
     * thread makes on the socket is not ours to cancel. One that finished
     * already is simply not found. */
    AcquireSRWLockShared(&started_lock);
    for (lsp_request *r = started; r != NULL; r = r->next) {
        if (r->lower_socket == lower_socket)
            CancelIoEx((HANDLE)lower_socket, &r->lower);
    }
    ReleaseSRWLockShared(&started_lock);
}

/* What a request holds of its own, given back however it ends (released,
 * or never started: request_unprepare). */
static void request_free_parts(lsp_request *r)
{
    if (r->kit != NULL)
        event_kit_give(r->kit);
    if (r->io != NULL)
        lower_io_release(r->io);
    free(r->packets.elements);
    free(r->seen);
    free(r->sent_copy);
}

static void request_release(lsp_request *r)
{
    if (InterlockedDecrement(&r->refs) != 0)
        return;
    if (r->listed)
        started_remove(r);
    request_free_parts(r);
    if (descriptor_handle_release(r->d)) {
        /* The socket was closed while this request ran: its handle stayed
         * open for the completion, and closes now. */
        int ignored = 0;
        lsp_upcalls.lpWPUCloseSocketHandle(r->upper, &ignored);
    }
    descriptor_release(r->d);
    if (r->counted != NULL)
        descriptor_release(r->counted);
    free(r);
}

/* Stage 2 is had once: by the completion, or by the starting call when the
 * lower request finished before its call returned. */
static bool request_claim(lsp_request *r) { return InterlockedExchange(&r->claimed, 1) == 0; }

/* Runs in the application's thread, in its alertable wait (stage 3). */
static void CALLBACK request_apc(DWORD_PTR context)
{
    lsp_request *r = (lsp_request *)context;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = r->routine;
    LPWSAOVERLAPPED app = r->app;
    DWORD error = r->error, bytes = r->bytes, flags = r->flags;
    request_release(r);
    routine(error, bytes, app, flags);
    lsp_module_drop_after_apc();
}

/* Counts what a finished request moved, on the socket whose counters it
 * feeds; a receive's bytes (AcceptEx's first data: the accepted socket's)
 * go to the layer's payload hook first, before the application hears of
 * them (its notification follows). */
static void request_count(lsp_request *r)
{
    if (r->kind == LSP_IO_IOCTL || r->kind == LSP_IO_DISCONNECT_EX)
        return;
    if (r->seen != NULL)
        lsp_layer_received(r->counted != NULL ? r->counted : r->d, r->seen, r->seen_count, r->bytes);
    bool sent = r->kind == LSP_IO_SEND || r->kind == LSP_IO_SEND_TO || r->kind == LSP_IO_CONNECT_EX ||
                r->kind == LSP_IO_TRANSMIT_FILE || r->kind == LSP_IO_SEND_MSG ||
                r->kind == LSP_IO_TRANSMIT_PACKETS;
    lsp_count(r->counted != NULL ? r->counted : r->d, sent, r->bytes);
}

/* Records the result in the application's WSAOVERLAPPED and notifies as it
 * asked (a routine's APC takes a reference of its own). */
static void request_notify(lsp_request *r)
{
    int err = 0;
    /* Provider fields first, the status last: readers look at the status. */
    if (r->kind == LSP_IO_RECV || r->kind == LSP_IO_RECV_FROM)
        r->app->Offset = r->flags; /* where WSAGetOverlappedResult reads them */
    r->app->InternalHigh = r->bytes;
    /* The lower provider's own status where it gave one that says the same
     * error (STATUS_BUFFER_TOO_SMALL and STATUS_ACCESS_VIOLATION are both
     * WSAEFAULT): the application reads what it would read without us.
     * wsphost's WPUCompleteOverlappedRequest keeps a status found there
     * when it says the error it is given. */
    uint32_t status = r->status != 0 ? r->status : ntstatus_from_wsa_error(r->error);
    if (r->routine != NULL) {
        r->app->Internal = status;
        /* The APC gets a hold of its own: its starter's ends before it runs. */
        if (lsp_module_hold()) {
            InterlockedIncrement(&r->refs);
            if (lsp_upcalls.lpWPUQueueApc(&r->thread, request_apc, (DWORD_PTR)r, &err) == 0)
                return;
            InterlockedDecrement(&r->refs); /* the caller's reference remains */
            lsp_module_drop_early();
        }
    } else {
        if (r->status != 0)
            r->app->Internal = r->status;
        if (WPUCompleteOverlappedRequest(r->upper, r->app, r->error, r->bytes, &err) != 0) {
            /* The upper handle is closed already (a close aborted the
             * request): finish the application's request ourselves. */
            r->app->Internal = status;
            HANDLE event = (HANDLE)((uintptr_t)r->app->hEvent & ~(uintptr_t)1);
            if (event != NULL)
                SetEvent(event);
        }
    }
}

/* An AcceptEx's connection, judged by the layer before the application
 * hears of it (the peer named as accept names it: the accepted socket
 * updated from the listening one first, as Windows wants for getpeername).
 * A refused connection is shut down both ways (lsp_refuse_connection); the
 * application's socket stays its own to close. The calls pass both sockets'
 * lower gates (each names its lower socket). An accepting socket that is
 * closing has nothing left to judge; a listener that is closing cannot be
 * asked about, so its connection is refused rather than let through
 * unjudged. 0, or the error the request fails with. */
static int request_accept_verdict(lsp_request *r)
{
    sock_object *object = r->counted->object, *listener = r->d->object;
    if (!lower_gate_enter(object))
        return 0;
    WSPPROC_TABLE *procs = &r->provider->procs;
    if (!lower_gate_enter(listener)) {
        lsp_refuse_connection(procs, lsp_lower_socket(object), false);
        lower_gate_leave(object);
        return WSA_OPERATION_ABORTED; /* what the listener's close gives a request it ends */
    }
    SOCKET accepted = lsp_lower_socket(object), listening = r->lower_socket;
    int ignored = 0;
    procs->lpWSPSetSockOpt(accepted, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (const char *)&listening,
                           sizeof listening, &ignored);
    int refused = lsp_layer_accept(r->d, accepted);
    if (refused != 0)
        lsp_refuse_connection(procs, accepted, false);
    lower_gate_leave(listener);
    lower_gate_leave(object);
    return refused;
}

/* The lower request finished (stage 2): read its result, count, notify. */
static void request_complete(lsp_request *r)
{
    int err = 0;
    DWORD bytes = 0, flags = 0;
    BOOL done = r->provider->procs.lpWSPGetOverlappedResult(r->lower_socket, &r->lower, &bytes, FALSE, &flags, &err);
    int refused = LSP_LAYER_HAS(accept) && done && r->kind == LSP_IO_ACCEPT_EX ? request_accept_verdict(r) : 0;
    lsp_lower_release(r->provider); /* after a WSPCleanup, the last use may stop it */
    r->provider = NULL;
    r->bytes = refused != 0 ? 0 : bytes;
    r->flags = flags;
    if (done && refused != 0) {
        r->error = (DWORD)refused;
    } else if (done) {
        r->error = 0;
        request_count(r);
    } else {
        /* After a close the lower socket is gone too: the request was aborted. */
        r->error = (err == 0 || err == WSAENOTSOCK) ? (DWORD)WSA_OPERATION_ABORTED : (DWORD)err;
        uint32_t status = (uint32_t)r->lower.Internal, said = 0;
        if (r->lower.Internal != LOWER_UNTOUCHED && ntstatus_to_wsa_error(status, &said) && said == r->error)
            r->status = status;
    }
    request_notify(r);
}

/* Event mode: the lower request's event was set. */
static void request_signalled(PTP_CALLBACK_INSTANCE instance, void *context)
{
    lsp_request *r = context;
    if (request_claim(r))
        request_complete(r);
    request_release(r);
    FreeLibraryWhenCallbackReturns(instance, lsp_module());
}

/* Port mode: the lower request's completion reached the port. The starting
 * call may still be writing the application's WSAOVERLAPPED (pending): the
 * later of the two completes. */
static void CALLBACK request_posted(PTP_CALLBACK_INSTANCE instance, PVOID context, PVOID overlapped, ULONG result,
                                    ULONG_PTR bytes, PTP_IO io)
{
    (void)context, (void)result, (void)bytes, (void)io; /* the lower provider's result is read from it */
    lsp_request *r = CONTAINING_RECORD(overlapped, lsp_request, lower);
    if (InterlockedDecrement(&r->waiting) == 0 && request_claim(r))
        request_complete(r);
    request_release(r);
    FreeLibraryWhenCallbackReturns(instance, lsp_module());
}

/* TransmitPackets' stage 1 and 2 in one: the pool work sends the elements
 * one lower request after another on our WSAOVERLAPPED, then completes the
 * application's request with what went (counted even when a later element
 * failed: those bytes left). */
static void CALLBACK packets_work(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    lsp_request *r = context;
    CloseThreadpoolWork(work);
    packets_target target = {.upper = r->upper, .d = r->d};
    packets_lower lower = {.procs = &r->provider->procs,
                           .transmit_file = r->transmit_file,
                           .disconnect_ex = r->disconnect_ex,
                           .socket_now = packets_socket_now,
                           .socket_done = packets_socket_done,
                           .context = &target};
    DWORD sent = 0;
    int err = packets_send(&lower, &r->packets, &r->lower, &sent);
    lsp_lower_release(r->provider);
    r->provider = NULL;
    r->bytes = sent;
    r->error = (err == WSAENOTSOCK) ? (DWORD)WSA_OPERATION_ABORTED : (DWORD)err;
    request_count(r);
    request_notify(r);
    request_release(r);
    FreeLibraryWhenCallbackReturns(instance, lsp_module());
}

/* Whether the lower provider completed its request already: our event is
 * set (it is ours alone, and a reused one was reset after the call), or the
 * status holds a result. Wine completes a request that fails after it
 * pended (an ioctl it does not know) to the port and the routine, and
 * writes the status, without setting the event: nothing would wake our
 * wait. */
static bool lower_finished(const lsp_request *r)
{
    uint32_t status = (uint32_t)r->lower.Internal;
    return (r->kit != NULL && WaitForSingleObject(r->kit->event, 0) == WAIT_OBJECT_0) ||
           (r->lower.Internal != LOWER_UNTOUCHED && status != NTSTATUS_PENDING);
}

static void app_event_reset(LPWSAOVERLAPPED overlapped)
{
    HANDLE event = (HANDLE)((uintptr_t)overlapped->hEvent & ~(uintptr_t)1);
    if (event != NULL)
        ResetEvent(event);
}

static int lower_call(lsp_request *r, const lsp_io_args *a, DWORD *bytes, DWORD *recv_flags, LPINT lpErrno)
{
    WSPPROC_TABLE *lower = &r->provider->procs;
    SOCKET s = r->lower_socket;
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
    case LSP_IO_DISCONNECT_EX:
        if (a->disconnect_ex(s, &r->lower, a->flags, a->reserved))
            return 0;
        *lpErrno = (int)GetLastError();
        return SOCKET_ERROR;
    case LSP_IO_TRANSMIT_FILE:
        if (a->transmit_file(s, a->file, a->write_length, a->send_length, &r->lower, a->file_buffers, a->flags))
            return 0;
        *lpErrno = (int)GetLastError();
        return SOCKET_ERROR;
    case LSP_IO_RECV_MSG:
        if (a->recv_msg(s, a->msg, bytes, &r->lower, NULL) == 0)
            return 0;
        *lpErrno = (int)GetLastError();
        return SOCKET_ERROR;
    case LSP_IO_SEND_MSG:
        if (a->send_msg(s, a->msg, a->flags, bytes, &r->lower, NULL) == 0)
            return 0;
        *lpErrno = (int)GetLastError();
        return SOCKET_ERROR;
    case LSP_IO_IOCTL:
        /* The application's byte count goes down as it came: the base
         * decides whether a missing one is refused (Wine's refuses it with
         * WSAEFAULT even with a WSAOVERLAPPED) and writes it as it would
         * without us (the size needed, with a failure). */
        return lower->lpWSPIoctl(s, a->ioctl_code, a->in, a->in_length, a->out, a->out_length, a->bytes, &r->lower,
                                 NULL, NULL, lpErrno);
    case LSP_IO_CONNECT_EX:
    default:
        if (a->connect_ex(s, a->to, a->to_length, a->buffers ? a->buffers->buf : NULL,
                          a->buffers ? a->buffers->len : 0, bytes, &r->lower))
            return 0;
        *lpErrno = (int)GetLastError();
        return SOCKET_ERROR;
    }
}

/* Takes what a request needs before its lower request can start: once it
 * has started, it always completes to the pool. False: out of resources. */
/* Whether a request's result says if a packet follows on a lower socket
 * that skips the port on success: one that pended posts exactly one, one
 * done or refused in its call none. Not so for Wine's ioctls, which may
 * answer WSA_IO_PENDING for a request they finished in the call
 * (IOCTL_AFD_WINE_COMPLETE_ASYNC), nor its DisconnectEx, which answers
 * WSA_IO_PENDING for a shutdown done in the call: neither then posts. Nor
 * its TransmitFile, marked pending before its first bytes go
 * (set_async_direct_result with mark_pending): one that fails inside the
 * call returns the error and still posts. Those keep an event, set either
 * way, and a request on the event posts nothing. */
static bool request_posts_by_result(lsp_io_kind kind)
{
    return kind != LSP_IO_IOCTL && kind != LSP_IO_DISCONNECT_EX && kind != LSP_IO_TRANSMIT_FILE;
}

static bool request_prepare(lsp_request *r, descriptor *d, const lsp_io_args *args)
{
    if (args->kind == LSP_IO_TRANSMIT_PACKETS) {
        /* Sent on the pool, element after element, each waited for on the
         * event: no port. */
        r->work = CreateThreadpoolWork(packets_work, r, NULL);
        if (r->work == NULL || !packets_job_copy(&r->packets, args->elements, args->count, args->flags))
            return false;
    } else {
        r->io = lower_io_get(d->object, request_posted);
    }
    if (r->io != NULL && !request_posts_by_result(args->kind) && lower_io_skips(r->io)) {
        lower_io_release(r->io);
        r->io = NULL;
    }
    if (r->io == NULL) {
        r->kit = event_kit_take(request_signalled);
        if (r->kit == NULL)
            return false;
        /* TransmitPackets waits on the event itself, element by element. */
        if (r->work != NULL)
            event_kit_clean(r->kit);
        r->lower.hEvent = (HANDLE)((uintptr_t)r->kit->event | 1);
    }
    DWORD count = 0;
    const WSABUF *receives = LSP_LAYER_HAS(payload) ? lsp_payload_receives(args, &count) : NULL;
    if (receives != NULL) {
        r->seen = calloc(count, sizeof *r->seen);
        if (r->seen == NULL)
            return false;
        memcpy(r->seen, receives, count * sizeof *r->seen);
        r->seen_count = count;
    }
    return lsp_module_hold(); /* the completion's */
}

static void request_unprepare(lsp_request *r)
{
    if (r->work != NULL)
        CloseThreadpoolWork(r->work);
    request_free_parts(r);
    free(r);
}

/* The completion will not come (the request finished in the call, or
 * failed at once): what it would have held is let go. */
static void request_no_completion(lsp_request *r)
{
    InterlockedDecrement(&r->refs); /* the completion's; the caller's remains */
    lsp_module_drop_early();        /* the caller's call still holds the module */
}

/* The destination of a sendto, a ConnectEx or a message with an address,
 * given to the layer: *args becomes routed_args, pointing at the copies
 * (routed, routed_msg), when it has one. 0, or the layer's error. */
static int request_route(descriptor *d, const lsp_io_args **args, lsp_io_args *routed_args, SOCKADDR_STORAGE *routed,
                         WSAMSG *routed_msg)
{
    const lsp_io_args *a = *args;
    int refused = 0;
    if (a->kind == LSP_IO_SEND_TO || a->kind == LSP_IO_CONNECT_EX) {
        *routed_args = *a;
        refused = lsp_layer_route(d, a->kind == LSP_IO_SEND_TO ? SHARELSP_DESTINATION_SEND_TO
                                                               : SHARELSP_DESTINATION_CONNECT_EX,
                                  &routed_args->to, &routed_args->to_length, routed);
    } else if (a->kind == LSP_IO_SEND_MSG && a->msg != NULL && a->msg->name != NULL) {
        *routed_args = *a;
        *routed_msg = *a->msg;
        const struct sockaddr *to = routed_msg->name;
        refused = lsp_layer_route(d, SHARELSP_DESTINATION_SEND_TO, &to, &routed_msg->namelen, routed);
        routed_msg->name = (LPSOCKADDR)to;
        routed_args->msg = routed_msg;
    } else {
        return 0;
    }
    if (refused == 0)
        *args = routed_args;
    return refused;
}

/* Moves what request_route made into the request, for its life. */
static void request_keep_route(lsp_request *r, lsp_io_args *routed_args, const SOCKADDR_STORAGE *routed,
                               const WSAMSG *routed_msg)
{
    r->routed = *routed;
    if (routed_args->kind == LSP_IO_SEND_MSG) {
        r->routed_msg = *routed_msg;
        if (r->routed_msg.name == (LPSOCKADDR)routed)
            r->routed_msg.name = (LPSOCKADDR)&r->routed;
        routed_args->msg = &r->routed_msg;
    } else if (routed_args->to == (const struct sockaddr *)routed) {
        routed_args->to = (const struct sockaddr *)&r->routed;
    }
}

int lsp_overlapped_start(descriptor *d, SOCKET upper, const lsp_io_args *args, LPWSAOVERLAPPED overlapped,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT lpErrno)
{
    /* The layer sees a destination before anything starts, so a refusal
     * leaves nothing to complete; what it allowed moves into the request
     * once there is one (request_keep_route). */
    lsp_io_args routed_args;
    SOCKADDR_STORAGE routed;
    WSAMSG routed_msg;
    if (LSP_LAYER_HAS(destination)) {
        int refused = request_route(d, &args, &routed_args, &routed, &routed_msg);
        if (refused != 0) {
            *lpErrno = refused;
            return SOCKET_ERROR;
        }
    }
    bool receive = args->kind == LSP_IO_RECV || args->kind == LSP_IO_RECV_FROM;
    if ((routine != NULL && thread == NULL) || (receive && args->recv_flags == NULL)) {
        *lpErrno = routine != NULL ? WSAEINVAL : WSAEFAULT;
        return SOCKET_ERROR;
    }
    /* As any I/O call does with the event it is given: a program that
     * waits on an event a previous request left set must not wake before
     * this one is done. Nothing of ours sets it before this call has
     * finished with the request, so the reset waits until the request is
     * known to pend or to have failed: one done at once (the usual case)
     * sets the event anyway, and skips a wineserver call. A routine's
     * request never sets it: reset first, as before any call. */
    bool reset_later = routine == NULL;
    if (!reset_later)
        app_event_reset(overlapped);
    /* A layer that rewrites sends gets ShareLSP's copy, which the request
     * owns from here: every way it ends frees it. */
    lsp_send_copy *copy = NULL;
    int uncopied = LSP_LAYER_HAS(payload) ? lsp_payload_copy_request(args, &copy) : 0;
    if (uncopied != 0) {
        if (reset_later)
            app_event_reset(overlapped);
        *lpErrno = uncopied;
        return SOCKET_ERROR;
    }
    lsp_request *r = calloc(1, sizeof *r);
    if (r == NULL)
        free(copy);
    else
        r->sent_copy = copy;
    if (r == NULL || !request_prepare(r, d, args)) {
        if (r != NULL)
            request_unprepare(r);
        if (reset_later)
            app_event_reset(overlapped);
        *lpErrno = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    if (args == &routed_args)
        request_keep_route(r, &routed_args, &routed, &routed_msg);
    descriptor_retain(d);
    descriptor_handle_hold(d);
    if (args->accepted != NULL) {
        descriptor_retain(args->accepted);
        r->counted = args->accepted;
    }
    r->refs = 2; /* this call's and the completion's */
    r->waiting = 2;
    r->provider = lsp_socket_entry(d->object)->lower;
    lsp_lower_retain(r->provider);
    r->lower_socket = lsp_lower_socket(d->object);
    r->d = d;
    r->upper = upper;
    r->kind = args->kind;
    r->app = overlapped;
    r->routine = routine;
    if (thread != NULL)
        r->thread = *thread;
    started_add(r);
    if (r->work != NULL) {
        r->transmit_file = args->transmit_file;
        r->disconnect_ex = args->disconnect_ex;
        overlapped->Internal = NTSTATUS_PENDING;
        overlapped->InternalHigh = 0;
        if (reset_later)
            app_event_reset(overlapped);
        SubmitThreadpoolWork(r->work); /* the work holds the completion's reference */
        request_release(r);
        *lpErrno = WSA_IO_PENDING;
        return SOCKET_ERROR;
    }
    /* A call that fails at once leaves the application's status fields
     * as the lower provider left its own (untouched, if it did not write
     * them): exactly as the application would see them without us. */
    /* TransmitFile reads the file from the offset the application's
     * WSAOVERLAPPED gives; a receive's flags come back there (the lower
     * provider writes them or leaves the program's value, and they go back
     * to the program's WSAOVERLAPPED). Others start at 0: their routine
     * gets no flags, as from Wine's own. */
    if (args->kind == LSP_IO_TRANSMIT_FILE || receive) {
        r->lower.Offset = overlapped->Offset;
        r->lower.OffsetHigh = overlapped->OffsetHigh;
    }
    r->lower.Internal = LOWER_UNTOUCHED;
    r->lower.InternalHigh = overlapped->InternalHigh;
    DWORD bytes = 0, recv_flags = receive ? *args->recv_flags : 0;
    if (r->io != NULL)
        lower_io_expect(r->io);
    lsp_io_args shown;
    if (LSP_LAYER_HAS(payload))
        args = lsp_payload_show_request(d, args, r->sent_copy, &shown);
    int rc = lower_call(r, args, &bytes, &recv_flags, lpErrno);
    int err = rc == SOCKET_ERROR ? *lpErrno : 0;
    /* A kit reused dirty is reset before its event is read or waited on
     * (Wine resets the event an I/O call is given when the request starts;
     * a provider need not, and one that refuses at once has not started
     * one); a completion that set it before the reset has written the
     * status, which lower_finished reads too. One done at once needs
     * neither. */
    if (rc == SOCKET_ERROR && r->kit != NULL)
        event_kit_clean(r->kit);
    /* A completion reaches the port for a request that pended; on a socket
     * that does not skip the port on success, also for one that succeeded
     * or wrote its status (it failed after it was queued): never for one
     * refused at once, whose status the lower provider leaves untouched. */
    bool posts = err == WSA_IO_PENDING ||
                 (r->io != NULL && !lower_io_skips(r->io) && (rc == 0 || r->lower.Internal != LOWER_UNTOUCHED));
    if (r->io != NULL && !posts)
        lower_io_unexpect(r->io);
    if (rc == SOCKET_ERROR && err != WSA_IO_PENDING && !lower_finished(r)) {
        /* Nothing was started: nothing will complete. */
        if (reset_later)
            app_event_reset(overlapped);
        if (r->lower.Internal != LOWER_UNTOUCHED)
            overlapped->Internal = r->lower.Internal;
        overlapped->InternalHigh = r->lower.InternalHigh;
        request_claim(r);
        lsp_lower_release(r->provider);
        r->provider = NULL;
        if (r->io == NULL || !posts)
            request_no_completion(r);
        request_release(r);
        return SOCKET_ERROR;
    }
    if (rc == SOCKET_ERROR && lower_finished(r)) {
        /* The lower request is complete already: it pended, or it failed
         * and still completed (Wine completes a refused ioctl to the
         * port and the routine too). The application's completes now,
         * before the call returns, as it would without us: a program
         * that looks at its port or its WSAOVERLAPPED at once finds the
         * result. A completion to the port still comes, and finds the
         * request claimed. */
        if (request_claim(r))
            request_complete(r);
        if (r->io == NULL || !posts)
            request_no_completion(r);
        request_release(r);
        *lpErrno = err;
        return SOCKET_ERROR;
    }
    if (rc == 0) {
        /* Done at once. As with ws2_32's own providers the application's
         * WSAOVERLAPPED is complete when the call returns, and the
         * completion is still signalled (event, routine). */
        if (args->kind == LSP_IO_TRANSMIT_FILE) {
            /* TransmitFile has no byte-count parameter: the lower request
             * holds the count. */
            DWORD ignored_flags = 0;
            int ignored = 0;
            r->provider->procs.lpWSPGetOverlappedResult(r->lower_socket, &r->lower, &bytes, FALSE, &ignored_flags,
                                                        &ignored);
        }
        if (args->bytes != NULL && args->kind != LSP_IO_IOCTL)
            *args->bytes = bytes;
        if (receive)
            *args->recv_flags = recv_flags;
        request_claim(r);
        lsp_lower_release(r->provider);
        r->provider = NULL;
        r->error = 0;
        /* An ioctl done at once completes with no byte count (its output
         * length went to lpcbBytesReturned), as ws2_32 completes it. */
        r->bytes = args->kind == LSP_IO_IOCTL ? 0 : bytes;
        r->flags = recv_flags;
        request_count(r);
        request_notify(r);
        if (r->io == NULL || !posts)
            request_no_completion(r);
        request_release(r);
        return 0;
    }
    /* Pending: InternalHigh untouched, Internal STATUS_PENDING — except for
     * an ioctl the lower provider left its own untouched (Wine's ws2_32
     * writes nothing for a waiting ioctl): the application's value stays.
     * Written before the completion can be had: the wait is set after it,
     * and a completion that reached the port already leaves the rest to
     * this call. */
    if (args->kind != LSP_IO_IOCTL || r->lower.Internal != LOWER_UNTOUCHED)
        overlapped->Internal = NTSTATUS_PENDING;
    if (reset_later)
        app_event_reset(overlapped);
    if (r->io == NULL)
        event_kit_arm(r->kit, r);
    else if (InterlockedDecrement(&r->waiting) == 0 && request_claim(r))
        request_complete(r);
    request_release(r);
    return rc;
}

void lsp_overlapped_done_now(descriptor *d, SOCKET upper, LPWSAOVERLAPPED overlapped,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, DWORD bytes)
{
    lsp_request *r = calloc(1, sizeof *r);
    if (r == NULL) {
        /* Nothing to queue a routine with: the result, and the event. */
        overlapped->InternalHigh = bytes;
        overlapped->Internal = NTSTATUS_SUCCESS;
        HANDLE event = (HANDLE)((uintptr_t)overlapped->hEvent & ~(uintptr_t)1);
        if (event != NULL)
            SetEvent(event);
        return;
    }
    descriptor_retain(d);
    descriptor_handle_hold(d);
    r->refs = 1;
    r->d = d;
    r->upper = upper;
    r->kind = LSP_IO_IOCTL;
    r->app = overlapped;
    r->routine = routine;
    if (thread != NULL)
        r->thread = *thread;
    r->bytes = bytes;
    request_notify(r);
    request_release(r);
}

BOOL lsp_overlapped_result(LPWSAOVERLAPPED overlapped, LPDWORD bytes, BOOL wait, LPDWORD flags, LPINT lpErrno)
{
    /* As ws2_32 reads its own providers' requests: everything from the
     * NTSTATUS in Internal, so a status the application wrote there itself
     * reads as it would without ShareLSP. */
    uint32_t status = (uint32_t)overlapped->Internal;
    MemoryBarrier(); /* the result fields are read after the status */
    if (status == NTSTATUS_PENDING) {
        if (!wait) {
            *lpErrno = WSA_IO_INCOMPLETE;
            return FALSE;
        }
        HANDLE event = (HANDLE)((uintptr_t)overlapped->hEvent & ~(uintptr_t)1);
        while ((status = (uint32_t)overlapped->Internal) == NTSTATUS_PENDING) {
            if (event == NULL) {
                SleepEx(10, TRUE); /* a completion-routine request: let it run */
            } else if (WaitForSingleObject(event, INFINITE) == WAIT_FAILED) {
                *lpErrno = WSA_INVALID_HANDLE;
                return FALSE;
            }
        }
        MemoryBarrier();
    }
    if (bytes != NULL)
        *bytes = (DWORD)overlapped->InternalHigh;
    if (flags != NULL)
        *flags = overlapped->Offset;
    uint32_t error = 0;
    if (!ntstatus_to_wsa_error(status, &error))
        error = RtlNtStatusToDosError((NTSTATUS)status);
    *lpErrno = (int)error;
    return (int32_t)status >= 0;
}

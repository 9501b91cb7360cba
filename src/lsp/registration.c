/* Event registration: WSPEventSelect, WSPAsyncSelect, WSPEnumNetworkEvents.
 * The socket's registration slot (in the shared block) records every
 * registration made through any descriptor, so the last one, from whichever
 * descriptor or process, is the one that stands (rules R5, R6).
 *
 * One rule for every change: under the socket's registration lock, the slot
 * first, then the lower provider; if the lower provider refuses, the slot
 * gets back what it had. The lock is the object's own lock of this process
 * and, once the socket may be registered from another process too
 * (lsp_registration_go_remote: a duplication into another process, or a
 * socket restored from one), an unnamed mutex beside the block's section
 * (section.c) as well, held by every process that maps the block, so the
 * slot and the lower provider agree across threads and processes alike. A
 * socket no other process holds costs no kernel call. The lock is held only
 * for that pair of steps; a process that dies holding the mutex leaves it
 * abandoned, which the next holder takes as free: the slot needs no repair
 * (its updates are lock-free, block.h), and the registration being made
 * replaces whatever the dead one left at the lower provider. */
#include "lsp.h"

#include "async.h"
#include "lower_gate.h"
#include "section.h"

/* The socket's registration lock, taken: false (*lpErrno set) if it cannot
 * be. *mutex is the section's mutex, or NULL while no other process can
 * register the socket. The first registration still moves the block into a
 * section (its handles are then had for the socket's life, not at a
 * duplication that may fail). */
static bool registration_lock(sock_object *object, HANDLE *mutex, LPINT lpErrno)
{
    HANDLE section = NULL, lock = NULL;
    int err = section_share_block(object, &section, &lock);
    if (err != 0) {
        *lpErrno = err;
        return false;
    }
    plat_rwlock_write(&object->registration_local);
    *mutex = plat_atomic_load32(&object->registration_remote) ? lock : NULL;
    DWORD waited = *mutex != NULL ? WaitForSingleObject(lock, INFINITE) : WAIT_OBJECT_0;
    if (waited != WAIT_OBJECT_0 && waited != WAIT_ABANDONED) {
        plat_rwlock_write_done(&object->registration_local);
        *lpErrno = WSAENOBUFS;
        return false;
    }
    return true;
}

static void registration_unlock(sock_object *object, HANDLE mutex)
{
    if (mutex != NULL)
        ReleaseMutex(mutex);
    plat_rwlock_write_done(&object->registration_local);
}

void lsp_registration_go_remote(sock_object *object)
{
    /* Under the local lock: a registration of this process under it alone
     * ends before any other process can take the mutex. */
    plat_rwlock_write(&object->registration_local);
    plat_atomic_store32(&object->registration_remote, 1);
    plat_rwlock_write_done(&object->registration_local);
}

/* What the lower provider is asked for with a registration: the raw lEvent
 * (the slot keeps only the ten events), and for an async one the hidden
 * window and the registration's own message. */
typedef struct lower_request {
    long events;
    HWND hidden;
    WSAEVENT event;
} lower_request;

static int registration_lower(sock_object *object, const slot_registration *reg, const lower_request *lower,
                              LPINT lpErrno)
{
    WSPPROC_TABLE *procs = lsp_lower_procs(object);
    SOCKET s = lsp_lower_socket(object);
    if (reg->kind == SLOT_EVENT)
        return procs->lpWSPEventSelect(s, lower->event, lower->events, lpErrno);
    /* lEvent 0 cancels at the lower provider too. */
    return procs->lpWSPAsyncSelect(s, lower->hidden, lower->events ? reg->notice : 0, lower->events, lpErrno);
}

/* The one path of every registration and cancellation (see the top). */
static int registration_change(sock_object *object, const slot_registration *reg, const lower_request *lower,
                               LPINT lpErrno)
{
    HANDLE mutex = NULL;
    if (!registration_lock(object, &mutex, lpErrno))
        return SOCKET_ERROR;
    slot_record replaced;
    uint64_t generation = 0;
    shared_block *block = object_block_enter(object);
    core_status st = slot_register(block, reg, &replaced, &generation);
    object_block_leave(object);
    int r = SOCKET_ERROR;
    if (st != CORE_OK) {
        *lpErrno = lsp_wsa_error(st);
    } else if ((r = registration_lower(object, reg, lower, lpErrno)) != 0) {
        block = object_block_enter(object);
        slot_undo(block, generation, &replaced);
        object_block_leave(object);
    } else {
        /* The lower provider dropped the message it had from this process
         * for the socket (any registration replaces it). */
        UINT given = reg->kind == SLOT_ASYNC ? reg->notice : 0;
        async_message_retire((UINT)InterlockedExchange((volatile LONG *)&object->lower_message, (LONG)given));
    }
    if (r != 0)
        async_message_return(reg->notice);
    registration_unlock(object, mutex);
    return r;
}

static int registration_event(sock_object *object, SOCKET upper, WSAEVENT event, long events, LPINT lpErrno)
{
    slot_registration reg = {.kind = SLOT_EVENT,
                             .event_mask = (uint32_t)events & SLOT_EVENT_MASK_ALL,
                             .descriptor = (uint64_t)upper,
                             .event = (uint64_t)(uintptr_t)event};
    lower_request lower = {.events = events, .event = event};
    return registration_change(object, &reg, &lower, lpErrno);
}

static int registration_async(sock_object *object, SOCKET upper, HWND hWnd, unsigned int wMsg, long lEvent,
                              LPINT lpErrno)
{
    HWND hidden = async_window();
    if (hidden == NULL) {
        *lpErrno = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    slot_registration reg = {.kind = SLOT_ASYNC,
                             .event_mask = (uint32_t)lEvent & SLOT_EVENT_MASK_ALL,
                             .descriptor = (uint64_t)upper,
                             .window = (uint64_t)(uintptr_t)hWnd,
                             .message = wMsg};
    if (lEvent != 0 && (reg.notice = async_message_take()) == 0) {
        *lpErrno = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    lower_request lower = {.events = lEvent, .hidden = hidden};
    return registration_change(object, &reg, &lower, lpErrno);
}

static int WSPAPI lsp_event_select(SOCKET s, WSAEVENT hEventObject, long lNetworkEvents, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = registration_event(d->object, s, hEventObject, lNetworkEvents, lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_enum_network_events(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents,
                                          LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = lpNetworkEvents == NULL
                ? lsp_fail(lpErrno, WSAEFAULT)
                : lsp_lower_procs(d->object)->lpWSPEnumNetworkEvents(lsp_lower_socket(d->object), hEventObject,
                                                                     lpNetworkEvents, lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_async_select(SOCKET s, HWND hWnd, unsigned int wMsg, long lEvent, LPINT lpErrno)
{
    if (lEvent != 0 && !IsWindow(hWnd)) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r = registration_async(d->object, s, hWnd, wMsg, lEvent, lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

void lsp_lower_message_retire(sock_object *object)
{
    async_message_retire((UINT)InterlockedExchange((volatile LONG *)&object->lower_message, 0));
}

void lsp_registration_end_lower(sock_object *object, const slot_record *cancelled)
{
    int ignored = 0;
    HANDLE mutex = NULL;
    if (!registration_lock(object, &mutex, &ignored))
        return;
    /* A registration made since the slot was emptied stands at the lower
     * provider: it is not ours to cancel. */
    slot_record now;
    shared_block *block = object_block_enter(object);
    slot_snapshot(block, &now);
    object_block_leave(object);
    /* Inside the lower gate (lower_gate.h): a last close on another thread
     * waits for this call, and one that began first ended the
     * registration with the lower socket. */
    if (now.kind == SLOT_NONE && lower_gate_enter(object)) {
        if (cancelled->kind == SLOT_EVENT)
            lsp_lower_procs(object)->lpWSPEventSelect(lsp_lower_socket(object), NULL, 0, &ignored);
        else if (cancelled->kind == SLOT_ASYNC)
            lsp_lower_procs(object)->lpWSPAsyncSelect(lsp_lower_socket(object), NULL, 0, 0, &ignored);
        lower_gate_leave(object);
        lsp_lower_message_retire(object);
    }
    registration_unlock(object, mutex);
}

void lsp_slot_inherit(sock_object *listener, SOCKET accepted)
{
    slot_record listening;
    shared_block *block = object_block_enter(listener);
    slot_snapshot(block, &listening);
    object_block_leave(listener);
    if (listening.kind == SLOT_NONE || listening.owner_pid != GetCurrentProcessId())
        return;
    int err = 0;
    descriptor *d = lsp_descriptor(accepted, &err);
    if (d == NULL)
        return;
    /* The lower provider made the lower socket inherit the registration; it
     * is made again, so the slot of the accepted socket records it and an
     * async one gets a message of its own (re-registering re-posts what is
     * pending). */
    if (listening.kind == SLOT_EVENT)
        registration_event(d->object, accepted, (WSAEVENT)(uintptr_t)listening.event, (long)listening.event_mask,
                           &err);
    else
        registration_async(d->object, accepted, (HWND)(uintptr_t)listening.window, listening.message,
                           (long)listening.event_mask, &err);
    lsp_done(d, &err);
}

void lsp_fill_registration_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPEventSelect = lsp_event_select;
    procs->lpWSPEnumNetworkEvents = lsp_enum_network_events;
    procs->lpWSPAsyncSelect = lsp_async_select;
}

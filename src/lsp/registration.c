/* Event registration: WSPEventSelect, WSPAsyncSelect, WSPEnumNetworkEvents.
 * The socket's registration slot (in the shared block) records every
 * registration made through any descriptor, so the last one, from whichever
 * descriptor or process, is the one that stands (rules R5, R6). */
#include "lsp.h"

#include "async.h"

static void slot_record_event(sock_object *object, SOCKET upper, WSAEVENT event, long events)
{
    slot_registration reg = {.kind = SLOT_EVENT,
                             .event_mask = (uint32_t)events & SLOT_EVENT_MASK_ALL,
                             .descriptor = (uint64_t)upper,
                             .event = (uint64_t)(uintptr_t)event};
    shared_block *block = object_block_enter(object);
    slot_register(block, &reg, NULL, NULL);
    object_block_leave(object);
}

static int WSPAPI lsp_event_select(SOCKET s, WSAEVENT hEventObject, long lNetworkEvents, LPINT lpErrno)
{
    LSP_ENTER(s, d, SOCKET_ERROR);
    int r = lsp_lower_procs(d->object)->lpWSPEventSelect(lsp_lower_socket(d->object), hEventObject, lNetworkEvents,
                                                         lpErrno);
    if (r == 0)
        slot_record_event(d->object, s, hEventObject, lNetworkEvents);
    descriptor_release(d);
    return r;
}

static int WSPAPI lsp_enum_network_events(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents,
                                          LPINT lpErrno)
{
    LSP_ENTER(s, d, SOCKET_ERROR);
    int r = lsp_lower_procs(d->object)->lpWSPEnumNetworkEvents(lsp_lower_socket(d->object), hEventObject,
                                                               lpNetworkEvents, lpErrno);
    descriptor_release(d);
    return r;
}

/* Registers an async selection in the slot, then at the lower provider
 * with our hidden window and a message that carries the slot's generation. */
static int async_register(sock_object *object, SOCKET upper, HWND hWnd, unsigned int wMsg, long lEvent,
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
    uint64_t generation = 0;
    shared_block *block = object_block_enter(object);
    core_status st = slot_register(block, &reg, NULL, &generation);
    object_block_leave(object);
    if (st != CORE_OK) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    /* lEvent 0 cancels at the lower provider too. */
    int r = lsp_lower_procs(object)->lpWSPAsyncSelect(lsp_lower_socket(object), hidden,
                                                      lEvent ? async_message_for(generation) : 0, lEvent, lpErrno);
    if (r != 0) {
        slot_registration none = {.kind = SLOT_ASYNC, .event_mask = 0};
        block = object_block_enter(object);
        slot_register(block, &none, NULL, NULL);
        object_block_leave(object);
    }
    return r;
}

static int WSPAPI lsp_async_select(SOCKET s, HWND hWnd, unsigned int wMsg, long lEvent, LPINT lpErrno)
{
    if (lEvent != 0 && !IsWindow(hWnd)) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    LSP_ENTER(s, d, SOCKET_ERROR);
    int r = async_register(d->object, s, hWnd, wMsg, lEvent, lpErrno);
    descriptor_release(d);
    return r;
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
    /* The lower provider made the lower socket inherit the registration;
     * an async one is registered again so its messages carry the accepted
     * socket's own generation (re-registering re-posts what is pending). */
    if (listening.kind == SLOT_EVENT)
        slot_record_event(d->object, accepted, (WSAEVENT)(uintptr_t)listening.event, (long)listening.event_mask);
    else
        async_register(d->object, accepted, (HWND)(uintptr_t)listening.window, listening.message,
                       (long)listening.event_mask, &err);
    descriptor_release(d);
}

void lsp_fill_registration_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPEventSelect = lsp_event_select;
    procs->lpWSPEnumNetworkEvents = lsp_enum_network_events;
    procs->lpWSPAsyncSelect = lsp_async_select;
}

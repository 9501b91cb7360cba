/* The hidden message-only window and its thread. */
#include "lsp.h"

#include <stdio.h>

#include "async.h"
#include "lower_gate.h"

/* The live window, NULL when none is. Held shared while a message is
 * forwarded, exclusive to make or stop the window: once async_stop has
 * returned no forward runs, so WSPCleanup can free the table after it. */
static SRWLOCK window_lock = SRWLOCK_INIT;
static HWND window;
/* Each window has a class of its own: a stopped window's thread may still
 * be unregistering its class while a new WSPStartup makes the next. */
static volatile LONG class_serial;

/* The hidden window's own message: wParam, a number to free. */
#define ASYNC_RETIRE (WM_APP + ASYNC_MESSAGE_SPAN)

static volatile LONG numbers_in_use[ASYNC_MESSAGE_SPAN];
static volatile LONG numbers_next;

UINT async_message_take(void)
{
    /* From a counter, so a freed number rests as long as possible. */
    for (UINT tries = 0; tries < ASYNC_MESSAGE_SPAN; tries++) {
        UINT n = (UINT)((ULONG)InterlockedIncrement(&numbers_next) % ASYNC_MESSAGE_SPAN);
        if (InterlockedCompareExchange(&numbers_in_use[n], 1, 0) == 0)
            return WM_APP + n;
    }
    return 0;
}

void async_message_return(UINT message)
{
    if (message >= WM_APP && message < ASYNC_RETIRE)
        InterlockedExchange(&numbers_in_use[message - WM_APP], 0);
}

void async_message_retire(UINT message)
{
    if (message == 0)
        return;
    /* No window, no queue: nothing of the number can be waiting. */
    AcquireSRWLockShared(&window_lock);
    HWND w = window;
    ReleaseSRWLockShared(&window_lock);
    if (w == NULL || !PostMessageW(w, ASYNC_RETIRE, message, 0))
        async_message_return(message);
}

/* One lower message: the object by lower handle (a reference held while it
 * is used), its slot, and the post if the registration is current. */
static void async_forward(UINT message, WPARAM lower, LPARAM event)
{
    sock_object *object = lsp_table != NULL ? table_lookup_lower(lsp_table, (uint64_t)lower) : NULL;
    if (object == NULL) {
        sharelsp_diagnostic("message %#x for lower socket %#llx dropped: the socket is gone", message,
                            (unsigned long long)lower);
        return;
    }
    if (lower_gate_is_shut(object)) {
        sharelsp_diagnostic("message %#x for lower socket %#llx dropped: the socket is being closed", message,
                            (unsigned long long)lower);
        object_release(object); /* it is being closed: a post from inside its lower close */
        return;
    }
    slot_record slot;
    shared_block *block = object_block_enter(object);
    slot_snapshot(block, &slot);
    object_block_leave(object);
    /* Dropped: another kind of registration, another process's, or a
     * message the lower provider was given for another registration (a
     * replaced one, or one of a closed socket with the same lower handle). */
    if (slot.kind == SLOT_ASYNC && slot.owner_pid == GetCurrentProcessId() && slot.notice == message &&
        (slot.event_mask & WSAGETSELECTEVENT(event)) != 0)
        lsp_upcalls.lpWPUPostMessage((HWND)(uintptr_t)slot.window, slot.message, (WPARAM)slot.descriptor, event);
    else
        sharelsp_diagnostic("message %#x (event %#lx) for lower socket %#llx dropped: the socket's registration is "
                            "%s", message, (unsigned long)WSAGETSELECTEVENT(event), (unsigned long long)lower,
                            slot.kind != SLOT_ASYNC ? "not WSAAsyncSelect"
                            : slot.owner_pid != GetCurrentProcessId() ? "another process's"
                            : slot.notice != message ? "a newer one" : "not for this event");
    object_release(object);
}

BOOL WSPAPI async_lower_post(HWND hWnd, UINT Msg, WPARAM wParam, LPARAM lParam)
{
    if (Msg >= WM_APP && Msg < ASYNC_RETIRE && hWnd != NULL) {
        AcquireSRWLockShared(&window_lock);
        bool ours = hWnd == window;
        if (ours)
            async_forward(Msg, wParam, lParam);
        ReleaseSRWLockShared(&window_lock);
        if (ours)
            return TRUE;
    }
    return lsp_upcalls.lpWPUPostMessage(hWnd, Msg, wParam, lParam);
}

static LRESULT CALLBACK async_window_proc(HWND hwnd, UINT message, WPARAM wParam, LPARAM lParam)
{
    if (message >= WM_APP && message < ASYNC_RETIRE) {
        /* A stopped window forwards nothing: the table is gone or new. */
        AcquireSRWLockShared(&window_lock);
        if (hwnd == window)
            async_forward(message, wParam, lParam);
        ReleaseSRWLockShared(&window_lock);
        return 0;
    }
    if (message == ASYNC_RETIRE) {
        async_message_return((UINT)wParam);
        return 0;
    }
    if (message == WM_CLOSE) {
        DestroyWindow(hwnd);
        return 0;
    }
    if (message == WM_DESTROY) {
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(hwnd, message, wParam, lParam);
}

typedef struct thread_start {
    HANDLE ready;
    HWND made;
    WCHAR class_name[64];
} thread_start;

/* The window's thread. It holds the module from its start and drops the
 * hold as it exits, so nobody has to wait for it to end. */
static DWORD WINAPI async_thread(LPVOID param)
{
    thread_start *start = param;
    WCHAR class_name[64];
    wcscpy(class_name, start->class_name);
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = async_window_proc;
    wc.hInstance = lsp_module();
    wc.lpszClassName = class_name;
    HWND made = NULL;
    if (RegisterClassW(&wc) != 0)
        made = CreateWindowExW(0, class_name, L"ShareLSP", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, lsp_module(), NULL);
    start->made = made;
    SetEvent(start->ready); /* start is the maker's: not used after this */
    if (made != NULL) {
        MSG m;
        while (GetMessageW(&m, NULL, 0, 0) > 0)
            DispatchMessageW(&m);
    }
    UnregisterClassW(class_name, lsp_module());
    FreeLibraryAndExitThread(lsp_module(), made != NULL ? 0 : 1);
}

/* A new window on a new thread, or NULL. */
static HWND async_make(void)
{
    thread_start start = {CreateEventW(NULL, TRUE, FALSE, NULL), NULL, {0}};
    if (start.ready == NULL)
        return NULL;
    _snwprintf(start.class_name, sizeof start.class_name / sizeof start.class_name[0], L"ShareLSP.AsyncSelect.%ld",
               InterlockedIncrement(&class_serial));
    HANDLE thread = NULL;
    if (lsp_module_hold()) {
        thread = CreateThread(NULL, 0, async_thread, &start, 0, NULL);
        if (thread == NULL)
            lsp_module_drop_early();
    }
    if (thread != NULL) {
        WaitForSingleObject(start.ready, INFINITE);
        CloseHandle(thread); /* never waited for */
    }
    CloseHandle(start.ready);
    return start.made;
}

HWND async_window(void)
{
    AcquireSRWLockShared(&window_lock);
    HWND made = window;
    ReleaseSRWLockShared(&window_lock);
    if (made != NULL)
        return made;
    AcquireSRWLockExclusive(&window_lock);
    if (window == NULL)
        window = async_make(); /* NULL again: the next call tries again */
    made = window;
    ReleaseSRWLockExclusive(&window_lock);
    return made;
}

void async_stop(void)
{
    AcquireSRWLockExclusive(&window_lock);
    HWND stopped = window;
    window = NULL;
    ReleaseSRWLockExclusive(&window_lock);
    /* The thread destroys the window and exits by itself; nothing waits for
     * it (this may run under the loader lock, which its exit needs). */
    if (stopped != NULL)
        PostMessageW(stopped, WM_CLOSE, 0, 0);
    /* What is still queued for the stopped window, retire markers included,
     * is dropped with it, and the next window gets its messages from lower
     * registrations made after this: every number is free again. */
    for (UINT n = 0; n < ASYNC_MESSAGE_SPAN; n++)
        InterlockedExchange(&numbers_in_use[n], 0);
}

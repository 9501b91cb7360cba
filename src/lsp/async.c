/* The hidden message-only window and its thread. */
#include "lsp.h"

#include "async.h"

static INIT_ONCE window_once = INIT_ONCE_STATIC_INIT;
static HWND window;
static HANDLE thread;
static const WCHAR window_class[] = L"ShareLSP.AsyncSelect";

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
    HWND w = window;
    if (w == NULL || !PostMessageW(w, ASYNC_RETIRE, message, 0))
        async_message_return(message);
}

/* One lower message: the object by lower handle (a reference held while it
 * is used), its slot, and the post if the registration is current. */
static void async_forward(UINT message, WPARAM lower, LPARAM event)
{
    sock_object *object = lsp_table != NULL ? table_lookup_lower(lsp_table, (uint64_t)lower) : NULL;
    if (object == NULL)
        return; /* the socket is gone */
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
    object_release(object);
}

static LRESULT CALLBACK async_window_proc(HWND hwnd, UINT message, WPARAM wParam, LPARAM lParam)
{
    if (message >= WM_APP && message < ASYNC_RETIRE) {
        async_forward(message, wParam, lParam);
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
} thread_start;

static DWORD WINAPI async_thread(LPVOID param)
{
    thread_start *start = param;
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = async_window_proc;
    wc.hInstance = lsp_module();
    wc.lpszClassName = window_class;
    RegisterClassW(&wc);
    start->made = CreateWindowExW(0, window_class, L"ShareLSP", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, lsp_module(), NULL);
    SetEvent(start->ready);
    if (start->made == NULL)
        return 1;
    MSG m;
    while (GetMessageW(&m, NULL, 0, 0) > 0)
        DispatchMessageW(&m);
    UnregisterClassW(window_class, lsp_module());
    return 0;
}

static BOOL CALLBACK async_make(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once, (void)param, (void)context;
    thread_start start = {CreateEventW(NULL, TRUE, FALSE, NULL), NULL};
    if (start.ready == NULL)
        return FALSE;
    thread = CreateThread(NULL, 0, async_thread, &start, 0, NULL);
    if (thread != NULL)
        WaitForSingleObject(start.ready, INFINITE);
    CloseHandle(start.ready);
    window = start.made;
    return TRUE;
}

HWND async_window(void)
{
    InitOnceExecuteOnce(&window_once, async_make, NULL, NULL);
    return window;
}

void async_stop(void)
{
    if (thread == NULL)
        return;
    if (window != NULL)
        PostMessageW(window, WM_CLOSE, 0, 0);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    thread = NULL;
    window = NULL;
    /* A later WSPStartup makes a new window on first use. */
    InitOnceInitialize(&window_once);
}

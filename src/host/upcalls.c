/* The upcall table the host hands every provider (all 15 entries), the
 * exported WPUCompleteOverlappedRequest, and the per-thread WSATHREADID. */
#include "host.h"

#include <string.h>
#include <wchar.h>

#include "catalog_file.h"
#include "completion.h"
#include "signal.h"

static BOOL WSPAPI upcall_close_event(WSAEVENT hEvent, LPINT lpErrno)
{
    if (!CloseHandle(hEvent)) {
        *lpErrno = WSA_INVALID_HANDLE;
        return FALSE;
    }
    return TRUE;
}

static WSAEVENT WSPAPI upcall_create_event(LPINT lpErrno)
{
    HANDLE e = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (e == NULL) {
        *lpErrno = WSA_NOT_ENOUGH_MEMORY;
        return WSA_INVALID_EVENT;
    }
    return e;
}

static BOOL WSPAPI upcall_set_event(WSAEVENT hEvent, LPINT lpErrno)
{
    if (!SetEvent(hEvent)) {
        *lpErrno = WSA_INVALID_HANDLE;
        return FALSE;
    }
    return TRUE;
}

static BOOL WSPAPI upcall_reset_event(WSAEVENT hEvent, LPINT lpErrno)
{
    if (!ResetEvent(hEvent)) {
        *lpErrno = WSA_INVALID_HANDLE;
        return FALSE;
    }
    return TRUE;
}

/* A real kernel handle as the socket handle, so its value is unique in the
 * process and can never equal a base provider's: a file object a program
 * can associate with its completion port where wsphost knows how to post to
 * it (completion.c), an event nobody signals elsewhere. */
static SOCKET WSPAPI upcall_create_socket_handle(DWORD dwCatalogEntryId, DWORD_PTR dwContext, LPINT lpErrno)
{
    host_provider *p = NULL;
    if (host_provider_for(dwCatalogEntryId, &p) != 0) {
        *lpErrno = WSAEINVAL;
        return INVALID_SOCKET;
    }
    HANDLE handle = host_completion_handle_open();
    if (handle == NULL) {
        *lpErrno = WSAENOBUFS;
        return INVALID_SOCKET;
    }
    host_handle h = {.catalog_id = dwCatalogEntryId,
                     .context = dwContext,
                     .from_upcall = true,
                     .signal = host_completion_ports() ? signal_new() : NULL};
    int err = host_handle_add((SOCKET)(uintptr_t)handle, &h);
    if (err != 0) {
        if (h.signal != NULL)
            signal_retire(h.signal);
        CloseHandle(handle);
        *lpErrno = err;
        return INVALID_SOCKET;
    }
    return (SOCKET)(uintptr_t)handle;
}

/* The handle is unlisted at once (WPUQuerySocketHandleContext and every
 * new call refuse it); it closes when the last call holding it returns. */
static int WSPAPI upcall_close_socket_handle(SOCKET s, LPINT lpErrno)
{
    host_handle h;
    if (!host_handle_get(s, &h) || !h.from_upcall || !host_handle_remove(s, &h)) {
        *lpErrno = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    return 0;
}

static int WSPAPI upcall_query_socket_handle_context(SOCKET s, PDWORD_PTR lpContext, LPINT lpErrno)
{
    host_handle h;
    if (lpContext == NULL) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (!host_handle_get(s, &h) || !h.from_upcall) {
        *lpErrno = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    *lpContext = h.context;
    return 0;
}

static SOCKET WSPAPI upcall_modify_ifs_handle(DWORD dwCatalogEntryId, SOCKET ProposedHandle, LPINT lpErrno)
{
    host_provider *p = NULL;
    if (ProposedHandle == INVALID_SOCKET || host_provider_for(dwCatalogEntryId, &p) != 0) {
        *lpErrno = WSAEINVAL;
        return INVALID_SOCKET;
    }
    /* The handle is the provider's own; it now belongs to this entry. */
    host_handle h = {.catalog_id = dwCatalogEntryId, .context = 0, .from_upcall = false};
    int err = host_handle_add(ProposedHandle, &h);
    if (err != 0) {
        *lpErrno = err;
        return INVALID_SOCKET;
    }
    return ProposedHandle;
}

static BOOL WSPAPI upcall_post_message(HWND hWnd, UINT Msg, WPARAM wParam, LPARAM lParam)
{
    return PostMessageW(hWnd, Msg, wParam, lParam);
}

static int WSPAPI upcall_query_blocking_callback(DWORD dwCatalogEntryId, LPBLOCKINGCALLBACK *lplpfnCallback,
                                                 PDWORD_PTR lpdwContext, LPINT lpErrno)
{
    (void)dwCatalogEntryId;
    if (lplpfnCallback == NULL || lpdwContext == NULL) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    /* Winsock 2.2 has no blocking hooks: there is never a callback to run. */
    *lplpfnCallback = NULL;
    *lpdwContext = 0;
    return 0;
}

static int WSPAPI upcall_queue_apc(LPWSATHREADID lpThreadId, LPWSAUSERAPC lpfnUserApc, DWORD_PTR dwContext,
                                   LPINT lpErrno)
{
    if (lpThreadId == NULL || lpfnUserApc == NULL) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (!QueueUserAPC((PAPCFUNC)lpfnUserApc, lpThreadId->ThreadHandle, dwContext)) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    return 0;
}

static int WSPAPI upcall_get_provider_path(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                                           LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    /* The same as WSCGetProviderPath: both read the catalog file, never the
     * running host's state, so a provider may call either from WSPStartup. */
    return WSCGetProviderPath(lpProviderId, lpszProviderDllPath, lpProviderDllPathLen, lpErrno);
}

static int WSPAPI upcall_fd_is_set(SOCKET s, fd_set *fdset) { return __WSAFDIsSet(s, fdset); }

static int WSPAPI upcall_open_current_thread(LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    if (lpThreadId == NULL) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (!DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &lpThreadId->ThreadHandle,
                         0, FALSE, DUPLICATE_SAME_ACCESS)) {
        *lpErrno = WSASYSCALLFAILURE;
        return SOCKET_ERROR;
    }
    lpThreadId->Reserved = GetCurrentThreadId();
    return 0;
}

static int WSPAPI upcall_close_thread(LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    if (lpThreadId == NULL || !CloseHandle(lpThreadId->ThreadHandle)) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    lpThreadId->ThreadHandle = NULL;
    return 0;
}

static const WSPUPCALLTABLE upcall_table = {
    .lpWPUCloseEvent = upcall_close_event,
    .lpWPUCloseSocketHandle = upcall_close_socket_handle,
    .lpWPUCreateEvent = upcall_create_event,
    .lpWPUCreateSocketHandle = upcall_create_socket_handle,
    .lpWPUFDIsSet = upcall_fd_is_set,
    .lpWPUGetProviderPath = upcall_get_provider_path,
    .lpWPUModifyIFSHandle = upcall_modify_ifs_handle,
    .lpWPUPostMessage = upcall_post_message,
    .lpWPUQueryBlockingCallback = upcall_query_blocking_callback,
    .lpWPUQuerySocketHandleContext = upcall_query_socket_handle_context,
    .lpWPUQueueApc = upcall_queue_apc,
    .lpWPUResetEvent = upcall_reset_event,
    .lpWPUSetEvent = upcall_set_event,
    .lpWPUOpenCurrentThread = upcall_open_current_thread,
    .lpWPUCloseThread = upcall_close_thread,
};

const WSPUPCALLTABLE *host_upcall_table(void) { return &upcall_table; }

/* For tests of the upcalls themselves: a copy of the table a provider gets. */
void WSPAPI wsphost_get_upcall_table(WSPUPCALLTABLE *table);
void WSPAPI wsphost_get_upcall_table(WSPUPCALLTABLE *table)
{
    if (table != NULL)
        *table = upcall_table;
}

typedef struct {
    LPWSAOVERLAPPED overlapped;
    DWORD error, bytes;
    int result; /* 0 or a Winsock error */
} completion_args;

static void complete_held(SOCKET s, const host_handle *h, void *context)
{
    completion_args *a = context;
    if (!h->from_upcall) {
        a->result = WSAEINVAL;
        return;
    }
    /* Status block, event and packet, as ws2_32 completes a non-IFS
     * provider's request. */
    HANDLE event = a->overlapped->hEvent;
    a->result = host_completion_complete((HANDLE)(uintptr_t)s, a->overlapped, a->error, a->bytes);
    /* A request with no event of its own sets the handle, as the system
     * sets a file (read before the completion hands the OVERLAPPED back). */
    if (a->result == 0 && ((uintptr_t)event & ~(uintptr_t)1) == 0 && h->signal != NULL)
        signal_set(h->signal, (HANDLE)(uintptr_t)s);
}

int WSPAPI WPUCompleteOverlappedRequest(SOCKET s, LPWSAOVERLAPPED lpOverlapped, DWORD dwError, DWORD cbTransferred,
                                        LPINT lpErrno)
{
    if (lpErrno == NULL)
        return SOCKET_ERROR;
    host_handle h;
    if (!host_handle_get(s, &h) || !h.from_upcall) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    if (lpOverlapped == NULL) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    /* Held while it completes: the packet goes to this handle's port, never
     * to whatever a racing close would let the value name next. */
    completion_args a = {.overlapped = lpOverlapped, .error = dwError, .bytes = cbTransferred, .result = 0};
    if (!host_handle_hold(s, complete_held, &a))
        a.result = WSAEINVAL; /* closed meanwhile */
    if (a.result != 0) {
        *lpErrno = a.result;
        return SOCKET_ERROR;
    }
    return 0;
}

/* One WSATHREADID per thread, made when the thread first makes an
 * overlapped call, closed when it ends. */
static DWORD thread_slot = TLS_OUT_OF_INDEXES;
static INIT_ONCE thread_slot_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK thread_slot_make(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    thread_slot = TlsAlloc();
    return thread_slot != TLS_OUT_OF_INDEXES;
}

LPWSATHREADID host_thread_id(void)
{
    if (!InitOnceExecuteOnce(&thread_slot_once, thread_slot_make, NULL, NULL))
        return NULL;
    LPWSATHREADID id = TlsGetValue(thread_slot);
    if (id != NULL)
        return id;
    id = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *id);
    int err = 0;
    if (id == NULL || upcall_open_current_thread(id, &err) != 0) {
        HeapFree(GetProcessHeap(), 0, id);
        return NULL;
    }
    TlsSetValue(thread_slot, id);
    return id;
}

void host_thread_detach(void)
{
    if (thread_slot == TLS_OUT_OF_INDEXES)
        return;
    LPWSATHREADID id = TlsGetValue(thread_slot);
    if (id != NULL) {
        CloseHandle(id->ThreadHandle);
        HeapFree(GetProcessHeap(), 0, id);
        TlsSetValue(thread_slot, NULL);
    }
}

/* WSPStartup and WSPCleanup: the entries we are started for, the table of
 * sockets, and the upcall table. */
#include "lsp.h"

#include <string.h>

#include "async.h"
#include "event_kit.h"
#include "layer_calls.h"
#include "select_room.h"
#include "wsversion.h"

WSPUPCALLTABLE lsp_upcalls;
sock_table *lsp_table;

static SRWLOCK startup_lock = SRWLOCK_INIT;
static LONG startups;
static lsp_entry *entries;

static const WCHAR lsp_description[] = L"ShareLSP layered provider";
_Static_assert(sizeof lsp_description <= sizeof(((WSPDATA *)0)->szDescription), "description fits");

static lsp_entry *entry_find(DWORD catalog_id)
{
    for (lsp_entry *e = entries; e != NULL; e = e->next) {
        if (e->catalog_id == catalog_id)
            return e;
    }
    return NULL;
}

static void entry_free(lsp_entry *entry)
{
    lsp_lower_release(entry->lower);
    HeapFree(GetProcessHeap(), 0, entry);
}

/* Frees an entry when neither the list of started entries, nor a socket
 * object, nor a call holds it. Its lower provider goes with it, which may
 * stop that provider and unload its DLL: never called under our lock. */
void lsp_entry_drop(lsp_entry *entry)
{
    if (InterlockedDecrement(&entry->refs) == 0)
        entry_free(entry);
}

static void entry_retain(void *context) { InterlockedIncrement(&((lsp_entry *)context)->refs); }

static void CALLBACK entry_free_on_pool(PTP_CALLBACK_INSTANCE instance, void *context)
{
    entry_free(context);
    FreeLibraryWhenCallbackReturns(instance, lsp_module());
}

/* A socket object's hold. The last one may go in the application's thread
 * (a completion routine's APC releases its request, in whatever alertable
 * wait the program is in, perhaps under the loader lock): the lower
 * provider is stopped on the thread pool then, as a request's is. */
static void entry_release_from_object(void *context)
{
    lsp_entry *entry = context;
    if (InterlockedDecrement(&entry->refs) != 0)
        return;
    if (lsp_module_hold()) {
        if (TrySubmitThreadpoolCallback(entry_free_on_pool, entry, NULL))
            return;
        lsp_module_drop_early();
    }
    entry_free(entry);
}

const object_provider_hooks lsp_entry_hooks = {.retain = entry_retain, .release = entry_release_from_object};

lsp_entry *lsp_entry_take(DWORD catalog_id)
{
    AcquireSRWLockShared(&startup_lock);
    lsp_entry *e = entry_find(catalog_id);
    if (e != NULL)
        entry_retain(e);
    ReleaseSRWLockShared(&startup_lock);
    return e;
}

static int lsp_fill_procs(WSPPROC_TABLE *procs)
{
    memset(procs, 0, sizeof *procs);
    lsp_fill_lifecycle_procs(procs);
    lsp_fill_data_procs(procs);
    lsp_fill_option_procs(procs);
    lsp_fill_select_procs(procs);
    lsp_fill_registration_procs(procs);
    lsp_fill_duplicate_procs(procs);
    return 0;
}

/* Cleanup closes what the application left open: a refusal changes nothing then. */
static void lsp_close_remaining(void *context, const close_result *r)
{
    (void)context;
    int ignored = 0;
    /* The layer hears of the last descriptor here before the lower close,
     * as at any close. */
    if (LSP_LAYER_HAS(close))
        lsp_layer_close(r->object, SHARELSP_CLOSE_LAST_IN_PROCESS);
    lsp_close_lower_at_cleanup(&ignored, r->object);
    if (LSP_LAYER_HAS(close) && r->last_anywhere)
        lsp_layer_close(r->object, SHARELSP_CLOSE_LAST_ANYWHERE);
}

static int WSPAPI lsp_cleanup(LPINT lpErrno)
{
    AcquireSRWLockExclusive(&startup_lock);
    if (startups == 0) {
        ReleaseSRWLockExclusive(&startup_lock);
        *lpErrno = WSANOTINITIALISED;
        return SOCKET_ERROR;
    }
    lsp_entry *stopped = NULL;
    if (--startups == 0) {
        /* The last cleanup stops the hidden window (it forwards nothing
         * more), closes what the application left open and what infos
         * never used held, which aborts what was pending, and lets the
         * lower providers go. It waits for nothing: it may run under the
         * loader lock (a DLL's DLL_PROCESS_DETACH). A request still
         * finishing keeps its lower provider and our module until it has
         * (overlapped.c). */
        async_stop();
        table_close_all(lsp_table, lsp_close_remaining, NULL);
        event_kit_pool_close();
        select_room_release_all();
        table_destroy(lsp_table);
        lsp_table = NULL;
        stopped = entries;
        entries = NULL;
    }
    ReleaseSRWLockExclusive(&startup_lock);
    /* Lower providers are stopped outside our lock, as they were started. */
    while (stopped != NULL) {
        lsp_entry *next = stopped->next;
        lsp_entry_drop(stopped);
        stopped = next;
    }
    return 0;
}

/* Starts the chain of a catalog entry we have not served yet and records
 * it. Runs without our lock: the lower provider's DllMain and WSPStartup
 * take the loader lock, and a DllMain holding it may be calling us. */
static int entry_start(const WSAPROTOCOL_INFOW *chain)
{
    lsp_entry *entry = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *entry);
    if (entry == NULL)
        return WSAENOBUFS;
    entry->refs = 1; /* the list's */
    int err = lsp_chain_start(chain, entry);
    if (err != 0) {
        HeapFree(GetProcessHeap(), 0, entry);
        return err;
    }
    AcquireSRWLockExclusive(&startup_lock);
    bool raced = entry_find(chain->dwCatalogEntryId) != NULL;
    if (!raced) {
        entry->next = entries;
        entries = entry;
    }
    ReleaseSRWLockExclusive(&startup_lock);
    if (raced) {
        /* Another thread started the same entry meanwhile: theirs serves. */
        lsp_entry_drop(entry);
    }
    return 0;
}

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                      WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    if (lpWSPData == NULL || lpProcTable == NULL || lpProtocolInfo == NULL)
        return WSAEFAULT;
    lpWSPData->wHighVersion = WSVERSION(2, 2);
    memcpy(lpWSPData->szDescription, lsp_description, sizeof lsp_description);
    /* Winsock 2 providers serve 2.x callers only. */
    if (!wsversion_negotiate(wVersionRequested, WSVERSION(2, 0), WSVERSION(2, 2), &lpWSPData->wVersion))
        return WSAVERNOTSUPPORTED;
    if (lpProtocolInfo->ProtocolChain.ChainLen < 2)
        return WSAEPROVIDERFAILEDINIT; /* we serve chains only */

    AcquireSRWLockExclusive(&startup_lock);
    int err = 0;
    lsp_upcalls = UpcallTable;
    if (startups == 0 && (lsp_table = table_create()) == NULL)
        err = WSAENOBUFS;
    else if (startups == 0)
        event_kit_pool_open();
    if (err == 0)
        startups++; /* counted before the lock is let go: a failure below undoes it with a cleanup */
    bool known = err == 0 && entry_find(lpProtocolInfo->dwCatalogEntryId) != NULL;
    ReleaseSRWLockExclusive(&startup_lock);
    if (err != 0)
        return err;
    if (!known && (err = entry_start(lpProtocolInfo)) != 0) {
        int ignored = 0;
        lsp_cleanup(&ignored);
        return err;
    }
    lsp_fill_procs(lpProcTable);
    lpProcTable->lpWSPCleanup = lsp_cleanup;
    return 0;
}

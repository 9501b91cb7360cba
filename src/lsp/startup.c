/* WSPStartup and WSPCleanup: the entries we are started for, the table of
 * sockets, and the upcall table. DllMain only remembers our module. */
#include "lsp.h"

#include <string.h>

#include "async.h"
#include "overlapped.h"
#include "wsversion.h"

WSPUPCALLTABLE lsp_upcalls;
sock_table *lsp_table;

static HMODULE self_module;
static SRWLOCK startup_lock = SRWLOCK_INIT;
static LONG startups;
static lsp_entry *entries;

static const WCHAR lsp_description[] = L"ShareLSP layered provider";
_Static_assert(sizeof lsp_description <= sizeof(((WSPDATA *)0)->szDescription), "description fits");

HMODULE lsp_module(void) { return self_module; }

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)reserved;
    /* Bookkeeping only: no loader-lock work here. */
    if (reason == DLL_PROCESS_ATTACH) {
        self_module = instance;
        DisableThreadLibraryCalls(instance);
    }
    return TRUE;
}

static lsp_entry *entry_find(DWORD catalog_id)
{
    for (lsp_entry *e = entries; e != NULL; e = e->next) {
        if (e->catalog_id == catalog_id)
            return e;
    }
    return NULL;
}

lsp_entry *lsp_entry_for(DWORD catalog_id)
{
    AcquireSRWLockShared(&startup_lock);
    lsp_entry *e = entry_find(catalog_id);
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

static void lsp_close_remaining(void *context, sock_object *object)
{
    (void)context;
    int err = 0;
    lsp_lower_procs(object)->lpWSPCloseSocket(lsp_lower_socket(object), &err);
    lsp_lower_message_retire(object);
}

static int WSPAPI lsp_cleanup(LPINT lpErrno)
{
    AcquireSRWLockExclusive(&startup_lock);
    if (startups == 0) {
        ReleaseSRWLockExclusive(&startup_lock);
        *lpErrno = WSANOTINITIALISED;
        return SOCKET_ERROR;
    }
    if (--startups == 0) {
        /* The last cleanup stops the hidden window (no message left to
         * forward), closes what the application left open, then stops the
         * lower providers, each once per start. */
        async_stop();
        table_close_all(lsp_table, lsp_close_remaining, NULL);
        lsp_overlapped_drain(); /* closing aborted what was pending */
        table_destroy(lsp_table);
        lsp_table = NULL;
        lsp_duplicate_forget_all();
        lsp_chain_stop_all();
        while (entries != NULL) {
            lsp_entry *next = entries->next;
            HeapFree(GetProcessHeap(), 0, entries);
            entries = next;
        }
    }
    ReleaseSRWLockExclusive(&startup_lock);
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
    lsp_entry *entry = NULL;
    if (err == 0 && (entry = entry_find(lpProtocolInfo->dwCatalogEntryId)) == NULL) {
        entry = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *entry);
        if (entry == NULL) {
            err = WSAENOBUFS;
        } else if ((err = lsp_chain_start(lpProtocolInfo, entry)) != 0) {
            HeapFree(GetProcessHeap(), 0, entry);
            entry = NULL;
        } else {
            entry->next = entries;
            entries = entry;
        }
    }
    if (err == 0) {
        startups++;
        lsp_fill_procs(lpProcTable);
        lpProcTable->lpWSPCleanup = lsp_cleanup;
    } else if (startups == 0 && lsp_table != NULL) {
        table_destroy(lsp_table);
        lsp_table = NULL;
    }
    ReleaseSRWLockExclusive(&startup_lock);
    return err;
}

/* Our place in the protocol chain and the provider after it. We find
 * ourselves by comparing each chain entry's provider path with our own
 * DLL's file, so no catalog id, GUID or position is assumed: started by
 * ws2_32 we are ChainEntries[0]; under another LSP we are further down. */
#include "lsp.h"

#include "async.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "proctable.h"

/* Started lower providers. A request that outlives WSPCleanup still holds
 * its lower provider, and a pool thread may drop the last reference, so the
 * list has a lock of its own. */
static SRWLOCK lowers_lock = SRWLOCK_INIT;
static lsp_lower *lowers;

/* The catalog, read once per WSPStartup: every link of the chain is looked
 * up in this one copy. */
typedef struct catalog_copy {
    WSAPROTOCOL_INFOW *entries;
    int count;
} catalog_copy;

static int catalog_read(catalog_copy *cat)
{
    DWORD length = 0;
    int err = 0;
    cat->entries = NULL;
    cat->count = 0;
    if (WSCEnumProtocols(NULL, NULL, &length, &err) != SOCKET_ERROR || err != WSAENOBUFS)
        return WSAEPROVIDERFAILEDINIT;
    cat->entries = malloc(length);
    if (cat->entries == NULL)
        return WSAENOBUFS;
    cat->count = WSCEnumProtocols(NULL, cat->entries, &length, &err);
    if (cat->count == SOCKET_ERROR) {
        free(cat->entries);
        cat->entries = NULL;
        cat->count = 0;
        return WSAEPROVIDERFAILEDINIT;
    }
    return 0;
}

static const WSAPROTOCOL_INFOW *catalog_find(const catalog_copy *cat, DWORD id)
{
    for (int i = 0; i < cat->count; i++) {
        if (cat->entries[i].dwCatalogEntryId == id)
            return &cat->entries[i];
    }
    return NULL;
}

/* The expanded DLL path of a provider, through the upcall table first. */
static int provider_path(GUID *provider, WCHAR *path)
{
    WCHAR raw[MAX_PATH];
    int length = MAX_PATH, err = 0;
    int r = SOCKET_ERROR;
    if (lsp_upcalls.lpWPUGetProviderPath != NULL)
        r = lsp_upcalls.lpWPUGetProviderPath(provider, raw, &length, &err);
    if (r != 0) {
        length = MAX_PATH;
        r = WSCGetProviderPath(provider, raw, &length, &err);
    }
    if (r != 0)
        return WSAEPROVIDERFAILEDINIT;
    DWORD n = ExpandEnvironmentStringsW(raw, path, MAX_PATH);
    return (n == 0 || n > MAX_PATH) ? WSAEPROVIDERFAILEDINIT : 0;
}

static bool same_file(const WCHAR *a, const WCHAR *b)
{
    WCHAR fa[MAX_PATH], fb[MAX_PATH];
    if (GetFullPathNameW(a, MAX_PATH, fa, NULL) == 0 || GetFullPathNameW(b, MAX_PATH, fb, NULL) == 0)
        return false;
    return _wcsicmp(fa, fb) == 0;
}

_Static_assert(sizeof(WSPPROC_TABLE) == PROCTABLE_ENTRIES * sizeof(void (*)(void)), "the core's proc table");

/* A started lower provider for that catalog id, with a reference, or NULL.
 * One at zero is being stopped: a new start loads it again. */
static lsp_lower *lower_find(DWORD catalog_id)
{
    lsp_lower *found = NULL;
    AcquireSRWLockExclusive(&lowers_lock);
    for (lsp_lower *l = lowers; l != NULL && found == NULL; l = l->next) {
        if (l->catalog_id == catalog_id && l->refs > 0) {
            l->refs++;
            found = l;
        }
    }
    ReleaseSRWLockExclusive(&lowers_lock);
    return found;
}

void lsp_lower_retain(lsp_lower *lower)
{
    AcquireSRWLockExclusive(&lowers_lock);
    lower->refs++;
    ReleaseSRWLockExclusive(&lowers_lock);
}

/* Whether module is still mapped (a module loaded at its address since
 * counts too: then the answer errs on the safe side). */
static bool lower_mapped(HMODULE module)
{
    HMODULE found = NULL;
    return GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                              (LPCWSTR)(const void *)module, &found) != 0;
}

/* Looks again, from the thread pool, for a while: an unload the loader
 * deferred (a FreeLibrary inside another module's DllMain) ends as soon as
 * the outer one returns; a module someone else holds stays. Holds our
 * module meanwhile. */
static void CALLBACK lower_watch(PTP_CALLBACK_INSTANCE instance, void *context)
{
    HMODULE module = context;
    for (int i = 0; i < 50 && lower_mapped(module); i++)
        Sleep(20);
    if (lower_mapped(module))
        lsp_module_pin();
    FreeLibraryWhenCallbackReturns(instance, lsp_module());
}

/* Lets the lower provider's module go. ShareLSP gives a base provider its
 * own WPUPostMessage (async_lower_post), and a provider may keep the table
 * it was given for every caller (one table for the process, the last one
 * given winning, as Windows' base provider keeps it). If the module
 * outlives our use of it (the host, or another layer, still has it), that
 * pointer may outlive sharelsp.dll: then sharelsp.dll stays loaded to the
 * end of the process, so the pointer never dangles (async_lower_post passes
 * on what is not ours once ShareLSP has stopped). */
static void lower_unload(HMODULE module, bool own_upcalls)
{
    FreeLibrary(module);
    if (!own_upcalls || !lower_mapped(module))
        return;
    if (!lsp_module_hold()) {
        lsp_module_pin();
    } else if (!TrySubmitThreadpoolCallback(lower_watch, module, NULL)) {
        lsp_module_pin(); /* first: the hold may be what keeps this code mapped */
        lsp_module_drop_early();
    }
}

void lsp_lower_release(lsp_lower *lower)
{
    AcquireSRWLockExclusive(&lowers_lock);
    bool last = --lower->refs == 0;
    if (last) {
        for (lsp_lower **p = &lowers; *p != NULL; p = &(*p)->next) {
            if (*p == lower) {
                *p = lower->next;
                break;
            }
        }
    }
    ReleaseSRWLockExclusive(&lowers_lock);
    if (!last)
        return;
    int err = 0;
    lower->procs.lpWSPCleanup(&err);
    lower_unload(lower->module, lower->own_upcalls);
    HeapFree(GetProcessHeap(), 0, lower);
}

/* Loads and starts the provider of `next`, once per lower info. */
static int lower_start(WSAPROTOCOL_INFOW *next, const WSAPROTOCOL_INFOW *lower_info, lsp_lower **out)
{
    if ((*out = lower_find(lower_info->dwCatalogEntryId)) != NULL)
        return 0;
    WCHAR path[MAX_PATH];
    int err = provider_path(&next->ProviderId, path);
    if (err != 0) {
        sharelsp_diagnostic("chain: entry %lu below has no provider path", (unsigned long)next->dwCatalogEntryId);
        return err;
    }
    lsp_lower *l = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *l);
    if (l == NULL)
        return WSAENOBUFS;
    l->catalog_id = lower_info->dwCatalogEntryId;
    l->refs = 1;
    l->module = LoadLibraryW(path);
    LPWSPSTARTUP startup = NULL;
    if (l->module != NULL)
        startup = (LPWSPSTARTUP)(void (*)(void))GetProcAddress(l->module, "WSPStartup");
    if (startup == NULL) {
        sharelsp_diagnostic("chain: the provider below, %ls, %s (error %lu)", path,
                            l->module == NULL ? "cannot be loaded" : "has no WSPStartup", GetLastError());
        err = WSAEPROVIDERFAILEDINIT;
    } else {
        WSPDATA data;
        WSAPROTOCOL_INFOW info = *lower_info;
        memset(&data, 0, sizeof data);
        /* The host's upcalls, but for a base provider's message post
         * (async.h). Not a layer's: it may pass the table on to a provider
         * whose life ShareLSP does not see (lower_unload). */
        WSPUPCALLTABLE upcalls = lsp_upcalls;
        l->own_upcalls = lower_info->ProtocolChain.ChainLen == BASE_PROTOCOL;
        if (l->own_upcalls)
            upcalls.lpWPUPostMessage = async_lower_post;
        err = startup(MAKEWORD(2, 2), &data, &info, upcalls, &l->procs);
        if (err == 0 && (data.wVersion != MAKEWORD(2, 2) || proctable_first_missing(&l->procs) != NULL)) {
            int ignored = 0;
            if (l->procs.lpWSPCleanup != NULL)
                l->procs.lpWSPCleanup(&ignored);
            err = data.wVersion != MAKEWORD(2, 2) ? WSAVERNOTSUPPORTED : WSAEINVALIDPROCTABLE;
            sharelsp_diagnostic("chain: the provider below, %ls, %s", path,
                                err == WSAVERNOTSUPPORTED ? "does not offer version 2.2"
                                                          : "left its proc table incomplete");
        } else if (err != 0) {
            sharelsp_diagnostic("chain: the provider below, %ls, refused WSPStartup (%d)", path, err);
            err = WSAEPROVIDERFAILEDINIT;
        }
    }
    if (err != 0) {
        if (l->module != NULL)
            lower_unload(l->module, l->own_upcalls);
        HeapFree(GetProcessHeap(), 0, l);
        return err;
    }
    AcquireSRWLockExclusive(&lowers_lock);
    l->next = lowers;
    lowers = l;
    ReleaseSRWLockExclusive(&lowers_lock);
    *out = l;
    return 0;
}

int lsp_chain_start(const WSAPROTOCOL_INFOW *chain, lsp_entry *entry)
{
    WCHAR self[MAX_PATH];
    DWORD n = GetModuleFileNameW(lsp_module(), self, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return WSAEPROVIDERFAILEDINIT;
    catalog_copy cat;
    int err = catalog_read(&cat);
    if (err != 0)
        return err;
    int len = chain->ProtocolChain.ChainLen;
    if (len > MAX_PROTOCOL_CHAIN)
        len = MAX_PROTOCOL_CHAIN; /* the info is the caller's: never read past the array */
    int me = -1;
    for (int i = 0; i < len && err == 0; i++) {
        const WSAPROTOCOL_INFOW *link = catalog_find(&cat, chain->ProtocolChain.ChainEntries[i]);
        WCHAR path[MAX_PATH];
        GUID provider;
        if (link == NULL) {
            sharelsp_diagnostic("chain %lu: its link %lu is not in the catalog", (unsigned long)chain->dwCatalogEntryId,
                                (unsigned long)chain->ProtocolChain.ChainEntries[i]);
            err = WSAEPROVIDERFAILEDINIT; /* the chain names an entry that is gone */
        } else {
            provider = link->ProviderId;
            if (provider_path(&provider, path) == 0 && same_file(path, self)) {
                /* Our DLL twice in one chain (installed over itself) would
                 * load itself as its own lower provider: one instance, one
                 * table, no way to tell the two layers' calls apart.
                 * Refused, as a chain we cannot serve. */
                if (me >= 0) {
                    sharelsp_diagnostic("chain %lu: %ls is in it twice (installed over itself)",
                                        (unsigned long)chain->dwCatalogEntryId, self);
                    err = WSAEPROVIDERFAILEDINIT;
                }
                me = i;
            }
        }
    }
    const WSAPROTOCOL_INFOW *below = NULL;
    if (err == 0 && me >= 0 && me + 1 < len)
        below = catalog_find(&cat, chain->ProtocolChain.ChainEntries[me + 1]);
    if (err == 0 && below == NULL) {
        sharelsp_diagnostic("chain %lu: %ls is %s", (unsigned long)chain->dwCatalogEntryId, self,
                            me < 0 ? "not in it" : "its last link: nothing is below");
        err = WSAEPROVIDERFAILEDINIT; /* not in the chain, or nothing below us */
    }
    WSAPROTOCOL_INFOW next;
    if (err == 0)
        next = *below;
    free(cat.entries);
    if (err != 0)
        return err;
    entry->catalog_id = chain->dwCatalogEntryId;
    entry->info = *chain;
    /* A base provider gets its own entry; a layered one the whole chain, so
     * it can find its own place in it as we did. */
    entry->lower_info = next.ProtocolChain.ChainLen == BASE_PROTOCOL ? next : *chain;
    return lower_start(&next, &entry->lower_info, &entry->lower);
}

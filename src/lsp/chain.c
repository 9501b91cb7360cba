/* Our place in the protocol chain and the provider after it. We find
 * ourselves by comparing each chain entry's provider path with our own
 * DLL's file, so no catalog id, GUID or position is assumed: started by
 * ws2_32 we are ChainEntries[0]; under another LSP we are further down. */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static lsp_lower *lowers; /* guarded by the caller's startup lock */

int lsp_catalog_entry(DWORD id, WSAPROTOCOL_INFOW *out)
{
    DWORD length = 0;
    int err = 0;
    if (WSCEnumProtocols(NULL, NULL, &length, &err) != SOCKET_ERROR || err != WSAENOBUFS)
        return WSAEPROVIDERFAILEDINIT;
    WSAPROTOCOL_INFOW *all = malloc(length);
    if (all == NULL)
        return WSAENOBUFS;
    int n = WSCEnumProtocols(NULL, all, &length, &err);
    int rc = WSAEPROVIDERFAILEDINIT;
    for (int i = 0; i < n; i++) {
        if (all[i].dwCatalogEntryId == id) {
            *out = all[i];
            rc = 0;
            break;
        }
    }
    free(all);
    return rc;
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

static const char *const proc_names[] = {
    "WSPAccept", "WSPAddressToString", "WSPAsyncSelect", "WSPBind", "WSPCancelBlockingCall", "WSPCleanup",
    "WSPCloseSocket", "WSPConnect", "WSPDuplicateSocket", "WSPEnumNetworkEvents", "WSPEventSelect",
    "WSPGetOverlappedResult", "WSPGetPeerName", "WSPGetSockName", "WSPGetSockOpt", "WSPGetQOSByName", "WSPIoctl",
    "WSPJoinLeaf", "WSPListen", "WSPRecv", "WSPRecvDisconnect", "WSPRecvFrom", "WSPSelect", "WSPSend",
    "WSPSendDisconnect", "WSPSendTo", "WSPSetSockOpt", "WSPShutdown", "WSPSocket", "WSPStringToAddress"};
_Static_assert(sizeof proc_names / sizeof proc_names[0] * sizeof(void (*)(void)) == sizeof(WSPPROC_TABLE),
               "one name per proc table entry");

static bool table_complete(const WSPPROC_TABLE *procs)
{
    void (*const *slots)(void) = (void (*const *)(void))(const void *)procs;
    for (size_t i = 0; i < sizeof proc_names / sizeof proc_names[0]; i++) {
        if (slots[i] == NULL)
            return false;
    }
    return true;
}

/* Loads and starts the provider of `next`, once per lower info. */
static int lower_start(WSAPROTOCOL_INFOW *next, const WSAPROTOCOL_INFOW *lower_info, lsp_lower **out)
{
    for (lsp_lower *l = lowers; l != NULL; l = l->next) {
        if (l->catalog_id == lower_info->dwCatalogEntryId) {
            *out = l;
            return 0;
        }
    }
    WCHAR path[MAX_PATH];
    int err = provider_path(&next->ProviderId, path);
    if (err != 0)
        return err;
    lsp_lower *l = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *l);
    if (l == NULL)
        return WSAENOBUFS;
    l->catalog_id = lower_info->dwCatalogEntryId;
    l->module = LoadLibraryW(path);
    LPWSPSTARTUP startup = NULL;
    if (l->module != NULL)
        startup = (LPWSPSTARTUP)(void (*)(void))GetProcAddress(l->module, "WSPStartup");
    if (startup == NULL) {
        err = WSAEPROVIDERFAILEDINIT;
    } else {
        WSPDATA data;
        WSAPROTOCOL_INFOW info = *lower_info;
        memset(&data, 0, sizeof data);
        err = startup(MAKEWORD(2, 2), &data, &info, lsp_upcalls, &l->procs);
        if (err == 0 && (data.wVersion != MAKEWORD(2, 2) || !table_complete(&l->procs))) {
            int ignored = 0;
            if (l->procs.lpWSPCleanup != NULL)
                l->procs.lpWSPCleanup(&ignored);
            err = data.wVersion != MAKEWORD(2, 2) ? WSAVERNOTSUPPORTED : WSAEINVALIDPROCTABLE;
        } else if (err != 0) {
            err = WSAEPROVIDERFAILEDINIT;
        }
    }
    if (err != 0) {
        if (l->module != NULL)
            FreeLibrary(l->module);
        HeapFree(GetProcessHeap(), 0, l);
        return err;
    }
    l->next = lowers;
    lowers = l;
    *out = l;
    return 0;
}

int lsp_chain_start(const WSAPROTOCOL_INFOW *chain, lsp_entry *entry)
{
    WCHAR self[MAX_PATH];
    DWORD n = GetModuleFileNameW(lsp_module(), self, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return WSAEPROVIDERFAILEDINIT;
    int len = chain->ProtocolChain.ChainLen;
    int me = -1;
    for (int i = 0; i < len && me < 0; i++) {
        WSAPROTOCOL_INFOW link;
        WCHAR path[MAX_PATH];
        if (lsp_catalog_entry(chain->ProtocolChain.ChainEntries[i], &link) != 0)
            return WSAEPROVIDERFAILEDINIT; /* the chain names an entry that is gone */
        if (provider_path(&link.ProviderId, path) == 0 && same_file(path, self))
            me = i;
    }
    if (me < 0 || me + 1 >= len)
        return WSAEPROVIDERFAILEDINIT; /* not in the chain, or nothing below us */
    WSAPROTOCOL_INFOW next;
    if (lsp_catalog_entry(chain->ProtocolChain.ChainEntries[me + 1], &next) != 0)
        return WSAEPROVIDERFAILEDINIT;
    entry->catalog_id = chain->dwCatalogEntryId;
    entry->info = *chain;
    /* A base provider gets its own entry; a layered one the whole chain, so
     * it can find its own place in it as we did. */
    entry->lower_info = next.ProtocolChain.ChainLen == BASE_PROTOCOL ? next : *chain;
    return lower_start(&next, &entry->lower_info, &entry->lower);
}

void lsp_chain_stop_all(void)
{
    while (lowers != NULL) {
        lsp_lower *next = lowers->next;
        int err = 0;
        lowers->procs.lpWSPCleanup(&err);
        FreeLibrary(lowers->module);
        HeapFree(GetProcessHeap(), 0, lowers);
        lowers = next;
    }
}

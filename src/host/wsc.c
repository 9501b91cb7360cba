/* The WSC catalog API over the catalog files. Every change takes the
 * cross-process lock, reads the half or halves it changes, edits them in
 * memory and replaces each file in one rename, so a failed step leaves the
 * catalog as it was. The plain forms act on the caller's own half; the 64_32
 * and 32 forms, which only a 64-bit ws2_32 exports, are in wsc64.c. */
#ifndef UNICODE
#define UNICODE /* WSCInstallProviderAndChains takes WSAPROTOCOL_INFOW */
#endif
#include "api.h"

#include <sporder.h>
#include <stdio.h>
#include <wchar.h>

#include "catalog_file.h"
#include "enumerate.h"
#include "wsc.h"

#ifdef _WIN64
/* Declared by ws2spi.h only for 32-bit Windows; the host exports it too. */
int WSPAPI WSCInstallProviderAndChains(LPGUID lpProviderId, const LPWSTR lpszProviderDllPath,
                                       const LPWSTR lpszLspName, DWORD dwServiceFlags,
                                       LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries,
                                       LPDWORD lpdwCatalogEntryId, LPINT lpErrno);
#endif

static int wsc_read(catalog_half half, catalog *cat)
{
    catalog_error err;
    return catalog_file_load_half(half, cat, &err);
}

/* A test hook: WSPHOST_FAIL_WSC=<function name> makes that WSC function fail
 * with WSASYSCALLFAILURE before it changes anything, so installers' rollback
 * can be tested (docs/host.md). */
static bool wsc_injected_failure(const char *function)
{
    char name[64];
    DWORD n = GetEnvironmentVariableA("WSPHOST_FAIL_WSC", name, sizeof name);
    return n > 0 && n < sizeof name && strcmp(name, function) == 0;
}

/* Both halves change under one lock, the 64-bit half's. Every half asked for
 * is read and edited before any is written: a refused edit changes none. */
int wsc_change_halves(const char *function, bool h64, bool h32, wsc_pair_edit edit, void *arg)
{
    if (wsc_injected_failure(function))
        return WSASYSCALLFAILURE;
    WCHAR lock_path[MAX_PATH];
    if (!catalog_file_lock_path(lock_path, MAX_PATH))
        return WSASYSCALLFAILURE;
    HANDLE lock = catalog_file_lock(lock_path);
    if (lock == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "wsphost: catalog %ls: could not take the lock\n", lock_path);
        return WSATRY_AGAIN;
    }
    catalog cats[2];
    bool wanted[2] = {h64, h32}, loaded[2] = {false, false};
    int err = 0;
    for (int h = 0; h < 2 && err == 0; h++) {
        if (wanted[h]) {
            err = wsc_read((catalog_half)h, &cats[h]);
            loaded[h] = err == 0;
        }
    }
    if (err == 0)
        err = edit(loaded[0] ? &cats[0] : NULL, loaded[1] ? &cats[1] : NULL, arg);
    for (int h = 0; h < 2 && err == 0; h++) {
        WCHAR path[MAX_PATH];
        if (wanted[h])
            err = catalog_file_path_of((catalog_half)h, path, MAX_PATH) ? catalog_file_store(path, &cats[h])
                                                                          : WSASYSCALLFAILURE;
    }
    for (int h = 0; h < 2; h++) {
        if (loaded[h])
            catalog_free(&cats[h]);
    }
    catalog_file_unlock(lock);
    return err;
}

typedef struct one_half {
    catalog_edit edit;
    void *arg;
} one_half;

static int wsc_one_half_edit(catalog *c64, catalog *c32, void *arg)
{
    const one_half *o = arg;
    return o->edit(c64 != NULL ? c64 : c32, o->arg);
}

static int wsc_change(const char *function, catalog_half half, catalog_edit edit, void *arg)
{
    one_half o = {edit, arg};
    return wsc_change_halves(function, half == CATALOG_HALF_64, half == CATALOG_HALF_32, wsc_one_half_edit, &o);
}

int wsc_fail(LPINT lpErrno, int err)
{
    if (lpErrno != NULL)
        *lpErrno = err;
    return SOCKET_ERROR;
}

/* --- WSCEnumProtocols --- */

int wsc_enum_protocols(catalog_half half, LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                       LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    if (lpErrno == NULL)
        return SOCKET_ERROR;
    catalog cat;
    int err = wsc_read(half, &cat);
    if (err != 0)
        return wsc_fail(lpErrno, err);
    int n = enumerate_entries(&cat, false, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
    catalog_free(&cat);
    return n;
}

int WSPAPI WSCEnumProtocols(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength,
                            LPINT lpErrno)
{
    return wsc_enum_protocols(CATALOG_HALF_OWN, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
}

/* --- WSCInstallProvider --- */

static int update_edit(catalog *cat, void *arg);

/* WSCInstallProvider and WSCUpdateProvider: the same arguments, checked the
 * same way, and an edit of the catalog each. */
int wsc_entries_check(const GUID *provider, const WCHAR *path, const WSAPROTOCOL_INFOW *infos, DWORD count)
{
    if (provider == NULL || path == NULL || infos == NULL)
        return WSAEFAULT;
    if (count == 0 || path[0] == L'\0' || wcslen(path) >= MAX_PATH)
        return WSAEINVAL;
    return 0;
}

static int wsc_entries_change(const char *function, catalog_half half, catalog_edit edit, LPGUID provider,
                              const WCHAR *path, const WSAPROTOCOL_INFOW *infos, DWORD count, LPINT lpErrno)
{
    if (lpErrno == NULL)
        return SOCKET_ERROR;
    int err = wsc_entries_check(provider, path, infos, count);
    if (err != 0)
        return wsc_fail(lpErrno, err);
    install_args a = {provider, path, infos, count};
    err = wsc_change(function, half, edit, &a);
    return err ? wsc_fail(lpErrno, err) : 0;
}

/* A chain may only name entries that exist. */
static bool chain_valid(const catalog *cat, const WSAPROTOCOL_INFOW *info)
{
    int len = info->ProtocolChain.ChainLen;
    if (len < 0 || len > MAX_PROTOCOL_CHAIN)
        return false;
    for (int k = 0; len >= 2 && k < len; k++) {
        if (catalog_find_id(cat, info->ProtocolChain.ChainEntries[k]) == NULL)
            return false;
    }
    return true;
}

int wsc_install_edit(catalog *cat, void *arg)
{
    const install_args *a = arg;
    if (catalog_has_provider(cat, a->provider))
        return WSAEINVAL;
    for (DWORD i = 0; i < a->count; i++) {
        if (!chain_valid(cat, &a->infos[i]))
            return WSAEINVAL;
    }
    for (DWORD i = 0; i < a->count; i++) {
        WSAPROTOCOL_INFOW info = a->infos[i];
        DWORD id;
        info.ProviderId = *a->provider;
        int err = catalog_append(cat, &info, a->path, &id);
        if (err != 0)
            return err;
    }
    return 0;
}

int wsc_install_provider(catalog_half half, LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                         const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return wsc_entries_change("WSCInstallProvider", half, wsc_install_edit, lpProviderId, lpszProviderDllPath,
                              lpProtocolInfoList, dwNumberOfEntries, lpErrno);
}

int WSPAPI WSCInstallProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                              const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return wsc_install_provider(CATALOG_HALF_OWN, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                                dwNumberOfEntries, lpErrno);
}

/* --- WSCInstallProviderAndChains --- */

int wsc_chains_edit(catalog *cat, void *arg)
{
    chains_args *a = arg;
    if (catalog_has_provider(cat, a->provider))
        return WSAEINVAL;
    /* Every listed entry must exist and be a base entry or a chain with room. */
    for (DWORD i = 0; i < a->count; i++) {
        const catalog_entry *under = catalog_find_id(cat, a->infos[i].dwCatalogEntryId);
        if (under == NULL || under->info.ProtocolChain.ChainLen == LAYERED_PROTOCOL ||
            under->info.ProtocolChain.ChainLen >= MAX_PROTOCOL_CHAIN)
            return WSAEINVAL;
    }
    WSAPROTOCOL_INFOW layered = catalog_find_id(cat, a->infos[0].dwCatalogEntryId)->info;
    layered.ProviderId = *a->provider;
    layered.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    memset(layered.ProtocolChain.ChainEntries, 0, sizeof layered.ProtocolChain.ChainEntries);
    layered.dwServiceFlags1 = a->service_flags;
    layered.dwProviderFlags = PFL_HIDDEN;
    wcsncpy(layered.szProtocol, a->name, WSAPROTOCOL_LEN);
    layered.szProtocol[WSAPROTOCOL_LEN] = L'\0';
    int err = catalog_append(cat, &layered, a->path, &a->layered_id);
    for (DWORD i = 0; err == 0 && i < a->count; i++) {
        const WSAPROTOCOL_INFOW *under = &catalog_find_id(cat, a->infos[i].dwCatalogEntryId)->info;
        WSAPROTOCOL_INFOW chain = *under;
        chain.ProviderId = *a->provider;
        chain.ProtocolChain.ChainEntries[0] = a->layered_id;
        if (under->ProtocolChain.ChainLen == BASE_PROTOCOL) {
            chain.ProtocolChain.ChainLen = 2;
            chain.ProtocolChain.ChainEntries[1] = under->dwCatalogEntryId;
        } else {
            for (int k = 0; k < under->ProtocolChain.ChainLen; k++)
                chain.ProtocolChain.ChainEntries[k + 1] = under->ProtocolChain.ChainEntries[k];
            chain.ProtocolChain.ChainLen = under->ProtocolChain.ChainLen + 1;
        }
        chain.dwServiceFlags1 = (under->dwServiceFlags1 & ~XP1_IFS_HANDLES) | (a->service_flags & XP1_IFS_HANDLES);
        chain.dwProviderFlags &= ~PFL_HIDDEN;
        _snwprintf(chain.szProtocol, WSAPROTOCOL_LEN, L"%ls over [%ls]", a->name, under->szProtocol);
        chain.szProtocol[WSAPROTOCOL_LEN] = L'\0';
        DWORD id;
        err = catalog_append(cat, &chain, a->path, &id);
        /* The chains go first in catalog order, in the order given. */
        if (err == 0)
            catalog_move_to_front(cat, cat->count - 1, i);
    }
    return err;
}

int WSPAPI WSCInstallProviderAndChains(LPGUID lpProviderId, const LPWSTR lpszProviderDllPath,
                                       const LPWSTR lpszLspName, DWORD dwServiceFlags,
                                       LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries,
                                       LPDWORD lpdwCatalogEntryId, LPINT lpErrno)
{
    if (lpErrno == NULL)
        return SOCKET_ERROR;
    int err = lpszLspName == NULL ? WSAEFAULT
                                  : wsc_entries_check(lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                                                      dwNumberOfEntries);
    if (err != 0)
        return wsc_fail(lpErrno, err);
    chains_args a = {lpProviderId, lpszProviderDllPath, lpszLspName, dwServiceFlags, lpProtocolInfoList,
                     dwNumberOfEntries, 0};
    err = wsc_change("WSCInstallProviderAndChains", CATALOG_HALF_OWN, wsc_chains_edit, &a);
    if (err != 0)
        return wsc_fail(lpErrno, err);
    if (lpdwCatalogEntryId != NULL)
        *lpdwCatalogEntryId = a.layered_id;
    return 0;
}

/* --- WSCDeinstallProvider --- */

static int deinstall_edit(catalog *cat, void *arg)
{
    const GUID *provider = arg;
    if (!catalog_has_provider(cat, provider))
        return WSAEINVAL;
    for (size_t i = cat->count; i-- > 0;) {
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, provider))
            catalog_remove_at(cat, i);
    }
    return 0;
}

int wsc_deinstall_provider(catalog_half half, LPGUID lpProviderId, LPINT lpErrno)
{
    if (lpErrno == NULL)
        return SOCKET_ERROR;
    if (lpProviderId == NULL)
        return wsc_fail(lpErrno, WSAEFAULT);
    int err = wsc_change("WSCDeinstallProvider", half, deinstall_edit, lpProviderId);
    return err ? wsc_fail(lpErrno, err) : 0;
}

int WSPAPI WSCDeinstallProvider(LPGUID lpProviderId, LPINT lpErrno)
{
    return wsc_deinstall_provider(CATALOG_HALF_OWN, lpProviderId, lpErrno);
}

/* --- WSCWriteProviderOrder --- */

typedef struct order_args {
    const DWORD *ids;
    DWORD count;
} order_args;

static int order_edit(catalog *cat, void *arg)
{
    const order_args *a = arg;
    if (a->count != cat->count)
        return WSAEINVAL;
    /* A permutation of every entry: each id once, each known. */
    for (DWORD i = 0; i < a->count; i++) {
        int at = catalog_index_of(cat, a->ids[i]);
        if (at < 0 || (size_t)at < i)
            return WSAEINVAL; /* unknown, or already placed (a repeat) */
        catalog_move_to_front(cat, (size_t)at, i);
    }
    return 0;
}

int wsc_write_provider_order(catalog_half half, LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries)
{
    if (lpwdCatalogEntryId == NULL)
        return WSAEFAULT;
    order_args a = {lpwdCatalogEntryId, dwNumberOfEntries};
    return wsc_change("WSCWriteProviderOrder", half, order_edit, &a);
}

int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries)
{
    return wsc_write_provider_order(CATALOG_HALF_OWN, lpwdCatalogEntryId, dwNumberOfEntries);
}

/* --- WSCGetProviderPath --- */

int wsc_get_provider_path(catalog_half half, LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                          LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    if (lpErrno == NULL)
        return SOCKET_ERROR;
    if (lpProviderId == NULL || lpProviderDllPathLen == NULL)
        return wsc_fail(lpErrno, WSAEFAULT);
    catalog cat;
    int err = wsc_read(half, &cat);
    if (err != 0)
        return wsc_fail(lpErrno, err);
    const catalog_entry *found = NULL;
    for (size_t i = 0; i < cat.count && found == NULL; i++) {
        if (IsEqualGUID(&cat.entries[i].info.ProviderId, lpProviderId))
            found = &cat.entries[i];
    }
    int r = 0;
    if (found == NULL) {
        r = wsc_fail(lpErrno, WSAEINVAL);
    } else {
        int needed = (int)wcslen(found->path) + 1;
        if (lpszProviderDllPath == NULL || *lpProviderDllPathLen < needed) {
            *lpProviderDllPathLen = needed;
            r = wsc_fail(lpErrno, WSAEFAULT);
        } else {
            wcscpy(lpszProviderDllPath, found->path);
            *lpProviderDllPathLen = needed;
        }
    }
    catalog_free(&cat);
    return r;
}

int WSPAPI WSCGetProviderPath(LPGUID lpProviderId, WCHAR *lpszProviderDllPath, LPINT lpProviderDllPathLen,
                              LPINT lpErrno)
{
    return wsc_get_provider_path(CATALOG_HALF_OWN, lpProviderId, lpszProviderDllPath, lpProviderDllPathLen, lpErrno);
}

/* --- WSCUpdateProvider --- */

static int update_edit(catalog *cat, void *arg)
{
    const install_args *a = arg;
    /* Check everything first: an unknown entry changes nothing. */
    for (DWORD i = 0; i < a->count; i++) {
        const catalog_entry *e = catalog_find_id(cat, a->infos[i].dwCatalogEntryId);
        if (e == NULL || !IsEqualGUID(&e->info.ProviderId, a->provider) || !chain_valid(cat, &a->infos[i]))
            return WSAEINVAL;
    }
    for (DWORD i = 0; i < a->count; i++) {
        catalog_entry *e = catalog_find_id(cat, a->infos[i].dwCatalogEntryId);
        e->info = a->infos[i];
        e->info.ProviderId = *a->provider;
        e->info.dwProviderReserved = 0;
    }
    for (size_t i = 0; i < cat->count; i++) {
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, a->provider))
            wcscpy(cat->entries[i].path, a->path);
    }
    return 0;
}

int wsc_update_provider(catalog_half half, LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                        const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return wsc_entries_change("WSCUpdateProvider", half, update_edit, lpProviderId, lpszProviderDllPath,
                              lpProtocolInfoList, dwNumberOfEntries, lpErrno);
}

int WSPAPI WSCUpdateProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                             const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return wsc_update_provider(CATALOG_HALF_OWN, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                               dwNumberOfEntries, lpErrno);
}

/* --- WSCSetProviderInfo / WSCGetProviderInfo (LSP categories) --- */

typedef struct categories_args {
    const GUID *provider;
    DWORD categories;
} categories_args;

static int categories_edit(catalog *cat, void *arg)
{
    const categories_args *a = arg;
    if (!catalog_has_provider(cat, a->provider))
        return WSAEINVAL;
    for (size_t i = 0; i < cat->count; i++) {
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, a->provider))
            cat->entries[i].categories = a->categories;
    }
    return 0;
}

int wsc_set_provider_info(catalog_half half, LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                          size_t InfoSize, DWORD Flags, LPINT lpErrno)
{
    (void)Flags;
    if (lpErrno == NULL)
        return SOCKET_ERROR;
    if (lpProviderId == NULL || Info == NULL)
        return wsc_fail(lpErrno, WSAEFAULT);
    if (InfoType != ProviderInfoLspCategories || InfoSize != sizeof(DWORD))
        return wsc_fail(lpErrno, WSAEINVAL);
    categories_args a = {lpProviderId, 0};
    memcpy(&a.categories, Info, sizeof a.categories);
    int err = wsc_change("WSCSetProviderInfo", half, categories_edit, &a);
    return err ? wsc_fail(lpErrno, err) : 0;
}

int WSPAPI WSCSetProviderInfo(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t InfoSize,
                              DWORD Flags, LPINT lpErrno)
{
    return wsc_set_provider_info(CATALOG_HALF_OWN, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

/* The provider is looked up first, as Windows does: an unknown one gives
 * WSANO_RECOVERY whatever else is wrong with the call. */
int wsc_get_provider_info(catalog_half half, LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                          size_t *InfoSize, DWORD Flags, LPINT lpErrno)
{
    (void)Flags;
    if (lpErrno == NULL)
        return SOCKET_ERROR;
    if (lpProviderId == NULL)
        return wsc_fail(lpErrno, WSAEFAULT);
    catalog cat;
    int err = wsc_read(half, &cat);
    if (err != 0)
        return wsc_fail(lpErrno, err);
    const catalog_entry *entry = NULL;
    for (size_t i = 0; i < cat.count && entry == NULL; i++) {
        if (IsEqualGUID(&cat.entries[i].info.ProviderId, lpProviderId))
            entry = &cat.entries[i];
    }
    if (entry == NULL)
        err = WSANO_RECOVERY;
    else if (InfoSize == NULL)
        err = WSAEFAULT;
    else if (InfoType != ProviderInfoLspCategories)
        err = WSAEINVAL;
    else if (Info == NULL || *InfoSize < sizeof(DWORD)) {
        *InfoSize = sizeof(DWORD);
        err = WSAEFAULT;
    } else {
        memcpy(Info, &entry->categories, sizeof(DWORD));
        *InfoSize = sizeof(DWORD);
    }
    catalog_free(&cat);
    return err ? wsc_fail(lpErrno, err) : 0;
}

int WSPAPI WSCGetProviderInfo(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t *InfoSize,
                              DWORD Flags, LPINT lpErrno)
{
    return wsc_get_provider_info(CATALOG_HALF_OWN, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}


/* The WSC forms only a 64-bit ws2_32 exports: the 64_32 forms change the
 * 64-bit and the 32-bit catalog together, the 32 forms the 32-bit one.
 * Built for x86_64 only. */
#ifndef UNICODE
#define UNICODE /* WSCInstallProviderAndChains takes WSAPROTOCOL_INFOW */
#endif
#include "api.h"

#include <sporder.h>
#include <stdlib.h>

#include "wsc.h"

/* The entries a 64_32 call names (base entries, other chains) are the
 * 64-bit half's, by catalog id. The 32-bit half numbers its own: its twin
 * of an entry is the one of the same provider, family, type, protocol and
 * chain length. */
static const catalog_entry *wsc64_twin(const catalog *c64, const catalog *c32, DWORD id64)
{
    const catalog_entry *e = catalog_find_id(c64, id64);
    if (e == NULL)
        return NULL;
    for (size_t i = 0; i < c32->count; i++) {
        const WSAPROTOCOL_INFOW *o = &c32->entries[i].info;
        if (IsEqualGUID(&o->ProviderId, &e->info.ProviderId) && o->iAddressFamily == e->info.iAddressFamily &&
            o->iSocketType == e->info.iSocketType && o->iProtocol == e->info.iProtocol &&
            o->ProtocolChain.ChainLen == e->info.ProtocolChain.ChainLen)
            return &c32->entries[i];
    }
    return NULL;
}

/* infos with every catalog id they name (the entry's own, the chain's)
 * turned into the 32-bit half's; WSAEINVAL when one has no twin there. */
static int wsc64_translate(const catalog *c64, const catalog *c32, const WSAPROTOCOL_INFOW *infos, DWORD count,
                           WSAPROTOCOL_INFOW **out)
{
    WSAPROTOCOL_INFOW *t = malloc(count * sizeof *t);
    if (t == NULL)
        return WSAENOBUFS;
    for (DWORD i = 0; i < count; i++) {
        t[i] = infos[i];
        if (infos[i].dwCatalogEntryId != 0) {
            const catalog_entry *twin = wsc64_twin(c64, c32, infos[i].dwCatalogEntryId);
            if (twin != NULL)
                t[i].dwCatalogEntryId = twin->info.dwCatalogEntryId;
        }
        int len = infos[i].ProtocolChain.ChainLen;
        for (int k = 0; len >= 2 && len <= MAX_PROTOCOL_CHAIN && k < len; k++) {
            const catalog_entry *twin = wsc64_twin(c64, c32, infos[i].ProtocolChain.ChainEntries[k]);
            if (twin == NULL) {
                free(t);
                return WSAEINVAL;
            }
            t[i].ProtocolChain.ChainEntries[k] = twin->info.dwCatalogEntryId;
        }
    }
    *out = t;
    return 0;
}

int WSPAPI WSCEnumProtocols32(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength,
                              LPINT lpErrno)
{
    return wsc_enum_protocols(CATALOG_HALF_32, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
}

/* --- WSCInstallProvider64_32 --- */

static int install_pair_edit(catalog *c64, catalog *c32, void *arg)
{
    const install_args *a = arg;
    WSAPROTOCOL_INFOW *infos32 = NULL;
    int err = wsc64_translate(c64, c32, a->infos, a->count, &infos32);
    if (err != 0)
        return err;
    install_args a32 = *a;
    a32.infos = infos32;
    err = wsc_install_edit(c64, (void *)a);
    if (err == 0)
        err = wsc_install_edit(c32, &a32);
    free(infos32);
    return err;
}

int WSPAPI WSCInstallProvider64_32(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                                   const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries,
                                   LPINT lpErrno)
{
    if (lpErrno == NULL)
        return SOCKET_ERROR;
    int err = wsc_entries_check(lpProviderId, lpszProviderDllPath, lpProtocolInfoList, dwNumberOfEntries);
    if (err != 0)
        return wsc_fail(lpErrno, err);
    install_args a = {lpProviderId, lpszProviderDllPath, lpProtocolInfoList, dwNumberOfEntries};
    err = wsc_change_halves("WSCInstallProvider", true, true, install_pair_edit, &a);
    return err ? wsc_fail(lpErrno, err) : 0;
}

/* --- WSCInstallProviderAndChains64_32 --- */

typedef struct chains_pair {
    chains_args a64;
    const WCHAR *path32;
} chains_pair;

/* The same chains in both halves, over the twins of the listed entries; the
 * 32-bit half's entries name the 32-bit DLL's path. */
static int chains_pair_edit(catalog *c64, catalog *c32, void *arg)
{
    chains_pair *p = arg;
    WSAPROTOCOL_INFOW *infos32 = NULL;
    int err = wsc64_translate(c64, c32, p->a64.infos, p->a64.count, &infos32);
    if (err != 0)
        return err;
    chains_args a32 = p->a64;
    a32.path = p->path32;
    a32.infos = infos32;
    for (DWORD i = 0; i < a32.count; i++) {
        if (wsc64_twin(c64, c32, p->a64.infos[i].dwCatalogEntryId) == NULL)
            err = WSAEINVAL;
    }
    if (err == 0)
        err = wsc_chains_edit(c64, &p->a64);
    if (err == 0)
        err = wsc_chains_edit(c32, &a32);
    free(infos32);
    return err;
}

int WSPAPI WSCInstallProviderAndChains64_32(LPGUID lpProviderId, const LPWSTR lpszProviderDllPath,
                                            const LPWSTR lpszProviderDllPath32, const LPWSTR lpszLspName,
                                            DWORD dwServiceFlags, LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                            DWORD dwNumberOfEntries, LPDWORD lpdwCatalogEntryId, LPINT lpErrno)
{
    if (lpErrno == NULL)
        return SOCKET_ERROR;
    int err = lpszLspName == NULL ? WSAEFAULT
                                  : wsc_entries_check(lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                                                      dwNumberOfEntries);
    if (err == 0)
        err = wsc_entries_check(lpProviderId, lpszProviderDllPath32, lpProtocolInfoList, dwNumberOfEntries);
    if (err != 0)
        return wsc_fail(lpErrno, err);
    chains_pair p = {{lpProviderId, lpszProviderDllPath, lpszLspName, dwServiceFlags, lpProtocolInfoList,
                      dwNumberOfEntries, 0},
                     lpszProviderDllPath32};
    err = wsc_change_halves("WSCInstallProviderAndChains", true, true, chains_pair_edit, &p);
    if (err != 0)
        return wsc_fail(lpErrno, err);
    if (lpdwCatalogEntryId != NULL)
        *lpdwCatalogEntryId = p.a64.layered_id;
    return 0;
}

/* --- the 32 forms: the 32-bit half alone --- */

int WSPAPI WSCDeinstallProvider32(LPGUID lpProviderId, LPINT lpErrno)
{
    return wsc_deinstall_provider(CATALOG_HALF_32, lpProviderId, lpErrno);
}

int WSPAPI WSCWriteProviderOrder32(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries)
{
    return wsc_write_provider_order(CATALOG_HALF_32, lpwdCatalogEntryId, dwNumberOfEntries);
}

int WSPAPI WSCGetProviderPath32(LPGUID lpProviderId, WCHAR *lpszProviderDllPath, LPINT lpProviderDllPathLen,
                                LPINT lpErrno)
{
    return wsc_get_provider_path(CATALOG_HALF_32, lpProviderId, lpszProviderDllPath, lpProviderDllPathLen,
                                 lpErrno);
}

int WSPAPI WSCUpdateProvider32(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                               const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return wsc_update_provider(CATALOG_HALF_32, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                               dwNumberOfEntries, lpErrno);
}

int WSPAPI WSCSetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t InfoSize,
                                DWORD Flags, LPINT lpErrno)
{
    return wsc_set_provider_info(CATALOG_HALF_32, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

int WSPAPI WSCGetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t *InfoSize,
                                DWORD Flags, LPINT lpErrno)
{
    return wsc_get_provider_info(CATALOG_HALF_32, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

/* bench_chain's catalog: nullbase installed beside wspbase, and ShareLSP
 * over one entry of each, with the WSC calls an installer makes. */
#include "bench_chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include <sharelsp/sharelsp.h>

#include "catalog_files.h"

static const GUID bench_nullbase_guid = {0x0b3e7c52, 0x91d4, 0x4a6f, {0x9e, 0x21, 0x5c, 0x70, 0x3a, 0xd8, 0x14, 0x6b}};
static const GUID bench_sharelsp_guid = SHARELSP_PROVIDER_GUID_INIT;
static const GUID bench_layer_guid = {0x6b1c0a3e, 0x5d27, 0x4f80, {0xa4, 0x19, 0xbe, 0x0c, 0x4e, 0x57, 0x2d, 0x91}};
static WCHAR bench_catalog_path[MAX_PATH];

static void bench_beside_exe(WCHAR *path, const WCHAR *name)
{
    GetModuleFileNameW(NULL, path, MAX_PATH);
    wcscpy(wcsrchr(path, L'\\') + 1, name);
}

/* The catalog as it stands; NULL if it cannot be read. */
static WSAPROTOCOL_INFOW *bench_catalog_read(int *count)
{
    DWORD len = 0;
    int err = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    WSAPROTOCOL_INFOW *all = malloc(len);
    *count = all != NULL ? WSCEnumProtocols(NULL, all, &len, &err) : SOCKET_ERROR;
    if (*count == SOCKET_ERROR) {
        free(all);
        return NULL;
    }
    return all;
}

static bool bench_is_tcp4(const WSAPROTOCOL_INFOW *info)
{
    return info->iAddressFamily == AF_INET && info->iSocketType == SOCK_STREAM && info->iProtocol == IPPROTO_TCP;
}

/* The catalog id of the layered entry installed under guid; 0 if none. */
static DWORD bench_layered_id(const WSAPROTOCOL_INFOW *all, int n, const GUID *guid)
{
    for (int i = 0; i < n; i++) {
        if (all[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL && IsEqualGUID(&all[i].ProviderId, guid))
            return all[i].dwCatalogEntryId;
    }
    return 0;
}

/* Base entries found by provider, chains by their layer and the entry
 * under it. */
static void bench_catalog_find(const WSAPROTOCOL_INFOW *all, int n, bench_entries *entries)
{
    DWORD sharelsp = bench_layered_id(all, n, &bench_sharelsp_guid);
    DWORD layer = bench_layered_id(all, n, &bench_layer_guid);
    for (int i = 0; i < n; i++) {
        const WSAPROTOCOL_INFOW *e = &all[i];
        if (!bench_is_tcp4(e) || e->ProtocolChain.ChainLen != BASE_PROTOCOL)
            continue;
        int base = IsEqualGUID(&e->ProviderId, &bench_nullbase_guid) ? BENCH_NULL : BENCH_WSPBASE;
        entries->info[base][BENCH_ALONE] = *e;
    }
    for (int i = 0; i < n; i++) {
        const WSAPROTOCOL_INFOW *e = &all[i];
        if (e->ProtocolChain.ChainLen != 2)
            continue;
        for (int base = 0; base < BENCH_BASES; base++) {
            if (e->ProtocolChain.ChainEntries[0] == sharelsp &&
                e->ProtocolChain.ChainEntries[1] == entries->info[base][BENCH_ALONE].dwCatalogEntryId)
                entries->info[base][BENCH_LAYERED] = *e;
        }
        if (layer != 0 && e->ProtocolChain.ChainEntries[0] == layer &&
            e->ProtocolChain.ChainEntries[1] == entries->info[BENCH_NULL][BENCH_ALONE].dwCatalogEntryId)
            entries->hookless = *e;
    }
}

/* nullbase's entry, in both catalog halves of a 64-bit process: ShareLSP's
 * 64_32 install layers over the 32-bit twins of the entries it is given. */
static int bench_install_nullbase(WCHAR *dll, WSAPROTOCOL_INFOW *entry, int *err)
{
#ifdef _WIN64
    return WSCInstallProvider64_32((GUID *)&bench_nullbase_guid, dll, entry, 1, err);
#else
    return WSCInstallProvider((GUID *)&bench_nullbase_guid, dll, entry, 1, err);
#endif
}

int bench_catalog_install(bench_entries *entries)
{
    WCHAR dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(bench_catalog_path, MAX_PATH, L"%lssharelsp-bench-%lu.catalog", dir,
               (unsigned long)GetCurrentProcessId());
    catalog_files_delete(bench_catalog_path);
    SetEnvironmentVariableW(L"WSPHOST_CATALOG", bench_catalog_path);
    int n = 0, err = 0;
    WSAPROTOCOL_INFOW *all = bench_catalog_read(&n);
    WSAPROTOCOL_INFOW null_entry = {0};
    for (int i = 0; all != NULL && i < n; i++) {
        if (bench_is_tcp4(&all[i]) && all[i].ProtocolChain.ChainLen == BASE_PROTOCOL)
            null_entry = all[i];
    }
    free(all);
    /* wspbase's TCP/IPv4 entry as it is, under nullbase's name. */
    _snwprintf(null_entry.szProtocol, WSAPROTOCOL_LEN, L"nullbase [TCP/IP]");
    WCHAR dll[MAX_PATH];
    bench_beside_exe(dll, L"nullbase.dll");
    if (null_entry.iSocketType != SOCK_STREAM || bench_install_nullbase(dll, &null_entry, &err) != 0) {
        printf("could not install nullbase: %d\n", err);
        return 1;
    }
    all = bench_catalog_read(&n);
    bench_catalog_find(all, n, entries);
    free(all);
    WSAPROTOCOL_INFOW under[BENCH_BASES] = {entries->info[BENCH_NULL][BENCH_ALONE],
                                            entries->info[BENCH_WSPBASE][BENCH_ALONE]};
    DWORD layered = 0;
    bench_beside_exe(dll, L"sharelsp.dll");
#ifdef _WIN64
    int r = WSCInstallProviderAndChains64_32((GUID *)&bench_sharelsp_guid, dll, dll, L"ShareLSP", 0, under,
                                             BENCH_BASES, &layered, &err);
#else /* a 32-bit process has one catalog, its own */
    int r = WSCInstallProviderAndChains((GUID *)&bench_sharelsp_guid, dll, L"ShareLSP", 0, under, BENCH_BASES,
                                        &layered, &err);
#endif
    if (r != 0) {
        printf("could not install ShareLSP: %d\n", err);
        return 1;
    }
    bench_beside_exe(dll, L"bench_layer.dll");
#ifdef _WIN64
    r = WSCInstallProviderAndChains64_32((GUID *)&bench_layer_guid, dll, dll, L"bench_layer", 0, under, 1, &layered,
                                         &err);
#else
    r = WSCInstallProviderAndChains((GUID *)&bench_layer_guid, dll, L"bench_layer", 0, under, 1, &layered, &err);
#endif
    if (r != 0) {
        printf("could not install bench_layer: %d\n", err);
        return 1;
    }
    all = bench_catalog_read(&n);
    bench_catalog_find(all, n, entries);
    free(all);
    for (int base = 0; base < BENCH_BASES; base++) {
        for (int v = 0; v < BENCH_VARIANTS; v++) {
            if (entries->info[base][v].dwCatalogEntryId == 0) {
                printf("catalog entry missing: base %d variant %d\n", base, v);
                return 1;
            }
        }
    }
    if (entries->hookless.dwCatalogEntryId == 0) {
        printf("catalog entry missing: bench_layer over nullbase\n");
        return 1;
    }
    return 0;
}

void bench_catalog_remove(void) { catalog_files_delete(bench_catalog_path); }

/* The WSC catalog API inside the host: each function on a half of the
 * catalog (catalog_file.h), for the plain forms (the process's own half,
 * wsc.c) and the 64_32 and 32 forms (wsc64.c). */
#ifndef SHARELSP_HOST_WSC_H
#define SHARELSP_HOST_WSC_H

#include "catalog_file.h"

typedef int (*catalog_edit)(catalog *cat, void *arg);
/* An edit of both halves (either may be NULL when not asked for). */
typedef int (*wsc_pair_edit)(catalog *c64, catalog *c32, void *arg);

/* Under the catalog's lock: reads the halves asked for, edits them, and
 * writes them only if the edit succeeded. 0 or a WSA error. */
int wsc_change_halves(const char *function, bool h64, bool h32, wsc_pair_edit edit, void *arg);
int wsc_fail(LPINT lpErrno, int err);

typedef struct install_args {
    const GUID *provider;
    const WCHAR *path;
    const WSAPROTOCOL_INFOW *infos;
    DWORD count;
} install_args;

typedef struct chains_args {
    const GUID *provider;
    const WCHAR *path;
    const WCHAR *name;
    DWORD service_flags;
    const WSAPROTOCOL_INFOW *infos;
    DWORD count;
    DWORD layered_id; /* out */
} chains_args;

/* WSAEFAULT, WSAEINVAL or 0, as WSCInstallProvider checks its arguments. */
int wsc_entries_check(const GUID *provider, const WCHAR *path, const WSAPROTOCOL_INFOW *infos, DWORD count);
int wsc_install_edit(catalog *cat, void *arg); /* install_args */
int wsc_chains_edit(catalog *cat, void *arg);  /* chains_args */

int wsc_enum_protocols(catalog_half half, LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                       LPDWORD lpdwBufferLength, LPINT lpErrno);
int wsc_deinstall_provider(catalog_half half, LPGUID lpProviderId, LPINT lpErrno);
int wsc_write_provider_order(catalog_half half, LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);
int wsc_get_provider_path(catalog_half half, LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                          LPINT lpProviderDllPathLen, LPINT lpErrno);
int wsc_update_provider(catalog_half half, LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                        const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno);
int wsc_set_provider_info(catalog_half half, LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                          size_t InfoSize, DWORD Flags, LPINT lpErrno);
int wsc_get_provider_info(catalog_half half, LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                          size_t *InfoSize, DWORD Flags, LPINT lpErrno);
int wsc_install_provider(catalog_half half, LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                         const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno);

#endif

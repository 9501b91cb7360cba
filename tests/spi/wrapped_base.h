/* What the test providers that are wspbase with a few entry points changed
 * (failclose.dll, faulty.dll) share: wspbase loaded from beside the test
 * provider's own DLL and started with the test provider's catalog entry, so
 * its duplicate infos name that entry. Each start loads wspbase once more;
 * the provider's cleanup runs wspbase's and unloads it once. Header only:
 * each DLL holds its own copy. */
#ifndef SHARELSP_TESTS_WRAPPED_BASE_H
#define SHARELSP_TESTS_WRAPPED_BASE_H

#include <winsock2.h>
#include <ws2spi.h>

#include <wchar.h>

/* wspbase.dll from the folder of the module that holds anchor, or NULL. */
static inline HMODULE wrapped_base_load(const void *anchor)
{
    HMODULE self = NULL;
    WCHAR path[MAX_PATH];
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)anchor, &self))
        return NULL;
    DWORD n = GetModuleFileNameW(self, path, MAX_PATH);
    WCHAR *slash = wcsrchr(path, L'\\');
    if (n == 0 || n >= MAX_PATH || slash == NULL || (size_t)(slash - path) + 13 > MAX_PATH)
        return NULL;
    wcscpy(slash + 1, L"wspbase.dll");
    return LoadLibraryW(path);
}

/* Loads and starts wspbase into *base; on success *module is its hold (for
 * the provider's cleanup to free). A WSPStartup error otherwise. */
static inline int wrapped_base_start(const void *anchor, WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info,
                                     WSPUPCALLTABLE upcalls, WSPPROC_TABLE *base, HMODULE *module)
{
    HMODULE loaded = wrapped_base_load(anchor);
    LPWSPSTARTUP startup = loaded ? (LPWSPSTARTUP)(void (*)(void))GetProcAddress(loaded, "WSPStartup") : NULL;
    int err = startup ? startup(version, data, info, upcalls, base) : WSAEPROVIDERFAILEDINIT;
    if (err != 0) {
        if (loaded != NULL)
            FreeLibrary(loaded);
        return err;
    }
    *module = loaded;
    return 0;
}

#endif

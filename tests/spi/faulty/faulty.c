/* faulty.dll: a base provider for the fault tests only. It is wspbase
 * (loaded from beside it and started with faulty's own catalog entry, so
 * its duplicate infos name that entry) with every entry point able to fail
 * on demand: the test arms a plan through the exports (faulty.h) and the
 * layer above sees the failure as a real lower provider's. */
#include "faulty.h"

#include <wchar.h>

WSPPROC_TABLE faulty_base;
static HMODULE base_module;

/* Each start loads wspbase once more, each cleanup unloads it once; the
 * cleanup can fail too, after wspbase's has run, so nothing stays behind. */
static int WSPAPI faulty_cleanup(LPINT lpErrno)
{
    int r = faulty_base.lpWSPCleanup(lpErrno);
    FreeLibrary(base_module);
    bool pend = false;
    int error = faulty_plan_take("WSPCleanup", &pend);
    if (error != 0) {
        *lpErrno = error;
        return SOCKET_ERROR;
    }
    return r;
}

static HMODULE faulty_load_base(void)
{
    HMODULE self = NULL;
    WCHAR path[MAX_PATH];
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)faulty_cleanup, &self))
        return NULL;
    DWORD n = GetModuleFileNameW(self, path, MAX_PATH);
    WCHAR *slash = wcsrchr(path, L'\\');
    if (n == 0 || n >= MAX_PATH || slash == NULL || (size_t)(slash - path) + 13 > MAX_PATH)
        return NULL;
    wcscpy(slash + 1, L"wspbase.dll");
    return LoadLibraryW(path);
}

int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs)
{
    HMODULE module = faulty_load_base();
    LPWSPSTARTUP startup = module ? (LPWSPSTARTUP)(void (*)(void))GetProcAddress(module, "WSPStartup") : NULL;
    int err = startup ? startup(version, data, info, upcalls, &faulty_base) : WSAEPROVIDERFAILEDINIT;
    if (err != 0) {
        if (module != NULL)
            FreeLibrary(module);
        return err;
    }
    base_module = module;
    faulty_fill_calls(procs);
    faulty_fill_io(procs);
    procs->lpWSPCleanup = faulty_cleanup;
    return 0;
}

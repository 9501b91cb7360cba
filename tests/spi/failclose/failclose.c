/* failclose.dll: a base provider for the close-failure tests only. It is
 * wspbase (loaded from beside it and started with failclose's own catalog
 * entry, so its duplicate infos name that entry) with one difference:
 * WSPCloseSocket fails on demand, without closing, as a real close does with
 * WSAEWOULDBLOCK when a non-blocking socket lingers (Wine's closesocket never
 * fails so). The test arms it through the exports. */
#include <winsock2.h>
#include <ws2spi.h>

#include <wchar.h>

__declspec(dllexport) void failclose_fail_next(int error);
__declspec(dllexport) LONG failclose_closes(void);

static WSPPROC_TABLE base;
static HMODULE base_module;
static LONG armed_error, closes;

/* The next WSPCloseSocket fails with error (0: none does). */
void failclose_fail_next(int error) { InterlockedExchange(&armed_error, error); }

/* How many closes reached wspbase. */
LONG failclose_closes(void) { return InterlockedCompareExchange(&closes, 0, 0); }

static int WSPAPI failclose_close(SOCKET s, LPINT lpErrno)
{
    LONG error = InterlockedExchange(&armed_error, 0);
    if (error != 0) {
        *lpErrno = error;
        return SOCKET_ERROR;
    }
    int r = base.lpWSPCloseSocket(s, lpErrno);
    if (r == 0)
        InterlockedIncrement(&closes);
    return r;
}

/* Each start loads wspbase once more, each cleanup unloads it once. */
static int WSPAPI failclose_cleanup(LPINT lpErrno)
{
    int r = base.lpWSPCleanup(lpErrno);
    FreeLibrary(base_module);
    return r;
}

static HMODULE failclose_load_base(void)
{
    HMODULE self = NULL;
    WCHAR path[MAX_PATH];
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)failclose_close, &self))
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
    HMODULE module = failclose_load_base();
    LPWSPSTARTUP startup = module ? (LPWSPSTARTUP)(void (*)(void))GetProcAddress(module, "WSPStartup") : NULL;
    int err = startup ? startup(version, data, info, upcalls, &base) : WSAEPROVIDERFAILEDINIT;
    if (err != 0) {
        if (module != NULL)
            FreeLibrary(module);
        return err;
    }
    base_module = module;
    *procs = base;
    procs->lpWSPCloseSocket = failclose_close;
    procs->lpWSPCleanup = failclose_cleanup;
    return 0;
}

/* failclose.dll: a base provider for the close-failure tests only. It is
 * wspbase (loaded from beside it and started with failclose's own catalog
 * entry, so its duplicate infos name that entry) with one difference:
 * WSPCloseSocket fails on demand, without closing, as a real close does with
 * WSAEWOULDBLOCK when a non-blocking socket lingers (Wine's closesocket never
 * fails so). The test arms it through the exports. */
#include "wrapped_base.h"

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

static int WSPAPI failclose_cleanup(LPINT lpErrno)
{
    int r = base.lpWSPCleanup(lpErrno);
    FreeLibrary(base_module);
    return r;
}

int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs)
{
    int err = wrapped_base_start((const void *)failclose_close, version, data, info, upcalls, &base, &base_module);
    if (err != 0)
        return err;
    *procs = base;
    procs->lpWSPCloseSocket = failclose_close;
    procs->lpWSPCleanup = failclose_cleanup;
    return 0;
}

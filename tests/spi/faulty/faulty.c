/* faulty.dll: a base provider for the fault tests only. It is wspbase
 * (loaded from beside it and started with faulty's own catalog entry, so
 * its duplicate infos name that entry) with every entry point able to fail
 * on demand: the test arms a plan through the exports (faulty.h) and the
 * layer above sees the failure as a real lower provider's. */
#include "faulty.h"
#include "wrapped_base.h"

WSPPROC_TABLE faulty_base;
static HMODULE base_module;

/* wspbase's cleanup, then its hold let go (wrapped_base.h); the cleanup can
 * fail too, after wspbase's has run, so nothing stays behind. */
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

int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs)
{
    int err = wrapped_base_start((const void *)faulty_cleanup, version, data, info, upcalls, &faulty_base,
                                 &base_module);
    if (err != 0)
        return err;
    faulty_fill_calls(procs);
    faulty_fill_io(procs);
    procs->lpWSPCleanup = faulty_cleanup;
    return 0;
}

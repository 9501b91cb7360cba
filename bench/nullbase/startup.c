/* nullbase: WSPStartup, WSPCleanup and the catalog entry it serves. */
#include "nullbase.h"

#include <string.h>

#include "wsversion.h"

static SRWLOCK nullbase_lock = SRWLOCK_INIT;
static WSAPROTOCOL_INFOW nullbase_info;
static WSPUPCALLTABLE nullbase_upcall_table;

static const WCHAR nullbase_description[] = L"nullbase: calls that return at once (benchmarks only)";
_Static_assert(sizeof nullbase_description <= sizeof(((WSPDATA *)0)->szDescription), "description fits");

const WSAPROTOCOL_INFOW *nullbase_entry(void) { return &nullbase_info; }

const WSPUPCALLTABLE *nullbase_upcalls(void) { return &nullbase_upcall_table; }

int nullbase_error(int error, LPINT lpErrno)
{
    *lpErrno = error;
    return SOCKET_ERROR;
}

static int WSPAPI nullbase_cleanup(LPINT lpErrno)
{
    (void)lpErrno; /* nothing was started that needs stopping */
    return 0;
}

static int WSPAPI nullbase_cancel_blocking_call(LPINT lpErrno)
{
    /* Winsock 2.2 has no blocking hooks to cancel. */
    return nullbase_error(WSAEOPNOTSUPP, lpErrno);
}

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                      WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    if (lpWSPData == NULL || lpProcTable == NULL || lpProtocolInfo == NULL)
        return WSAEFAULT;
    lpWSPData->wHighVersion = WSVERSION(2, 2);
    memcpy(lpWSPData->szDescription, nullbase_description, sizeof nullbase_description);
    if (!wsversion_negotiate(wVersionRequested, WSVERSION(2, 0), WSVERSION(2, 2), &lpWSPData->wVersion))
        return WSAVERNOTSUPPORTED;
    if (lpProtocolInfo->ProtocolChain.ChainLen != BASE_PROTOCOL)
        return WSAEPROVIDERFAILEDINIT;
    /* The host starts an entry once; every start names the same one. */
    AcquireSRWLockExclusive(&nullbase_lock);
    nullbase_info = *lpProtocolInfo;
    nullbase_upcall_table = UpcallTable; /* for the async-select messages */
    ReleaseSRWLockExclusive(&nullbase_lock);
    memset(lpProcTable, 0, sizeof *lpProcTable);
    nullbase_fill_socket_procs(lpProcTable);
    nullbase_fill_data_procs(lpProcTable);
    nullbase_fill_option_procs(lpProcTable);
    nullbase_fill_notify_procs(lpProcTable);
    lpProcTable->lpWSPCleanup = nullbase_cleanup;
    lpProcTable->lpWSPCancelBlockingCall = nullbase_cancel_blocking_call;
    return 0;
}

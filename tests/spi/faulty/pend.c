/* Pend then fail: the request reads pending when the call returns and fails
 * later, as a base provider's does when the connection breaks while it
 * waits. It completes the way Wine completes a socket request that pended:
 * the status in Internal, the event set, and a packet to the port the
 * socket is bound to unless the event's low bit says not to. So wspbase's
 * WSPGetOverlappedResult reads it as it reads any of its own, and a layer
 * above that waits on a port gets exactly one packet, whether or not it set
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: the layer above sees no difference.
 *
 * No API posts such a packet for a request the caller completes itself:
 * Wine's own completion ioctl (IOCTL_AFD_WINE_COMPLETE_ASYNC) posts as for a
 * request done at once, which a socket that skips the port on success
 * suppresses. So the packet goes through the wineserver request wsphost
 * sends for its own handles (src/host/wine_completion.c), as for a request
 * that pended (server/async.c, async_set_result, posts it whatever the
 * skip flag says): Wine 8.0 only, whose request number is known. */
#include "faulty.h"

#include <stdlib.h>

#include "ntstatus.h"
#include "wine_completion.h"

/* Long enough that the call has returned and the layer above waits. */
#define FAULTY_PEND_MS 20

typedef struct pend_job {
    SOCKET s;
    LPWSAOVERLAPPED overlapped;
    int error;
} pend_job;

/* As the wineserver ends a request that pended (server/async.c,
 * async_set_result): the status block, the event, and a packet to the
 * socket's port unless the event's low bit says not to (the socket's
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS does not stop it: the request
 * pended). The server does the last two in one request; here the event
 * comes first, so whoever takes the packet finds the event set too. */
static void pend_finish(const pend_job *job)
{
    LPWSAOVERLAPPED ov = job->overlapped;
    LONG status = (LONG)ntstatus_from_wsa_error((uint32_t)job->error);
    ov->InternalHigh = 0;
    ov->Internal = (ULONG_PTR)(ULONG)status;
    HANDLE event = (HANDLE)((uintptr_t)ov->hEvent & ~(uintptr_t)1);
    if (event != NULL)
        SetEvent(event);
    if (!((uintptr_t)ov->hEvent & 1))
        wine_completion_post((HANDLE)job->s, ov, (uint32_t)status, 0);
}

static void CALLBACK pend_complete(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_TIMER timer)
{
    pend_job *job = context;
    CloseThreadpoolTimer(timer);
    pend_finish(job);
    free(job);
    /* The timer held the module; the DLL may be unloaded once it returns. */
    HMODULE self = NULL;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCWSTR)(void *)pend_complete, &self);
    FreeLibraryWhenCallbackReturns(instance, self);
}

int faulty_pend_fail(SOCKET s, LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, int error,
                     LPINT lpErrno)
{
    *lpErrno = error;
    if (overlapped == NULL || routine != NULL || !wine_completion_known())
        return SOCKET_ERROR;
    pend_job *job = malloc(sizeof *job);
    HMODULE hold = NULL;
    if (job == NULL)
        return SOCKET_ERROR;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)(void *)pend_complete, &hold)) {
        free(job);
        return SOCKET_ERROR;
    }
    PTP_TIMER timer = CreateThreadpoolTimer(pend_complete, job, NULL);
    if (timer == NULL) {
        FreeLibrary(hold);
        free(job);
        return SOCKET_ERROR;
    }
    *job = (pend_job){.s = s, .overlapped = overlapped, .error = error};
    overlapped->InternalHigh = 0;
    overlapped->Internal = NTSTATUS_PENDING;
    FILETIME due;
    ULARGE_INTEGER relative = {.QuadPart = (ULONGLONG)(-(LONGLONG)FAULTY_PEND_MS * 10000)};
    due.dwLowDateTime = relative.LowPart;
    due.dwHighDateTime = relative.HighPart;
    SetThreadpoolTimer(timer, &due, 0, 0);
    *lpErrno = WSA_IO_PENDING;
    return SOCKET_ERROR;
}

/* Pend then fail: the request reads pending when the call returns and fails
 * later, as a base provider's does when the connection breaks while it
 * waits. It completes the way wspbase's own requests complete (the status
 * in Internal, then the event), so wspbase's WSPGetOverlappedResult reads
 * it as it reads any of its own: the layer above sees no difference. */
#include "faulty.h"

#include <stdlib.h>

#include "ntstatus.h"

/* Long enough that the call has returned and the layer above waits. */
#define FAULTY_PEND_MS 20

typedef struct pend_job {
    LPWSAOVERLAPPED overlapped;
    int error;
} pend_job;

static void CALLBACK pend_complete(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_TIMER timer)
{
    pend_job *job = context;
    CloseThreadpoolTimer(timer);
    job->overlapped->InternalHigh = 0;
    job->overlapped->Internal = ntstatus_from_wsa_error((uint32_t)job->error);
    HANDLE event = (HANDLE)((uintptr_t)job->overlapped->hEvent & ~(uintptr_t)1);
    SetEvent(event);
    free(job);
    /* The timer held the module; the DLL may be unloaded once it returns. */
    HMODULE self = NULL;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCWSTR)(void *)pend_complete, &self);
    FreeLibraryWhenCallbackReturns(instance, self);
}

int faulty_pend_fail(LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, int error, LPINT lpErrno)
{
    *lpErrno = error;
    if (overlapped == NULL || routine != NULL || overlapped->hEvent == NULL)
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
    *job = (pend_job){.overlapped = overlapped, .error = error};
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

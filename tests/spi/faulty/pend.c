/* Pend then fail: the request reads pending when the call returns and fails
 * later, as a base provider's does when the connection breaks while it
 * waits. It completes the way wspbase's own requests complete, through
 * Wine's own completion of a socket request (the ioctl Wine's ws2_32
 * completes a request with): the status in Internal, the event set, and a
 * packet to the port the socket is bound to unless the event's low bit
 * says not to. So wspbase's WSPGetOverlappedResult reads it as it reads
 * any of its own, and a layer above that waits on a port gets its packet:
 * the layer above sees no difference. Wine-only, as wspbase is. */
#include "faulty.h"

#include <stdlib.h>

#include "ntstatus.h"

/* Long enough that the call has returned and the layer above waits. */
#define FAULTY_PEND_MS 20

typedef struct pend_job {
    SOCKET s;
    LPWSAOVERLAPPED overlapped;
    int error;
} pend_job;

/* Wine's include/wine/afd.h: CTL_CODE(FILE_DEVICE_NETWORK, 210, METHOD_BUFFERED, FILE_ANY_ACCESS). */
#define FAULTY_IOCTL_AFD_WINE_COMPLETE_ASYNC CTL_CODE(FILE_DEVICE_NETWORK, 210, METHOD_BUFFERED, FILE_ANY_ACCESS)

typedef LONG(NTAPI *nt_device_io_control_file)(HANDLE, HANDLE, PVOID, PVOID, PVOID, ULONG, PVOID, ULONG, PVOID, ULONG);

static void pend_finish(const pend_job *job)
{
    LPWSAOVERLAPPED ov = job->overlapped;
    LONG status = (LONG)ntstatus_from_wsa_error((uint32_t)job->error);
    static nt_device_io_control_file ioctl;
    if (ioctl == NULL)
        ioctl = (nt_device_io_control_file)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtDeviceIoControlFile");
    void *port_value = ((uintptr_t)ov->hEvent & 1) ? NULL : ov;
    if (ioctl != NULL &&
        ioctl((HANDLE)job->s, ov->hEvent, NULL, port_value, ov, FAULTY_IOCTL_AFD_WINE_COMPLETE_ASYNC, &status,
              sizeof status, NULL, 0) == status)
        return;
    /* Not a Wine socket: the status, then the event. */
    ov->InternalHigh = 0;
    ov->Internal = (ULONG_PTR)(ULONG)status;
    HANDLE event = (HANDLE)((uintptr_t)ov->hEvent & ~(uintptr_t)1);
    if (event != NULL)
        SetEvent(event);
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
    if (overlapped == NULL || routine != NULL)
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

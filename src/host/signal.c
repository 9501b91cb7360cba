/* A socket handle's signalled state, as the system keeps a file's: a program
 * may wait on the socket handle itself for an overlapped request that has no
 * event (WaitForSingleObject, or GetOverlappedResult with bWait and a null
 * hEvent waits on the handle). Wine keeps that state per file: a request
 * that starts pending clears it, one with no event sets it when it completes.
 *
 * wsphost's handles for non-IFS providers are pipes (completion.c), always
 * signalled on their own. So a request starting through wsphost queues a
 * listen of wsphost's own on the pipe — nobody can connect to it, so it
 * stays pending, and the file reads unsignalled — and a completion with no
 * event cancels it, which sets the file signalled (the listen has no event,
 * no routine and no packet for a port). Only requests that pass through
 * wsphost clear it: an extension function a provider hands out is called
 * directly. */
#include "signal.h"

#include <winternl.h>

#include <stdbool.h>
#include <stdlib.h>

/* ntifs.h's, which mingw's winternl.h lacks. */
#define HOST_FSCTL_PIPE_LISTEN 0x00110008
typedef NTSTATUS(WINAPI *nt_cancel_io_file_ex_fn)(HANDLE, PIO_STATUS_BLOCK, PIO_STATUS_BLOCK);
typedef NTSTATUS(WINAPI *nt_fs_control_file_fn)(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK, ULONG, PVOID,
                                                 ULONG, PVOID, ULONG);

/* ntdll's, looked up once (wsphost does not link ntdll). */
static nt_fs_control_file_fn fs_control;
static nt_cancel_io_file_ex_fn cancel_io;
static INIT_ONCE ntdll_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK ntdll_find(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    fs_control = (nt_fs_control_file_fn)(void (*)(void))GetProcAddress(ntdll, "NtFsControlFile");
    cancel_io = (nt_cancel_io_file_ex_fn)(void (*)(void))GetProcAddress(ntdll, "NtCancelIoFileEx");
    return TRUE;
}

struct host_signal {
    SRWLOCK lock;       /* a start and a completion do not interleave */
    bool listening;     /* our listen is pending on the handle */
    IO_STATUS_BLOCK io; /* the listen's: written whenever it ends, so never freed */
    host_signal *next;  /* in the free list */
};

/* Retired states, for new handles: their status blocks may still be written
 * by a listen ending late, so their memory stays ours. */
static SRWLOCK free_lock = SRWLOCK_INIT;
static host_signal *free_list;

host_signal *signal_new(void)
{
    InitOnceExecuteOnce(&ntdll_once, ntdll_find, NULL, NULL);
    if (fs_control == NULL || cancel_io == NULL)
        return NULL;
    AcquireSRWLockExclusive(&free_lock);
    host_signal *s = free_list;
    if (s != NULL)
        free_list = s->next;
    ReleaseSRWLockExclusive(&free_lock);
    if (s == NULL && (s = malloc(sizeof *s)) == NULL)
        return NULL;
    InitializeSRWLock(&s->lock);
    s->listening = false;
    s->next = NULL;
    return s;
}

void signal_clear(host_signal *signal, HANDLE handle)
{
    AcquireSRWLockExclusive(&signal->lock);
    if (!signal->listening) {
        NTSTATUS st = fs_control(handle, NULL, NULL, NULL, &signal->io, HOST_FSCTL_PIPE_LISTEN, NULL, 0, NULL, 0);
        signal->listening = st == STATUS_PENDING;
    }
    ReleaseSRWLockExclusive(&signal->lock);
}

void signal_set(host_signal *signal, HANDLE handle)
{
    AcquireSRWLockExclusive(&signal->lock);
    if (signal->listening) {
        IO_STATUS_BLOCK io;
        cancel_io(handle, &signal->io, &io);
        signal->listening = false;
    }
    ReleaseSRWLockExclusive(&signal->lock);
}

void signal_retire(host_signal *signal)
{
    AcquireSRWLockExclusive(&free_lock);
    signal->next = free_list;
    free_list = signal;
    ReleaseSRWLockExclusive(&free_lock);
}

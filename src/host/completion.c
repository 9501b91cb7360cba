/* Socket handles for non-IFS providers that a program can associate with
 * its own completion port, and the completion of requests on them.
 *
 * On Windows, ws2_32 makes a non-IFS provider's socket handle a file of
 * its helper driver (ws2ifsl), and WPUCompleteOverlappedRequest completes an
 * I/O request on that file: the I/O manager writes the status block, sets
 * the event and queues a packet to the port the program associated with the
 * file. Under Wine there is no such driver, so wsphost does the same in two
 * steps of its own (docs/host.md, "Completion ports"):
 *
 *  - the socket handle is the server end of an unnamed pipe nobody can
 *    connect to, opened for overlapped I/O: a file object of the wineserver
 *    with no Unix file behind it, which CreateIoCompletionPort and
 *    SetFileCompletionNotificationModes accept (wineserver's
 *    set_completion_info and set_fd_completion_mode take any file object
 *    not opened for synchronous I/O), and which reads as FILE_TYPE_PIPE, as
 *    a Windows socket does;
 *  - a completion sends the wineserver request add_fd_completion for the
 *    handle: the server queues the packet to the port and key the program
 *    associated, or does nothing when there is none. It is what Wine's own
 *    NtReadFile/NtWriteFile send for a request that finished at once
 *    (dlls/ntdll/unix/file.c, add_completion).
 *
 * add_fd_completion is not an API (wine_completion.c): it is used only
 * under the one Wine version whose request number we know, and only after
 * a probe packet went through it to a port of our own; otherwise the
 * handles are events, as before, and no port can be associated with them. */
#include "completion.h"

#include <windows.h>
#include <winternl.h>

#include <stdint.h>

#include "ntstatus.h"
#include "wine_completion.h"

/* ntdll's NtCreateNamedPipeFile, which mingw's import library lacks. */
typedef NTSTATUS(WINAPI *nt_create_named_pipe_file_fn)(PHANDLE, ULONG, POBJECT_ATTRIBUTES, PIO_STATUS_BLOCK, ULONG,
                                                        ULONG, ULONG, ULONG, ULONG, ULONG, ULONG, ULONG, ULONG,
                                                        PLARGE_INTEGER);

/* NtCreateNamedPipeFile's pipe modes (ntifs.h; Wine's winternl.h), which
 * mingw's winternl.h lacks: a byte pipe whose reads queue. */
#define HOST_FILE_PIPE_BYTE_STREAM_TYPE 0 /* FILE_PIPE_BYTE_STREAM_TYPE */
#define HOST_FILE_PIPE_BYTE_STREAM_MODE 0 /* FILE_PIPE_BYTE_STREAM_MODE */
#define HOST_FILE_PIPE_QUEUE_OPERATION 0  /* FILE_PIPE_QUEUE_OPERATION */

static INIT_ONCE completion_once = INIT_ONCE_STATIC_INIT;
static bool completion_available;
static nt_create_named_pipe_file_fn create_named_pipe;
static HANDLE pipe_root; /* \\.\pipe\, the directory the unnamed pipes are made in; kept for the process */

/* The server end of a new unnamed pipe, for overlapped I/O. An empty name
 * under the pipe directory makes a pipe nobody can open by name; with no
 * FILE_SYNCHRONOUS_IO_* option it is an overlapped file object that a port
 * can be associated with. */
static HANDLE unnamed_pipe(void)
{
    UNICODE_STRING empty = {0, 0, NULL};
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &empty, 0, pipe_root, NULL);
    IO_STATUS_BLOCK io;
    /* Required (Wine reads it); kernelbase's CreatePipe passes
     * NMPWAIT_USE_DEFAULT_WAIT (0) too. Nobody can wait for this pipe. */
    LARGE_INTEGER timeout = {.QuadPart = 0};
    HANDLE h = NULL;
    NTSTATUS st = create_named_pipe(&h, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &attributes, &io,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE, 0 /* overlapped */,
                                    HOST_FILE_PIPE_BYTE_STREAM_TYPE, HOST_FILE_PIPE_BYTE_STREAM_MODE,
                                    HOST_FILE_PIPE_QUEUE_OPERATION, 1 /* one instance */, 0, 0, &timeout);
    return st == 0 ? h : NULL;
}

/* Sends one packet through the mechanism to a port of our own and checks
 * that it arrives whole: the request number and layout match the running
 * wineserver, and ntdll passes the request on. */
static bool probe(void)
{
    HANDLE h = unnamed_pipe();
    if (h == NULL)
        return false;
    bool ok = false;
    enum { PROBE_KEY = 0x5157, PROBE_BYTES = 77 }; /* any values: they come back */
    HANDLE port = CreateIoCompletionPort(h, NULL, PROBE_KEY, 1);
    if (port != NULL) {
        OVERLAPPED marker;
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED got = NULL;
        /* An error status, so the probe also checks it reaches the
         * program as GetQueuedCompletionStatus's error. */
        uint32_t cancelled = ntstatus_from_wsa_error(WSA_OPERATION_ABORTED);
        if (wine_completion_post(h, &marker, cancelled, PROBE_BYTES) == 0 &&
            !GetQueuedCompletionStatus(port, &bytes, &key, &got, 0) && GetLastError() == ERROR_OPERATION_ABORTED &&
            key == PROBE_KEY && got == &marker && bytes == PROBE_BYTES)
            ok = true;
        CloseHandle(port);
    }
    CloseHandle(h);
    return ok;
}

static BOOL CALLBACK completion_init(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    /* For tests of the fallback: the handles of any other platform. */
    char off[2];
    DWORD n = GetEnvironmentVariableA("WSPHOST_NO_COMPLETION_PORTS", off, sizeof off);
    if (n > 0 && !(n == 1 && off[0] == '0'))
        return TRUE;
    create_named_pipe = (nt_create_named_pipe_file_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                                                      "NtCreateNamedPipeFile");
    /* Not Wine, or a Wine whose request numbers we do not know: never send
     * the request there, not even as a probe. */
    if (!wine_completion_known() || create_named_pipe == NULL)
        return TRUE;
    pipe_root = CreateFileW(L"\\\\.\\pipe\\", GENERIC_READ | SYNCHRONIZE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                            OPEN_EXISTING, 0, NULL);
    if (pipe_root == INVALID_HANDLE_VALUE) {
        pipe_root = NULL;
        return TRUE;
    }
    completion_available = probe();
    if (!completion_available) {
        CloseHandle(pipe_root);
        pipe_root = NULL;
    }
    return TRUE;
}

bool host_completion_ports(void)
{
    InitOnceExecuteOnce(&completion_once, completion_init, NULL, NULL);
    return completion_available;
}

HANDLE host_completion_handle_open(void)
{
    if (host_completion_ports())
        return unnamed_pipe();
    /* A real kernel handle all the same: unique in the process, never equal
     * to a base provider's socket. */
    return CreateEventW(NULL, TRUE, FALSE, NULL);
}

int host_completion_complete(HANDLE handle, LPWSAOVERLAPPED overlapped, DWORD error, DWORD bytes)
{
    /* A provider that knows the request's exact status (its own lower
     * request's) may leave it in Internal: it is kept when it says the
     * error given, since several statuses say one error (WSAEFAULT is
     * STATUS_ACCESS_VIOLATION and STATUS_BUFFER_TOO_SMALL). */
    uint32_t status = ntstatus_from_wsa_error(error), given = (uint32_t)overlapped->Internal, said = 0;
    if (error != 0 && given != NTSTATUS_PENDING && ntstatus_to_wsa_error(given, &said) && said == error)
        status = given;
    HANDLE event = overlapped->hEvent;
    /* The result as ws2_32 leaves it for GetOverlappedResult and
     * WSAGetOverlappedResult, the byte count first: WPUCompleteOverlappedRequest
     * promises InternalHigh is set by the time Internal is, and readers look
     * at Internal. Both are written before the event is set and the packet
     * exists, so whoever the completion wakes reads the final values (the
     * barriers keep the compiler and the processor to that order). */
    ((volatile WSAOVERLAPPED *)overlapped)->InternalHigh = bytes;
    MemoryBarrier();
    ((volatile WSAOVERLAPPED *)overlapped)->Internal = status;
    MemoryBarrier();
    /* From here on the request belongs to the program: overlapped is not
     * touched again. The low bit of hEvent only asks for no packet. */
    HANDLE wake = (HANDLE)((uintptr_t)event & ~(uintptr_t)1);
    if (wake != NULL && !SetEvent(wake))
        return WSA_INVALID_HANDLE;
    if (!host_completion_ports() || ((uintptr_t)event & 1) != 0)
        return 0;
    /* The server queues the packet to the program's port with its key, or
     * does nothing when no port is associated. It fails only for a handle
     * that is not one of ours any more. */
    /* Sent as for pending I/O, which the server posts even when the program
     * set FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: the host cannot tell a
     * request the provider finished at once from one that was pending.
     * Windows documents that flag as not for non-IFS providers' sockets
     * (docs/host.md). */
    return wine_completion_post(handle, overlapped, status, bytes) == 0 ? 0 : WSAEINVAL;
}

/* NtSetInformationFile's FileCompletionInformation (ntifs.h), which mingw's
 * winternl.h lacks. */
#define HOST_FILE_COMPLETION_INFORMATION 30
typedef struct {
    HANDLE port;
    ULONG_PTR key;
} host_file_completion_information;

typedef NTSTATUS(WINAPI *nt_set_information_file_fn)(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG, ULONG);

bool host_completion_bound(HANDLE handle)
{
    if (!host_completion_ports())
        return false;
    /* Associating a file that has a port already is refused with
     * STATUS_INVALID_PARAMETER; asking with no port at all, of a file that
     * has none, is refused with STATUS_INVALID_HANDLE and changes nothing
     * (Wine's set_completion_info looks the port up before it keeps it). */
    static nt_set_information_file_fn set_information;
    if (set_information == NULL)
        set_information = (nt_set_information_file_fn)(void (*)(void))GetProcAddress(
            GetModuleHandleW(L"ntdll.dll"), "NtSetInformationFile");
    if (set_information == NULL)
        return false;
    host_file_completion_information none = {NULL, 0};
    IO_STATUS_BLOCK io;
    return set_information(handle, &io, &none, sizeof none, HOST_FILE_COMPLETION_INFORMATION) ==
           (NTSTATUS)0xC000000D; /* STATUS_INVALID_PARAMETER */
}

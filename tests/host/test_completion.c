/* Completion ports on the handles WPUCreateSocketHandle makes: a program's
 * own CreateIoCompletionPort on them, and WPUCompleteOverlappedRequest
 * posting exactly one packet (key, OVERLAPPED, byte count, error) to the
 * port, as ws2_32 does for a non-IFS provider on Windows.
 * Run with the argument "fallback", the same program checks the handles of
 * a platform where wsphost cannot post (WSPHOST_NO_COMPLETION_PORTS): events,
 * which no port can be associated with, completed by their event alone. */
#include "host_test.h"

#include "unit.h"

#include <string.h>

void WSPAPI wsphost_get_upcall_table(WSPUPCALLTABLE *table);

static WSPUPCALLTABLE up;
enum { BASE_TCP = 1001 }; /* the first entry of a fresh catalog */
static const ULONG_PTR KEY = 0xc0ffee;

static int start(void **state)
{
    wsphost_get_upcall_table(&up);
    return host_test_start(state);
}

static SOCKET new_handle(void)
{
    int err = 0;
    SOCKET h = up.lpWPUCreateSocketHandle(BASE_TCP, 0x77, &err);
    assert_true(h != INVALID_SOCKET);
    return h;
}

static void close_handle(SOCKET h)
{
    int err = 0;
    assert_int_equal(up.lpWPUCloseSocketHandle(h, &err), 0);
}

/* The next packet, with no wait: its result, error, bytes, key, OVERLAPPED. */
typedef struct {
    BOOL ok;
    DWORD error, bytes;
    ULONG_PTR key;
    LPOVERLAPPED ov;
} packet;

static packet dequeue(HANDLE port)
{
    packet p = {.bytes = 0xdeadbeef, .key = 0xdeadbeef, .ov = (LPOVERLAPPED)0xdeadbeef};
    SetLastError(0xdeadbeef);
    p.ok = GetQueuedCompletionStatus(port, &p.bytes, &p.key, &p.ov, 0);
    p.error = p.ok ? 0 : GetLastError();
    return p;
}

static void assert_no_packet(HANDLE port)
{
    packet p = dequeue(port);
    assert_false(p.ok);
    assert_int_equal(p.error, WAIT_TIMEOUT);
    assert_null(p.ov);
}

static void a_program_associates_its_port(void **state)
{
    (void)state;
    SOCKET h = new_handle();
    HANDLE port = CreateIoCompletionPort((HANDLE)h, NULL, KEY, 0);
    assert_non_null(port);
    /* A handle is associated once, as on Windows. */
    HANDLE again = CreateIoCompletionPort((HANDLE)h, port, KEY + 1, 0);
    assert_null(again);
    assert_int_equal(GetLastError(), ERROR_INVALID_PARAMETER);
    /* A pipe, as a socket handle reads on Windows. */
    assert_int_equal(GetFileType((HANDLE)h), FILE_TYPE_PIPE);
    close_handle(h);
    CloseHandle(port);
}

static void one_packet_per_completion(void **state)
{
    (void)state;
    SOCKET h = new_handle();
    HANDLE port = CreateIoCompletionPort((HANDLE)h, NULL, KEY, 0);
    assert_non_null(port);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    ov.Internal = 0x103; /* STATUS_PENDING, as the provider left it */
    int err = 0;
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov, 0, 1234, &err), 0);
    packet p = dequeue(port);
    assert_true(p.ok);
    assert_int_equal(p.bytes, 1234);
    assert_int_equal(p.key, KEY);
    assert_ptr_equal(p.ov, &ov);
    assert_int_equal(ov.Internal, 0);
    assert_int_equal(ov.InternalHigh, 1234);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0); /* and the event */
    assert_no_packet(port); /* exactly one */
    /* A zero-byte success is a packet too. */
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov, 0, 0, &err), 0);
    p = dequeue(port);
    assert_true(p.ok);
    assert_int_equal(p.bytes, 0);
    assert_ptr_equal(p.ov, &ov);
    assert_no_packet(port);
    WSACloseEvent(ov.hEvent);
    close_handle(h);
    CloseHandle(port);
}

/* GetQueuedCompletionStatus fails with the Win32 error of the NTSTATUS
 * WPUCompleteOverlappedRequest stored, as for ws2_32's own sockets. */
static void errors_reach_the_port_as_win32_errors(void **state)
{
    (void)state;
    static const struct {
        DWORD wsa, status, win32;
    } cases[] = {
        {WSAECONNRESET, 0xc000020d, ERROR_NETNAME_DELETED},              /* 64 */
        {WSA_OPERATION_ABORTED, 0xc0000120, ERROR_OPERATION_ABORTED},    /* 995 */
        {WSAECONNABORTED, 0xc0000241, ERROR_CONNECTION_ABORTED},         /* 1236 */
        {WSAETIMEDOUT, 0xc00000b5, ERROR_SEM_TIMEOUT},                   /* 121 */
        {WSAECONNREFUSED, 0xc0000236, ERROR_CONNECTION_REFUSED},         /* 1225 */
        {WSAEMSGSIZE, 0x80000005, ERROR_MORE_DATA},                      /* 234: a warning status */
    };
    SOCKET h = new_handle();
    HANDLE port = CreateIoCompletionPort((HANDLE)h, NULL, KEY, 0);
    assert_non_null(port);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        WSAOVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        int err = 0;
        assert_int_equal(WPUCompleteOverlappedRequest(h, &ov, cases[i].wsa, 17, &err), 0);
        packet p = dequeue(port);
        assert_false(p.ok);
        assert_int_equal(p.error, cases[i].win32);
        assert_int_equal(p.bytes, 17);
        assert_int_equal(p.key, KEY);
        assert_ptr_equal(p.ov, &ov);
        assert_int_equal(ov.Internal, cases[i].status);
        assert_no_packet(port);
    }
    close_handle(h);
    CloseHandle(port);
}

/* GetQueuedCompletionStatusEx hands the NTSTATUS itself, in order. */
static void several_packets_in_order(void **state)
{
    (void)state;
    SOCKET h = new_handle();
    HANDLE port = CreateIoCompletionPort((HANDLE)h, NULL, KEY, 0);
    assert_non_null(port);
    WSAOVERLAPPED ov[3];
    memset(ov, 0, sizeof ov);
    int err = 0;
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov[0], 0, 100, &err), 0);
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov[1], WSAECONNRESET, 0, &err), 0);
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov[2], 0, 300, &err), 0);
    OVERLAPPED_ENTRY e[8];
    ULONG got = 0;
    assert_true(GetQueuedCompletionStatusEx(port, e, 8, &got, 0, FALSE));
    assert_int_equal(got, 3);
    for (int i = 0; i < 3; i++) {
        assert_ptr_equal(e[i].lpOverlapped, &ov[i]);
        assert_int_equal(e[i].lpCompletionKey, KEY);
    }
    assert_int_equal(e[0].dwNumberOfBytesTransferred, 100);
    assert_int_equal((DWORD)e[1].Internal, 0xc000020d);
    assert_int_equal(e[2].dwNumberOfBytesTransferred, 300);
    close_handle(h);
    CloseHandle(port);
}

static void low_bit_of_the_event_means_no_packet(void **state)
{
    (void)state;
    SOCKET h = new_handle();
    HANDLE port = CreateIoCompletionPort((HANDLE)h, NULL, KEY, 0);
    assert_non_null(port);
    WSAEVENT event = WSACreateEvent();
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = (HANDLE)((uintptr_t)event | 1);
    int err = 0;
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov, 0, 5, &err), 0);
    assert_int_equal(WaitForSingleObject(event, 0), WAIT_OBJECT_0);
    assert_int_equal(ov.InternalHigh, 5);
    assert_int_equal(ov.Internal, 0);
    assert_no_packet(port);
    WSACloseEvent(event);
    close_handle(h);
    CloseHandle(port);
}

static void no_port_no_packet(void **state)
{
    (void)state;
    SOCKET h = new_handle();
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    int err = 0;
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov, WSAECONNRESET, 9, &err), 0);
    assert_int_equal(ov.InternalHigh, 9);
    assert_int_equal(ov.Internal, 0xc000020d);
    /* Nothing was kept for a port associated later. */
    HANDLE port = CreateIoCompletionPort((HANDLE)h, NULL, KEY, 0);
    assert_non_null(port);
    assert_no_packet(port);
    close_handle(h);
    CloseHandle(port);
}

/* The handles this process holds, counted by the system (Wine 8.0's
 * GetProcessHandleCount answers 0). SystemHandleInformation (16) lists
 * every process's handles as {pid, type, flags, value, object, access}. */
typedef struct {
    ULONG pid;
    BYTE type, flags;
    USHORT value;
    void *object;
    ULONG access;
} handle_entry;

static ULONG handles_held(void)
{
    typedef LONG(WINAPI * query_fn)(int, void *, ULONG, ULONG *);
    query_fn query = (query_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                              "NtQuerySystemInformation");
    assert_non_null(query);
    static BYTE buffer[1 << 22];
    ULONG len = 0;
    assert_int_equal(query(16 /* SystemHandleInformation */, buffer, sizeof buffer, &len), 0);
    ULONG count = *(ULONG *)buffer, mine = 0;
    const handle_entry *e = (const handle_entry *)(buffer + sizeof(ULONG_PTR));
    for (ULONG i = 0; i < count; i++)
        mine += e[i].pid == GetCurrentProcessId();
    return mine;
}

static void close_frees_everything(void **state)
{
    (void)state;
    /* One round first, so that whatever is made once per process exists. */
    for (int round = 0; round < 2; round++) {
        ULONG before = handles_held();
        for (int i = 0; i < 2000; i++) {
            SOCKET h = new_handle();
            HANDLE port = CreateIoCompletionPort((HANDLE)h, NULL, KEY, 0);
            assert_non_null(port);
            WSAOVERLAPPED ov;
            memset(&ov, 0, sizeof ov);
            int err = 0;
            assert_int_equal(WPUCompleteOverlappedRequest(h, &ov, 0, 1, &err), 0);
            /* Half of them closed with the packet still queued. */
            if (i % 2 == 0)
                assert_true(dequeue(port).ok);
            close_handle(h);
            CloseHandle(port);
        }
        if (round == 1)
            assert_int_equal(handles_held(), before);
    }
}

/* After WPUCloseSocketHandle the handle is no socket of the host's. */
static void completion_after_close_is_refused(void **state)
{
    (void)state;
    SOCKET h = new_handle();
    close_handle(h);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    int err = 0;
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov, 0, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
}

/* The handle carries no data: a program's ReadFile on it fails at once (a
 * pipe nobody connected to), where Windows' ws2ifsl would pass it to the
 * provider's WSPRecv; and, as a file object, it is always signalled, so a
 * wait on the handle itself (GetOverlappedResult with no event) does not
 * wait for the request. */
static void the_handle_is_no_data_path(void **state)
{
    (void)state;
    SOCKET h = new_handle();
    char b[4];
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    assert_false(ReadFile((HANDLE)h, b, sizeof b, NULL, &ov));
    assert_int_equal(GetLastError(), ERROR_PIPE_LISTENING);
    assert_int_equal(WaitForSingleObject((HANDLE)h, 0), WAIT_OBJECT_0);
    close_handle(h);
}

/* --- where wsphost cannot post: events --- */

static void fallback_handles_are_events(void **state)
{
    (void)state;
    SOCKET h = new_handle();
    SetLastError(0);
    assert_null(CreateIoCompletionPort((HANDLE)h, NULL, KEY, 0));
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    int err = 0;
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov, WSAECONNRESET, 3, &err), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    assert_int_equal(ov.Internal, 0xc000020d);
    assert_int_equal(ov.InternalHigh, 3);
    WSACloseEvent(ov.hEvent);
    close_handle(h);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "fallback") == 0) {
        SetEnvironmentVariableA("WSPHOST_NO_COMPLETION_PORTS", "1");
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(fallback_handles_are_events),
        };
        return cmocka_run_group_tests(tests, start, host_test_stop);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_program_associates_its_port),
        cmocka_unit_test(one_packet_per_completion),
        cmocka_unit_test(errors_reach_the_port_as_win32_errors),
        cmocka_unit_test(several_packets_in_order),
        cmocka_unit_test(low_bit_of_the_event_means_no_packet),
        cmocka_unit_test(no_port_no_packet),
        cmocka_unit_test(close_frees_everything),
        cmocka_unit_test(completion_after_close_is_refused),
        cmocka_unit_test(the_handle_is_no_data_path),
    };
    return cmocka_run_group_tests(tests, start, host_test_stop);
}

/* WSAIoctl with a WSAOVERLAPPED: an ioctl done at once completes when the
 * call returns and is signalled (event, routine); one that waits pends and
 * a close ends it; one refused after it pended has completed (port,
 * routine) when the call returns; a short buffer reports the size needed; an extension function pointer asked for with a
 * WSAOVERLAPPED completes at once with no byte count; an unknown GUID gives
 * WSAEINVAL and touches nothing (Wine's ws2_32, as Wine's own sock.c checks
 * it). */
#include "conformance.h"

#include <mswsock.h>
#include <string.h>

static int routine_calls;
static DWORD routine_error = 12345, routine_bytes = 12345;
static LPWSAOVERLAPPED routine_overlapped;

static void CALLBACK on_done(DWORD error, DWORD bytes, LPWSAOVERLAPPED overlapped, DWORD flags)
{
    (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    routine_overlapped = overlapped;
    routine_calls++;
}

static void ioctl_done_at_once_is_signalled(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s != INVALID_SOCKET);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    u_long one = 1;
    DWORD size = 0xdeadbeef;
    assert_int_equal(WSAIoctl(s, FIONBIO, &one, sizeof one, NULL, 0, &size, &ov, NULL), 0);
    assert_int_equal(size, 0);
    assert_int_equal(ov.Internal, 0);
    assert_int_equal(ov.InternalHigh, 0);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    /* No byte-count pointer, even with a WSAOVERLAPPED: WSAEFAULT. */
    assert_int_equal(WSAIoctl(s, FIONBIO, &one, sizeof one, NULL, 0, NULL, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    /* One with output, done at once: the length goes to the pointer, the
     * routine gets no byte count. */
    u_long readable = 0xdeadbeef;
    routine_calls = 0;
    assert_int_equal(WSAIoctl(s, FIONREAD, NULL, 0, &readable, sizeof readable, &size, &ov, on_done), 0);
    assert_int_equal(size, sizeof readable);
    assert_int_equal(readable, 0);
    assert_int_equal(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(routine_calls, 1);
    assert_int_equal(routine_error, 0);
    assert_int_equal(routine_bytes, 0);
    /* It did what it says: the socket is non-blocking now. */
    char b;
    assert_int_equal(recv(s, &b, 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTCONN);
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

static void extension_pointer_with_an_overlapped(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    GUID accept_ex = WSAID_ACCEPTEX;
    void *fn = NULL;
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    /* No byte count to write: WSAEFAULT. */
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept_ex, sizeof accept_ex, &fn, sizeof fn,
                              NULL, &ov, NULL),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    /* With a routine: done at once, the routine queued with no byte count. */
    DWORD size = 0xdeadbeef;
    routine_calls = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept_ex, sizeof accept_ex, &fn, sizeof fn,
                              &size, &ov, on_done),
                     0);
    assert_int_equal(size, sizeof fn);
    assert_non_null(fn);
    assert_int_equal(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(routine_calls, 1);
    assert_int_equal(routine_error, 0);
    assert_int_equal(routine_bytes, 0);
    assert_ptr_equal(routine_overlapped, &ov);
    /* An unknown GUID: WSAEINVAL, nothing written, nothing signalled. */
    GUID bogus = {0xdeadbeef, 0, 0, {0}};
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    ov.hEvent = WSACreateEvent();
    size = 0xdeadbeef;
    assert_int_equal(
        WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof bogus, &fn, sizeof fn, &size, &ov, NULL),
        SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(size, 0xdeadbeef);
    assert_int_equal(ov.Internal, 0xdeadbeef);
    assert_int_equal(ov.InternalHigh, 0xdeadbeef);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

static void waiting_ioctl_ends_with_the_socket(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    DWORD size = 0;
    /* Waits for a change of the address list: nothing changes here. */
    assert_int_equal(WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &size, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    /* Wine's ws2_32 writes nothing while this one waits. */
    assert_int_equal(ov.Internal, 0xdeadbeef);
    assert_int_equal(ov.InternalHigh, 0xdeadbeef);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 200), WAIT_TIMEOUT);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    assert_int_equal(ov.Internal, 0xc0000120); /* STATUS_CANCELLED */
    assert_int_equal(ov.InternalHigh, 0);
    WSACloseEvent(ov.hEvent);
}

/* An ioctl the base does not know, asked with a WSAOVERLAPPED: Wine's
 * ws2_32 says pending, and has completed the request by the time the call
 * returns, with STATUS_NOT_SUPPORTED, to the port and to the routine, as
 * Windows does (sock.c test_unsupported_ioctls); the event stays unset. */
static void refused_ioctl_completes_before_the_call_returns(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
    assert_non_null(port);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    DWORD size = 0xdeadbeef;
    assert_int_equal(WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, &size, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(size, 0xdeadbeef);
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
    assert_int_equal(GetLastError(), ERROR_NOT_SUPPORTED);
    assert_int_equal(bytes, 0);
    assert_int_equal(key, 123);
    assert_ptr_equal(got, &ov);
    assert_int_equal((DWORD)ov.Internal, 0xc00000bb); /* STATUS_NOT_SUPPORTED */
    assert_int_equal(ov.InternalHigh, 0);
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    CloseHandle(port);
    closesocket(s);

    s = socket(AF_INET, SOCK_STREAM, 0);
    routine_calls = 0;
    assert_int_equal(WSAIoctl(s, 0xdeadbeef, NULL, 0, NULL, 0, &size, &ov, on_done), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(routine_calls, 1);
    assert_int_equal(routine_error, WSAEOPNOTSUPP);
    assert_int_equal(routine_bytes, 0);
    assert_ptr_equal(routine_overlapped, &ov);
    closesocket(s);
}

/* An overlapped ioctl refused at once for a short buffer reports the size
 * it needs, and leaves the WSAOVERLAPPED as it was (sock.c
 * test_address_list_query). */
static void short_buffer_reports_the_size_needed(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    char list[4096];
    DWORD needed = 0;
    assert_int_equal(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, list, sizeof list, &needed, NULL, NULL), 0);
    assert_true(needed > 0);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    DWORD size = 0xdeadbeef;
    assert_int_equal(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, list, 0, &size, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(size, needed);
    assert_int_equal(ov.Internal, 0xdeadbeef);
    assert_int_equal(ov.InternalHigh, 0xdeadbeef);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ioctl_done_at_once_is_signalled),
        cmocka_unit_test(extension_pointer_with_an_overlapped),
        cmocka_unit_test(waiting_ioctl_ends_with_the_socket),
        cmocka_unit_test(refused_ioctl_completes_before_the_call_returns),
        cmocka_unit_test(short_buffer_reports_the_size_needed),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

/* Overlapped WSARecv completing by event and by completion routine, and the
 * status fields of the WSAOVERLAPPED as ws2_32 leaves them. */
#include "conformance.h"

#include <string.h>

static void recv_completes_by_event(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    char buf[16] = {0};
    WSABUF b = {.len = sizeof buf, .buf = buf};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD got = 0, flags = 0;
    assert_int_equal(WSARecv(s, &b, 1, &got, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    conf_send_all(c, "data", 4);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    flags = 99;
    assert_true(WSAGetOverlappedResult(s, &ov, &got, FALSE, &flags));
    assert_int_equal(got, 4);
    assert_int_equal(flags, 0);
    assert_memory_equal(buf, "data", 4);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}

/* Pending: STATUS_PENDING and the size untouched; at once: complete when the
 * call returns; a call that fails at once: the fields as ws2_32 leaves them. */
static void status_fields_as_ws2_32_leaves_them(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    char buf[16] = {0};
    WSABUF b = {.len = sizeof buf, .buf = buf};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    DWORD got = 0, flags = 0;
    assert_int_equal(WSARecv(s, &b, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(ov.Internal, 0x103); /* STATUS_PENDING */
    assert_int_equal(ov.InternalHigh, 0xdeadbeef);
    conf_send_all(c, "data", 4);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    assert_int_equal(ov.Internal, 0);
    assert_int_equal(ov.InternalHigh, 4);
    /* Data waiting: done when the call returns. */
    conf_send_all(c, "more", 4);
    Sleep(100);
    WSAResetEvent(ov.hEvent);
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    assert_int_equal(WSARecv(s, &b, 1, &got, &flags, &ov, NULL), 0);
    assert_int_equal(got, 4);
    assert_int_equal(ov.Internal, 0);
    assert_int_equal(ov.InternalHigh, 4);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    /* A receive with no buffer fails at once, with the fields as Wine's
     * ws2_32 leaves them: STATUS_PENDING, the size untouched. */
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    assert_int_equal(WSARecv(s, NULL, 0, &got, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(ov.Internal, 0x103);
    assert_int_equal(ov.InternalHigh, 0xdeadbeef);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}

static DWORD routine_error = 12345, routine_bytes = 12345;
static int routine_calls;

static void CALLBACK on_recv(DWORD dwError, DWORD cbTransferred, LPWSAOVERLAPPED lpOverlapped, DWORD dwFlags)
{
    (void)lpOverlapped;
    (void)dwFlags;
    routine_error = dwError;
    routine_bytes = cbTransferred;
    routine_calls++;
}

static void recv_completes_by_routine(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET6, &c, &s);
    char buf[16] = {0};
    WSABUF b = {.len = sizeof buf, .buf = buf};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    DWORD got = 0, flags = 0;
    routine_calls = 0;
    assert_int_equal(WSARecv(s, &b, 1, &got, &flags, &ov, on_recv), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    conf_send_all(c, "routine", 7);
    /* The routine runs only when this thread waits alertably. */
    assert_int_equal(routine_calls, 0);
    DWORD waited = 0;
    while (routine_calls == 0 && waited < 5000) {
        SleepEx(100, TRUE);
        waited += 100;
    }
    assert_int_equal(routine_calls, 1);
    assert_int_equal(routine_error, 0);
    assert_int_equal(routine_bytes, 7);
    assert_memory_equal(buf, "routine", 7);
    closesocket(c);
    closesocket(s);
}

/* A request resets the event it is given before it starts, as every I/O
 * call does: an event a previous request left set does not wake a waiter
 * before this one is done (sock.c test_AcceptEx). */
static void a_request_resets_its_event(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    assert_true(SetEvent(ov.hEvent));
    char buf[4];
    WSABUF b = {sizeof buf, buf};
    DWORD got = 0, flags = 0;
    assert_int_equal(WSARecv(s, &b, 1, &got, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 100), WAIT_TIMEOUT);
    conf_send_all(c, "abcd", 4);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(s, &ov, &got, FALSE, &flags));
    assert_int_equal(got, 4);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}

/* An overlapped request with no event: the program waits on the socket
 * handle itself, which reads unsignalled until the request completes
 * (sock.c test_nonblocking_async_recv); GetOverlappedResult with bWait waits
 * on it too. */
static void waiting_on_the_socket_handle(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    char buf[8];
    WSABUF b = {sizeof buf, buf};
    DWORD got = 0, flags = 0;
    assert_int_equal(WSARecv(s, &b, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject((HANDLE)s, 0), WAIT_TIMEOUT);
    conf_send_all(c, "data", 4);
    assert_int_equal(WaitForSingleObject((HANDLE)s, 5000), WAIT_OBJECT_0);
    assert_true(GetOverlappedResult((HANDLE)s, &ov, &got, FALSE));
    assert_int_equal(got, 4);
    /* Again, with GetOverlappedResult doing the wait. */
    memset(&ov, 0, sizeof ov);
    flags = 0;
    assert_int_equal(WSARecv(s, &b, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject((HANDLE)s, 0), WAIT_TIMEOUT);
    conf_send_all(c, "more", 4);
    got = 0;
    assert_true(GetOverlappedResult((HANDLE)s, &ov, &got, TRUE));
    assert_int_equal(got, 4);
    assert_memory_equal(buf, "more", 4);
    closesocket(c);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recv_completes_by_event),
        cmocka_unit_test(status_fields_as_ws2_32_leaves_them),
        cmocka_unit_test(recv_completes_by_routine),
        cmocka_unit_test(a_request_resets_its_event),
        cmocka_unit_test(waiting_on_the_socket_handle),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

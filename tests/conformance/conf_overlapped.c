/* Overlapped WSARecv completing by event and by completion routine. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recv_completes_by_event),
        cmocka_unit_test(recv_completes_by_routine),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

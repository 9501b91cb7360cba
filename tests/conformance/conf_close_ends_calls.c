/* A close on one thread ends the blocking calls other threads make on the
 * same socket, and itself succeeds. The error: WSAEINTR, the error Windows
 * gives for a blocking call that closesocket cancelled, and ShareLSP's,
 * which ends them with a cancellation before its lower close
 * (docs/semantics.md); Wine's ws2_32 alone gives WSAEINVAL for a receive
 * and ERROR_OPERATION_ABORTED for an accept. A close that waited for its
 * calls forever would hang here. */
#include "conformance.h"

typedef struct blocked_call {
    SOCKET s;
    int result;
    int error;
} blocked_call;

static DWORD WINAPI receive_blocked(LPVOID param)
{
    blocked_call *b = param;
    char byte;
    b->result = recv(b->s, &byte, 1, 0);
    b->error = WSAGetLastError();
    return 0;
}

static DWORD WINAPI accept_blocked(LPVOID param)
{
    blocked_call *b = param;
    b->result = (int)accept(b->s, NULL, NULL);
    b->error = WSAGetLastError();
    return 0;
}

/* Starts fn on b, lets it block, closes b->s and waits for fn to return. */
static void close_under(LPTHREAD_START_ROUTINE fn, blocked_call *b)
{
    HANDLE thread = CreateThread(NULL, 0, fn, b, 0, NULL);
    assert_non_null(thread);
    assert_int_equal(WaitForSingleObject(thread, 300), WAIT_TIMEOUT); /* blocked */
    assert_int_equal(closesocket(b->s), 0);
    assert_int_equal(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
}

static void close_ends_a_blocking_receive(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    int expected = conf_through_a_layer(s) || !conf_under_wine() ? WSAEINTR : WSAEINVAL;
    blocked_call b = {.s = s, .result = 1, .error = 0};
    close_under(receive_blocked, &b);
    assert_int_equal(b.result, SOCKET_ERROR);
    assert_int_equal(b.error, expected);
    closesocket(c);
}

static void close_ends_a_blocking_accept(void **state)
{
    (void)state;
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(l != INVALID_SOCKET);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l, 1), 0);
    int expected = conf_through_a_layer(l) || !conf_under_wine() ? WSAEINTR : WSA_OPERATION_ABORTED;
    blocked_call b = {.s = l, .result = 1, .error = 0};
    close_under(accept_blocked, &b);
    assert_int_equal(b.result, SOCKET_ERROR);
    assert_int_equal(b.error, expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(close_ends_a_blocking_receive),
        cmocka_unit_test(close_ends_a_blocking_accept),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

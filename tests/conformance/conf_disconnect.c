/* WSASendDisconnect and WSARecvDisconnect: the socket's provider shuts the
 * connection down one way (TCP carries no disconnect data). */
#include "conformance.h"

static void send_disconnect_ends_the_stream(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    assert_int_equal(WSASendDisconnect(c, NULL), 0);
    char b;
    assert_int_equal(recv(s, &b, 1, 0), 0);
    assert_int_equal(send(c, "x", 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAESHUTDOWN);
    /* The other way still works. */
    conf_send_all(s, "y", 1);
    conf_recv_exact(c, &b, 1);
    assert_int_equal(b, 'y');
    closesocket(c);
    closesocket(s);
}

static void recv_disconnect_ends_receiving(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    assert_int_equal(WSARecvDisconnect(s, NULL), 0);
    char b;
    assert_int_equal(recv(s, &b, 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAESHUTDOWN);
    conf_send_all(s, "y", 1);
    conf_recv_exact(c, &b, 1);
    assert_int_equal(b, 'y');
    closesocket(c);
    closesocket(s);
}

static void disconnect_needs_a_socket(void **state)
{
    (void)state;
    assert_int_equal(WSASendDisconnect(INVALID_SOCKET, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal(WSARecvDisconnect(INVALID_SOCKET, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(send_disconnect_ends_the_stream),
        cmocka_unit_test(recv_disconnect_ends_receiving),
        cmocka_unit_test(disconnect_needs_a_socket),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

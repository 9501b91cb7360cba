/* getsockopt(SO_PROTOCOL_INFOA/W): a short buffer gives WSAEFAULT and says
 * the size it needs; a large enough one is filled and its length left as it
 * was (Wine's ws2_32, as Wine's own sock.c checks it). */
#include "conformance.h"

#include <string.h>

static void short_buffer_reports_the_size(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s != INVALID_SOCKET);
    WSAPROTOCOL_INFOA a[2];
    int size = (int)sizeof a[0] / 2;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)a, &size), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(size, sizeof a[0]);
    size = 5;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, NULL, &size), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(size, sizeof(WSAPROTOCOL_INFOW));
    size = (int)sizeof a;
    memset(a, 0, sizeof a);
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)a, &size), 0);
    assert_int_equal(size, sizeof a);
    assert_int_equal(a[0].iAddressFamily, AF_INET);
    assert_int_equal(a[0].iSocketType, SOCK_STREAM);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_buffer_reports_the_size),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

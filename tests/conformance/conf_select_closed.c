/* select while another thread closes a socket of the set: the call fails
 * with WSAENOTSOCK and the closed socket is not left in the set (Wine's
 * ws2_32, as Wine's own sock.c checks it). */
#include "conformance.h"

static DWORD WINAPI close_later(LPVOID param)
{
    Sleep(200); /* the select is waiting by then */
    closesocket(*(SOCKET *)param);
    return 0;
}

static void socket_closed_during_select(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    HANDLE thread = CreateThread(NULL, 0, close_later, &s, 0, NULL);
    assert_non_null(thread);
    fd_set except;
    FD_ZERO(&except);
    FD_SET(s, &except);
    struct timeval timeout = {5, 0};
    WSASetLastError(0xdeadbeef);
    assert_int_equal(select(0, NULL, NULL, &except, &timeout), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_false(FD_ISSET(s, &except));
    assert_int_equal(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    closesocket(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(socket_closed_during_select),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

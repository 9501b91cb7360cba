/* A layer that does not say it rewrites sends pays no copy: its payload
 * hook is shown the program's own buffers, blocking and overlapped. The
 * probe, built so (probe_observer.dll), writes into them anyway, which a
 * layer must not do: the program's buffer changing shows that no copy came
 * between. */
#include "layer_test.h"

#include <string.h>

static int start(void **state)
{
    (void)state;
    return layer_test_start_provider(L"probe_observer.dll");
}

static void observer_is_shown_the_programs_buffers(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    SetEnvironmentVariableA("PROBE_PAYLOAD", "upper-sent");
    char text[] = "hello";
    assert_int_equal(send(c, text, 5, 0), 5);
    assert_string_equal(text, "HELLO");

    char more[] = "again";
    WSABUF out = {5, more};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD bytes = 0;
    int rc = WSASend(c, &out, 1, &bytes, 0, &ov, NULL);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_int_equal(layer_overlapped_bytes(c, &ov), 5);
    WSACloseEvent(ov.hEvent);
    assert_string_equal(more, "AGAIN");
    SetEnvironmentVariableA("PROBE_PAYLOAD", NULL);
    char buf[16] = {0};
    int got = 0;
    while (got < 10) {
        int n = recv(a, buf + got, (int)sizeof buf - 1 - got, 0);
        assert_true(n > 0);
        got += n;
    }
    assert_string_equal(buf, "HELLOAGAIN");
    closesocket(c);
    closesocket(a);
    layer_log_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(observer_is_shown_the_programs_buffers),
    };
    return cmocka_run_group_tests(tests, start, layer_test_stop);
}

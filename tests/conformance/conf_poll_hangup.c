/* WSAPoll sees what the socket's provider sees: a connection the peer closed
 * reads POLLHUP, reported even when no event was asked for (wsphost asks
 * the provider with SIO_EXT_POLL, as ws2_32 does; WSPSelect has no hang-up). */
#include "conformance.h"

static void poll_reports_a_hangup(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    assert_int_equal(closesocket(c), 0);
    WSAPOLLFD fd = {.fd = s, .events = 0, .revents = 0x7fff};
    assert_int_equal(WSAPoll(&fd, 1, 1000), 1);
    assert_int_equal(fd.revents, POLLHUP);
    fd = (WSAPOLLFD){.fd = s, .events = POLLRDNORM | POLLRDBAND | POLLWRNORM, .revents = 0x7fff};
    assert_int_equal(WSAPoll(&fd, 1, 1000), 1);
    assert_int_equal(fd.revents, POLLWRNORM | POLLHUP);
    assert_int_equal(closesocket(s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(poll_reports_a_hangup),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

/* WSAPoll: writable when connected, readable when data arrives, POLLNVAL
 * for a handle that is not a socket or a socket closed during the call, and
 * its argument checks. */
#include "conformance.h"

static void poll_reports_readiness(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    WSAPOLLFD fds[2] = {{.fd = s, .events = POLLRDNORM}, {.fd = c, .events = POLLWRNORM}};
    assert_int_equal(WSAPoll(fds, 2, 0), 1);
    assert_int_equal(fds[0].revents, 0);
    assert_int_equal(fds[1].revents, POLLWRNORM);
    conf_send_all(c, "x", 1);
    fds[0].revents = fds[1].revents = 0;
    fds[1].events = 0;
    assert_int_equal(WSAPoll(fds, 2, 5000), 1);
    assert_int_equal(fds[0].revents, POLLRDNORM);
    /* Normal data is not out-of-band data. */
    fds[0].events = POLLRDNORM | POLLRDBAND;
    fds[0].revents = 0x7fff;
    assert_int_equal(WSAPoll(fds, 1, 0), 1);
    assert_int_equal(fds[0].revents, POLLRDNORM);
    char b;
    assert_int_equal(recv(s, &b, 1, 0), 1);
    closesocket(c);
    closesocket(s);
}

/* A handle that is not a socket is marked POLLNVAL and not counted; with no
 * socket at all the call fails (WSAENOTSOCK), as on Windows. */
static void poll_marks_a_non_socket(void **state)
{
    (void)state;
    WSAPOLLFD fd = {.fd = (SOCKET)0x7ff0, .events = POLLRDNORM, .revents = 0x7fff};
    WSASetLastError(0xdead);
    assert_int_equal(WSAPoll(&fd, 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal(fd.revents, POLLNVAL);

    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    WSAPOLLFD fds[3] = {{.fd = (SOCKET)0x7ff0, .events = POLLRDNORM, .revents = 0x7fff},
                        {.fd = c, .events = POLLWRNORM, .revents = 0x7fff},
                        {.fd = s, .events = POLLRDNORM, .revents = 0x7fff}};
    WSASetLastError(0xdead);
    assert_int_equal(WSAPoll(fds, 3, 0), 1);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(fds[0].revents, POLLNVAL);
    assert_int_equal(fds[1].revents, POLLWRNORM);
    assert_int_equal(fds[2].revents, 0);
    closesocket(c);
    closesocket(s);
}

static DWORD WINAPI close_later(void *arg)
{
    Sleep(200);
    closesocket(*(SOCKET *)arg);
    return 0;
}

/* A socket closed by another thread while the call waits is POLLNVAL. */
static void poll_marks_a_socket_closed_meanwhile(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    HANDLE thread = CreateThread(NULL, 0, close_later, &c, 0, NULL);
    assert_non_null(thread);
    WSAPOLLFD fd = {.fd = c, .events = POLLRDNORM | POLLRDBAND, .revents = 0x7fff};
    assert_int_equal(WSAPoll(&fd, 1, 5000), 1);
    assert_int_equal(fd.revents, POLLNVAL);
    assert_int_equal(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    closesocket(s);
}

/* No sockets: WSAEINVAL before the array is looked at; no array: WSAEFAULT. */
static void poll_checks_its_arguments(void **state)
{
    (void)state;
    assert_int_equal(WSAPoll(NULL, 0, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(WSAPoll(NULL, 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
}

/* WSAPoll has no FD_SETSIZE: 100 sockets, one readable past the 64th. */
static void poll_past_64_sockets(void **state)
{
    (void)state;
    enum { COUNT = 100, READY = 90 };
    WSAPOLLFD fds[COUNT];
    struct sockaddr_storage addr, ready_addr;
    int addrlen, ready_len = 0;
    for (int i = 0; i < COUNT; i++) {
        fds[i] = (WSAPOLLFD){.fd = conf_udp(AF_INET, &addr, &addrlen), .events = POLLRDNORM};
        if (i == READY) {
            ready_addr = addr;
            ready_len = addrlen;
        }
    }
    assert_int_equal(sendto(fds[0].fd, "x", 1, 0, (struct sockaddr *)&ready_addr, ready_len), 1);
    assert_int_equal(WSAPoll(fds, COUNT, 5000), 1);
    for (int i = 0; i < COUNT; i++)
        assert_int_equal(fds[i].revents, i == READY ? POLLRDNORM : 0);
    for (int i = 0; i < COUNT; i++)
        assert_int_equal(closesocket(fds[i].fd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(poll_reports_readiness),
        cmocka_unit_test(poll_marks_a_non_socket),
        cmocka_unit_test(poll_checks_its_arguments),
        cmocka_unit_test(poll_marks_a_socket_closed_meanwhile),
        cmocka_unit_test(poll_past_64_sockets),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

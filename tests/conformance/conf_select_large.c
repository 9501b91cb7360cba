/* select with sets longer than the 64 sockets of the default FD_SETSIZE:
 * Winsock lets a program define FD_SETSIZE itself, and every layer must
 * read and write a set by its fd_count, whatever FD_SETSIZE it was built
 * with. This program is built with 128; a set of 200 is laid out by hand. */
#define FD_SETSIZE 128
#include "conformance.h"

#include <string.h>

enum { LARGE = 72, READY = 70, HUGE_COUNT = 200 };

/* An fd_set as a program built with FD_SETSIZE 200 declares it. */
typedef struct huge_set {
    u_int fd_count;
    SOCKET fd_array[HUGE_COUNT];
} huge_set;

static void udp_sockets(SOCKET *socks, int n)
{
    struct sockaddr_storage addr;
    int addrlen;
    for (int i = 0; i < n; i++)
        socks[i] = conf_udp(AF_INET, &addr, &addrlen);
}

/* Sends one datagram to s and waits until s has it, so a later select
 * over many sockets finds every datagram already there. */
static void udp_deliver(SOCKET from, SOCKET s)
{
    struct sockaddr_storage addr;
    int addrlen = sizeof addr;
    assert_int_equal(getsockname(s, (struct sockaddr *)&addr, &addrlen), 0);
    assert_int_equal(sendto(from, "x", 1, 0, (struct sockaddr *)&addr, addrlen), 1);
    fd_set one;
    FD_ZERO(&one);
    FD_SET(s, &one);
    struct timeval wait = {5, 0};
    assert_int_equal(select(0, &one, NULL, NULL, &wait), 1);
}

static void close_all(SOCKET *socks, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(closesocket(socks[i]), 0);
}

static void select_reads_past_64(void **state)
{
    (void)state;
    SOCKET socks[LARGE], sender;
    udp_sockets(socks, LARGE);
    udp_sockets(&sender, 1);
    udp_deliver(sender, socks[READY]);
    fd_set r;
    FD_ZERO(&r);
    for (int i = 0; i < LARGE; i++)
        FD_SET(socks[i], &r);
    assert_int_equal(r.fd_count, LARGE);
    struct timeval none = {0, 0};
    assert_int_equal(select(0, &r, NULL, NULL, &none), 1);
    assert_int_equal(r.fd_count, 1);
    assert_true(r.fd_array[0] == socks[READY]);
    assert_true(FD_ISSET(socks[READY], &r));
    close_all(socks, LARGE);
    close_all(&sender, 1);
}

static void select_writes_past_64(void **state)
{
    (void)state;
    SOCKET socks[LARGE];
    udp_sockets(socks, LARGE);
    fd_set w;
    FD_ZERO(&w);
    for (int i = 0; i < LARGE; i++)
        FD_SET(socks[i], &w);
    struct timeval none = {0, 0};
    assert_int_equal(select(0, NULL, &w, NULL, &none), LARGE);
    assert_int_equal(w.fd_count, LARGE);
    for (int i = 0; i < LARGE; i++) {
        assert_true(w.fd_array[i] == socks[i]);
        assert_true(FD_ISSET(socks[i], &w));
    }
    close_all(socks, LARGE);
}

/* 200 sockets in each of the three sets, two of them readable. */
static void select_three_sets_of_200(void **state)
{
    (void)state;
    static SOCKET socks[HUGE_COUNT];
    static huge_set r, w, e;
    SOCKET sender;
    udp_sockets(socks, HUGE_COUNT);
    udp_sockets(&sender, 1);
    udp_deliver(sender, socks[150]);
    udp_deliver(sender, socks[HUGE_COUNT - 1]);
    for (int i = 0; i < HUGE_COUNT; i++)
        r.fd_array[i] = w.fd_array[i] = e.fd_array[i] = socks[i];
    r.fd_count = w.fd_count = e.fd_count = HUGE_COUNT;
    struct timeval none = {0, 0};
    assert_int_equal(select(0, (fd_set *)&r, (fd_set *)&w, (fd_set *)&e, &none), 2 + HUGE_COUNT);
    assert_int_equal(r.fd_count, 2);
    assert_true(r.fd_array[0] == socks[150]);
    assert_true(r.fd_array[1] == socks[HUGE_COUNT - 1]);
    assert_true(FD_ISSET(socks[HUGE_COUNT - 1], (fd_set *)&r));
    assert_int_equal(w.fd_count, HUGE_COUNT);
    for (int i = 0; i < HUGE_COUNT; i++)
        assert_true(w.fd_array[i] == socks[i]);
    assert_true(FD_ISSET(socks[HUGE_COUNT - 1], (fd_set *)&w));
    assert_int_equal(e.fd_count, 0);
    close_all(socks, HUGE_COUNT);
    close_all(&sender, 1);
}

/* One fd_set passed as both the read and the write set holds each ready
 * socket once, and the count says so (sock.c test_select). */
static void aliased_sets_hold_each_socket_once(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    conf_send_all(c, "x", 1);
    Sleep(100);
    fd_set both;
    FD_ZERO(&both);
    FD_SET(c, &both);
    FD_SET(s, &both);
    struct timeval timeout = {1, 0};
    /* c is writable; s is readable and writable. */
    assert_int_equal(select(0, &both, &both, NULL, &timeout), 2);
    assert_int_equal(both.fd_count, 2);
    assert_true(FD_ISSET(c, &both));
    assert_true(FD_ISSET(s, &both));
    closesocket(c);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(select_reads_past_64),
        cmocka_unit_test(select_writes_past_64),
        cmocka_unit_test(select_three_sets_of_200),
        cmocka_unit_test(aliased_sets_hold_each_socket_once),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

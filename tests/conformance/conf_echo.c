/* TCP and UDP echo over IPv4 and IPv6, and the exact errors of misuse. */
#include "conformance.h"

#include <string.h>

static void tcp_echo(int af)
{
    SOCKET c, s;
    conf_tcp_pair(af, &c, &s);
    char out[3000], back[3000];
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (char)(i * 7);
    conf_send_all(c, out, sizeof out);
    conf_recv_exact(s, back, sizeof back);
    conf_send_all(s, back, sizeof back);
    memset(back, 0, sizeof back);
    conf_recv_exact(c, back, sizeof back);
    assert_memory_equal(out, back, sizeof out);
    /* An orderly close reads as 0 bytes. */
    assert_int_equal(shutdown(c, SD_SEND), 0);
    assert_int_equal(recv(s, back, sizeof back, 0), 0);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
}

static void tcp_echo_ipv4(void **state) { (void)state; tcp_echo(AF_INET); }
static void tcp_echo_ipv6(void **state) { (void)state; tcp_echo(AF_INET6); }

static void udp_echo(int af)
{
    struct sockaddr_storage a_addr, b_addr, from;
    int a_len, b_len, from_len = sizeof from;
    SOCKET a = conf_udp(af, &a_addr, &a_len);
    SOCKET b = conf_udp(af, &b_addr, &b_len);
    assert_int_equal(sendto(a, "ping", 4, 0, (struct sockaddr *)&b_addr, b_len), 4);
    char buf[16];
    assert_int_equal(recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len), 4);
    assert_memory_equal(buf, "ping", 4);
    assert_int_equal(from_len, a_len);
    assert_int_equal(sendto(b, "pong!", 5, 0, (struct sockaddr *)&from, from_len), 5);
    assert_int_equal(recv(a, buf, sizeof buf, 0), 5);
    assert_memory_equal(buf, "pong!", 5);
    /* A datagram larger than the buffer: the rest is lost, WSAEMSGSIZE. */
    assert_int_equal(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&b_addr, b_len), 10);
    assert_int_equal(recv(b, buf, 4, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEMSGSIZE);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(b), 0);
}

static void udp_echo_ipv4(void **state) { (void)state; udp_echo(AF_INET); }
static void udp_echo_ipv6(void **state) { (void)state; udp_echo(AF_INET6); }

static void misuse_gives_exact_errors(void **state)
{
    (void)state;
    char buf[4];
    SOCKET bogus = (SOCKET)0x7ff0;
    assert_int_equal(send(bogus, "x", 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal(closesocket(bogus), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s != INVALID_SOCKET);
    assert_int_equal(recv(s, buf, sizeof buf, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTCONN);
    /* An overlapped send is refused in its call too: WSAENOTCONN on
     * Windows; Wine 8.0's ws2_32 says WSAECONNRESET, and a layer must not
     * change what the program would hear from it. */
    WSABUF b = {1, buf};
    DWORD sent = 0;
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    assert_int_equal(WSASend(s, &b, 1, &sent, 0, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), conf_under_wine() ? WSAECONNRESET : WSAENOTCONN);
    WSACloseEvent(ov.hEvent);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(s), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_true(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEPROTONOSUPPORT);
    assert_true(socket(AF_INET, 77, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAESOCKTNOSUPPORT);
    assert_true(socket(12345, SOCK_STREAM, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
}

/* A negative length is passed on as ws2_32 passes it, as the WSABUF's
 * (unsigned) length: a buffer that large is not the program's (WSAEFAULT).
 * Nothing is received; what was sent of it is the platform's matter (Wine
 * sends what it could read before the fault). */
#ifdef _WIN64
#define CONF_HUGE_SEND_ERROR WSAEFAULT
#else
/* 32-bit Wine hands the length (4 GiB - 1) to the host's sendmsg, which
 * refuses an iovec longer than SSIZE_MAX of a 32-bit process with EINVAL
 * before it reads the buffer: a platform answer, the same with and without
 * wsphost and ShareLSP. */
#define CONF_HUGE_SEND_ERROR WSAEINVAL
#endif

static void a_negative_length_is_a_bad_buffer(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    conf_send_all(c, "data", 4);
    char buf[8];
    Sleep(100); /* the data has arrived */
    SetLastError(0xdeadbeef);
    assert_int_equal(recv(s, buf, -1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(recvfrom(s, buf, -1, 0, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    conf_recv_exact(s, buf, 4);
    assert_memory_equal(buf, "data", 4);
    SetLastError(0xdeadbeef);
    assert_int_equal(send(c, "x", -1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), CONF_HUGE_SEND_ERROR);
    assert_int_equal(sendto(c, "x", -1, 0, NULL, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), CONF_HUGE_SEND_ERROR);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
}

static void calls_before_startup_fail(void **state)
{
    (void)state;
    assert_int_equal(WSACleanup(), 0); /* undo the group set-up's start */
    assert_true(socket(AF_INET, SOCK_STREAM, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
    assert_int_equal(WSACleanup(), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    assert_int_equal(data.wVersion, MAKEWORD(2, 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tcp_echo_ipv4),
        cmocka_unit_test(tcp_echo_ipv6),
        cmocka_unit_test(udp_echo_ipv4),
        cmocka_unit_test(udp_echo_ipv6),
        cmocka_unit_test(misuse_gives_exact_errors),
        cmocka_unit_test(a_negative_length_is_a_bad_buffer),
        cmocka_unit_test(calls_before_startup_fail),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

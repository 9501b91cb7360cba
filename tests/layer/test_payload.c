/* The layer's payload hook through wsphost, with probe.dll (probe.c): the
 * exact bytes of send, sendto, recv and recvfrom, blocking and overlapped;
 * received bytes rewritten in place. */
#include "layer_test.h"

#include <stdio.h>
#include <string.h>

/* The payload hook sees the bytes of send and recv, blocking and
 * overlapped, sends before they start and receives before the program
 * does; what it rewrites in a receive's buffers is what the program reads,
 * through an overlapped receive's WSABUF array too after the program
 * overwrote it. */
static void payload_hook_sees_and_rewrites_bytes(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    layer_log_reset();
    SetEnvironmentVariableA("PROBE_PAYLOAD", "upper");
    assert_int_equal(send(c, "hello", 5, 0), 5);
    char buf[8] = {0};
    assert_int_equal(recv(a, buf, sizeof buf, 0), 5);
    assert_memory_equal(buf, "HELLO", 5);

    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    WSABUF out[2] = {{2, "ab"}, {3, "cd!"}};
    DWORD bytes = 0, flags = 0;
    int rc = WSASend(c, out, 2, &bytes, 0, &ov, NULL);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_int_equal(layer_overlapped_bytes(c, &ov), 5);
    WSACloseEvent(ov.hEvent);

    char first[3] = {0}, second[8] = {0};
    WSABUF in[2] = {{sizeof first, first}, {sizeof second, second}};
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    rc = WSARecv(a, in, 2, &bytes, &flags, &ov, NULL);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    memset(in, 0, sizeof in); /* Winsock lets the program reuse the array at once */
    assert_int_equal(layer_overlapped_bytes(a, &ov), 5);
    assert_memory_equal(first, "ABC", 3);
    assert_memory_equal(second, "D!", 2);
    WSACloseEvent(ov.hEvent);
    SetEnvironmentVariableA("PROBE_PAYLOAD", NULL);

    DWORD pid = GetCurrentProcessId();
    assert_int_equal(layer_log_read(), 8);
    unsigned long long cid = layer_log_line_id(0), aid = layer_log_line_id(2);
    char e[8][LINE_MAX_CHARS];
    snprintf(e[0], LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=1 bytes=5 text=hello", pid, cid);
    snprintf(e[1], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=5 w0=5", pid, cid);
    snprintf(e[2], LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=1 bytes=5 text=hello", pid, aid);
    snprintf(e[3], LINE_MAX_CHARS, "received pid=%lu id=%llu d=set bytes=5 w0=5", pid, aid);
    snprintf(e[4], LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=2 bytes=5 text=abcd!", pid, cid);
    snprintf(e[5], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=5 w0=10", pid, cid);
    snprintf(e[6], LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=2 bytes=5 text=abcd!", pid, aid);
    snprintf(e[7], LINE_MAX_CHARS, "received pid=%lu id=%llu d=set bytes=5 w0=10", pid, aid);
    const char *expected[8] = {e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]};
    layer_log_expect(expected, 8);
    closesocket(c);
    closesocket(a);
    layer_log_reset();
}

/* A receive that pends finishes on the thread pool: the hook sees and
 * rewrites its bytes there, through the request's copy of the WSABUF
 * array, before the program's event is set. sendto and recvfrom, blocking,
 * show their bytes too. */
static void payload_hook_sees_pending_receives_and_datagrams(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    layer_log_reset();
    SetEnvironmentVariableA("PROBE_PAYLOAD", "upper");
    char first[2] = {0}, second[8] = {0};
    WSABUF in[2] = {{sizeof first, first}, {sizeof second, second}};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD bytes = 0, flags = 0;
    assert_int_equal(WSARecv(a, in, 2, &bytes, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    memset(in, 0, sizeof in);
    assert_int_equal(send(c, "xyz", 3, 0), 3);
    assert_int_equal(layer_overlapped_bytes(a, &ov), 3);
    WSACloseEvent(ov.hEvent);
    assert_memory_equal(first, "XY", 2);
    assert_memory_equal(second, "Z", 1);

    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in any = layer_loopback(0);
    assert_int_equal(bind(v, (struct sockaddr *)&any, sizeof any), 0);
    struct sockaddr_in to = layer_loopback(layer_local_port(v)), from;
    int fromlen = sizeof from;
    assert_int_equal(sendto(u, "dgram", 5, 0, (struct sockaddr *)&to, sizeof to), 5);
    char buf[8] = {0};
    assert_int_equal(recvfrom(v, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen), 5);
    assert_memory_equal(buf, "DGRAM", 5);
    SetEnvironmentVariableA("PROBE_PAYLOAD", NULL);

    DWORD pid = GetCurrentProcessId();
    int n = layer_log_read();
    assert_int_equal(n, 12); /* 4 lines of the stream, and the datagram sockets' 8 */
    unsigned long long cid = layer_log_line_id(0);
    char e[LINE_MAX_CHARS];
    snprintf(e, LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=1 bytes=3 text=xyz", pid, cid);
    assert_string_equal(layer_log_lines[0], e);
    int received = strncmp(layer_log_lines[1], "payload-received", 16) == 0 ? 1 : 2;
    unsigned long long aid = layer_log_line_id(received);
    snprintf(e, LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=2 bytes=3 text=xyz", pid, aid);
    assert_true(layer_log_has(4, e));
    snprintf(e, LINE_MAX_CHARS, "received pid=%lu id=%llu d=set bytes=3 w0=3", pid, aid);
    assert_true(layer_log_has(4, e));
    unsigned long long uid = layer_log_line_id(4), vid = layer_log_line_id(5);
    snprintf(e, LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=1 bytes=5 text=dgram", pid, uid);
    assert_true(layer_log_has(n, e));
    snprintf(e, LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=1 bytes=5 text=dgram", pid, vid);
    assert_true(layer_log_has(n, e));
    closesocket(u);
    closesocket(v);
    closesocket(c);
    closesocket(a);
    layer_log_reset();
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(payload_hook_sees_and_rewrites_bytes),
        cmocka_unit_test(payload_hook_sees_pending_receives_and_datagrams),
    };
    return cmocka_run_group_tests(tests, layer_test_start, layer_test_stop);
}

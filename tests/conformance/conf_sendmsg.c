/* WSASendMsg, called as the program's import (through wsphost, it reaches
 * the socket's provider as WSPIoctl(SIO_EXT_SENDMSG)): blocking, with an
 * event, with a completion routine, and its argument errors. */
#include "conformance.h"

#include <mswsock.h>
#include <string.h>

static char hello[] = "hello world";

static WSAMSG message_to(struct sockaddr_storage *to, int tolen, WSABUF *buffers, DWORD count)
{
    WSAMSG m;
    memset(&m, 0, sizeof m);
    m.name = (struct sockaddr *)to;
    m.namelen = tolen;
    m.lpBuffers = buffers;
    m.dwBufferCount = count;
    return m;
}

static void receive_exactly(SOCKET s, const char *expect, int len)
{
    char got[64];
    assert_int_equal(recvfrom(s, got, sizeof got, 0, NULL, NULL), len);
    assert_memory_equal(got, expect, (size_t)len);
}

static void send_msg_blocking(void **state)
{
    (void)state;
    struct sockaddr_storage a, b;
    int alen, blen;
    SOCKET from = conf_udp(AF_INET, &a, &alen), to = conf_udp(AF_INET, &b, &blen);
    WSABUF buffers[2] = {{.len = 5, .buf = hello}, {.len = 6, .buf = hello + 5}};
    WSAMSG m = message_to(&b, blen, buffers, 2);
    DWORD sent = 0xdead;
    WSASetLastError(0xdead);
    assert_int_equal(WSASendMsg(from, &m, 0, &sent, NULL, NULL), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(sent, 11);
    receive_exactly(to, hello, 11);
    closesocket(from);
    closesocket(to);
}

static void send_msg_errors(void **state)
{
    (void)state;
    struct sockaddr_storage a, b;
    int alen, blen;
    SOCKET from = conf_udp(AF_INET, &a, &alen), to = conf_udp(AF_INET, &b, &blen);
    WSABUF buffer = {.len = 11, .buf = hello};
    WSAMSG m = message_to(&b, blen, &buffer, 1);
    DWORD sent = 0;
    assert_int_equal(WSASendMsg(INVALID_SOCKET, &m, 0, &sent, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal(WSASendMsg(INVALID_SOCKET, NULL, 0, &sent, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(WSASendMsg(from, NULL, 0, &sent, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    /* No byte count and no WSAOVERLAPPED: nowhere to say what was sent. */
    assert_int_equal(WSASendMsg(from, &m, 0, NULL, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    /* Nothing was sent by the failed calls. */
    u_long pending = 1;
    assert_int_equal(ioctlsocket(to, FIONREAD, &pending), 0);
    assert_int_equal(pending, 0);
    closesocket(from);
    closesocket(to);
}

static void send_msg_with_an_event(void **state)
{
    (void)state;
    struct sockaddr_storage a, b;
    int alen, blen;
    SOCKET from = conf_udp(AF_INET, &a, &alen), to = conf_udp(AF_INET, &b, &blen);
    WSABUF buffer = {.len = 11, .buf = hello};
    WSAMSG m = message_to(&b, blen, &buffer, 1);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD sent = 0;
    int r = WSASendMsg(from, &m, 0, &sent, &ov, NULL);
    assert_true(r == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ov.hEvent, TRUE, 5000, FALSE), WSA_WAIT_EVENT_0);
    DWORD bytes = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(from, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 11);
    receive_exactly(to, hello, 11);
    WSACloseEvent(ov.hEvent);
    closesocket(from);
    closesocket(to);
}

static DWORD routine_bytes, routine_error, routine_calls;

static void CALLBACK sent_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov, (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    routine_calls++;
}

static void send_msg_with_a_routine(void **state)
{
    (void)state;
    struct sockaddr_storage a, b;
    int alen, blen;
    SOCKET from = conf_udp(AF_INET, &a, &alen), to = conf_udp(AF_INET, &b, &blen);
    WSABUF buffer = {.len = 11, .buf = hello};
    WSAMSG m = message_to(&b, blen, &buffer, 1);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    DWORD sent = 0;
    routine_calls = 0;
    int r = WSASendMsg(from, &m, 0, &sent, &ov, sent_routine);
    assert_true(r == 0 || WSAGetLastError() == WSA_IO_PENDING);
    for (int i = 0; i < 50 && routine_calls == 0; i++)
        SleepEx(100, TRUE);
    assert_int_equal(routine_calls, 1);
    assert_int_equal(routine_error, 0);
    assert_int_equal(routine_bytes, 11);
    receive_exactly(to, hello, 11);
    closesocket(from);
    closesocket(to);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(send_msg_blocking),
        cmocka_unit_test(send_msg_errors),
        cmocka_unit_test(send_msg_with_an_event),
        cmocka_unit_test(send_msg_with_a_routine),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

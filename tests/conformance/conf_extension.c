/* Extension functions from SIO_GET_EXTENSION_FUNCTION_POINTER: AcceptEx with
 * received data and GetAcceptExSockaddrs, ConnectEx with sent data, each
 * completing an overlapped request by event. */
#include "conformance.h"

#include <mswsock.h>
#include <string.h>

static void *extension(SOCKET s, GUID id)
{
    void *fn = NULL;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &fn, sizeof fn, &got, NULL,
                              NULL),
                     0);
    assert_int_equal(got, sizeof fn);
    assert_non_null(fn);
    return fn;
}

static void accept_ex_with_data(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = conf_listener(AF_INET, &addr, &addrlen);
    LPFN_ACCEPTEX accept_ex = (LPFN_ACCEPTEX)extension(l, (GUID)WSAID_ACCEPTEX);
    LPFN_GETACCEPTEXSOCKADDRS sockaddrs = (LPFN_GETACCEPTEXSOCKADDRS)extension(l, (GUID)WSAID_GETACCEPTEXSOCKADDRS);
    SOCKET a = socket(AF_INET, SOCK_STREAM, 0);
    enum { ADDR = sizeof(struct sockaddr_in) + 16 };
    char buf[4 + 2 * ADDR];
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD bytes = 0, flags = 0;
    BOOL done = accept_ex(l, a, buf, 4, ADDR, ADDR, &bytes, &ov);
    assert_true(done || WSAGetLastError() == ERROR_IO_PENDING);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(c, (struct sockaddr *)&addr, addrlen), 0);
    conf_send_all(c, "ping", 4);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    assert_true(WSAGetOverlappedResult(l, &ov, &bytes, TRUE, &flags));
    assert_int_equal(bytes, 4);
    assert_memory_equal(buf, "ping", 4);
    struct sockaddr *local = NULL, *remote = NULL;
    int local_len = 0, remote_len = 0;
    sockaddrs(buf, 4, ADDR, ADDR, &local, &local_len, &remote, &remote_len);
    assert_non_null(remote);
    assert_int_equal(remote->sa_family, AF_INET);
    assert_int_equal(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof l), 0);
    conf_send_all(a, "pong", 4);
    char back[4];
    conf_recv_exact(c, back, 4);
    assert_memory_equal(back, "pong", 4);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void connect_ex_with_data(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = conf_listener(AF_INET, &addr, &addrlen);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(c, (struct sockaddr *)&any, sizeof any), 0); /* ConnectEx wants a bound socket */
    LPFN_CONNECTEX connect_ex = (LPFN_CONNECTEX)extension(c, (GUID)WSAID_CONNECTEX);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD sent = 0, flags = 0;
    BOOL done = connect_ex(c, (struct sockaddr *)&addr, addrlen, "hello", 5, &sent, &ov);
    assert_true(done || WSAGetLastError() == ERROR_IO_PENDING);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    assert_true(WSAGetOverlappedResult(c, &ov, &sent, TRUE, &flags));
    assert_int_equal(sent, 5);
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    SOCKET s = accept(l, NULL, NULL);
    assert_true(s != INVALID_SOCKET);
    char buf[8];
    conf_recv_exact(s, buf, 5);
    assert_memory_equal(buf, "hello", 5);
    WSACloseEvent(ov.hEvent);
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accept_ex_with_data),
        cmocka_unit_test(connect_ex_with_data),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

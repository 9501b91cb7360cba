/* The layer interface through wsphost, with probe.dll (probe.c): each hook
 * fires once per call, with the socket's id and the call's arguments, in
 * one process, across duplicates and across two processes, where the
 * socket's storage is one; a refusal in any hook fails the call with the
 * layer's error, and one in the socket hook leaves nothing open; the
 * destination hook changes where a connect goes. */
#include "connection_end.h"
#include "handle_count.h"
#include "layer_test.h"

#include <mswsock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hooks_fire_once_with_their_arguments(void **state)
{
    (void)state;
    DWORD pid = GetCurrentProcessId();
    u_short port;
    SOCKET l = spi_listener(&port);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(c != INVALID_SOCKET);
    struct sockaddr_in to = spi_loopback(port);
    assert_int_equal(connect(c, (struct sockaddr *)&to, sizeof to), 0);
    SOCKET a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    assert_int_equal(send(c, "hello", 5, 0), 5);
    char buf[8];
    assert_int_equal(recv(a, buf, sizeof buf, 0), 5);
    int one = 1;
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, (const char *)&one, sizeof one), 0);
    assert_int_equal(closesocket(c), 0);

    assert_int_equal(layer_log_read(), 12);
    unsigned long long lid = layer_log_line_id(0), cid = layer_log_line_id(3), aid = layer_log_line_id(6);
    assert_true(lid != cid && cid != aid && aid != lid);
    char e[12][LINE_MAX_CHARS];
    snprintf(e[0], LINE_MAX_CHARS, "socket pid=%lu id=%llu d=none origin=1 af=2 type=1 w0=0", pid, lid);
    snprintf(e[1], LINE_MAX_CHARS, "bind pid=%lu id=%llu d=set len=16 port=0", pid, lid);
    snprintf(e[2], LINE_MAX_CHARS, "listen pid=%lu id=%llu d=set backlog=4", pid, lid);
    snprintf(e[3], LINE_MAX_CHARS, "socket pid=%lu id=%llu d=none origin=1 af=2 type=1 w0=0", pid, cid);
    snprintf(e[4], LINE_MAX_CHARS, "destination pid=%lu id=%llu d=set kind=1 len=16 port=%u", pid, cid, port);
    /* The peer's port is the client's: read it from the accepted socket. */
    struct sockaddr_in peer;
    int peerlen = sizeof peer;
    assert_int_equal(getpeername(a, (struct sockaddr *)&peer, &peerlen), 0);
    snprintf(e[5], LINE_MAX_CHARS, "accept pid=%lu id=%llu d=set peerlen=16 port=%u", pid, lid, ntohs(peer.sin_port));
    snprintf(e[6], LINE_MAX_CHARS, "socket pid=%lu id=%llu d=none origin=2 af=2 type=1 w0=0", pid, aid);
    snprintf(e[7], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=5 w0=5", pid, cid);
    snprintf(e[8], LINE_MAX_CHARS, "received pid=%lu id=%llu d=set bytes=5 w0=5", pid, aid);
    snprintf(e[9], LINE_MAX_CHARS, "option pid=%lu id=%llu d=set level=%d name=%d len=4", pid, cid, SOL_SOCKET,
             SO_KEEPALIVE);
    snprintf(e[10], LINE_MAX_CHARS, "close-process pid=%lu id=%llu d=none w0=5", pid, cid);
    snprintf(e[11], LINE_MAX_CHARS, "close-anywhere pid=%lu id=%llu d=none w0=5", pid, cid);
    const char *expected[12];
    for (int i = 0; i < 12; i++)
        expected[i] = e[i];
    layer_log_expect(expected, 12);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(l), 0);
    layer_log_reset();
}

/* A socket the layer refuses is closed before the program sees it: no
 * handle stays open, and no other hook hears of it. */
static void refused_socket_leaves_nothing_open(void **state)
{
    (void)state;
    SetEnvironmentVariableW(L"PROBE_REFUSE", L"socket");
    SOCKET warm = socket(AF_INET, SOCK_STREAM, 0); /* the first call may load what stays loaded */
    assert_true(warm == INVALID_SOCKET);
    DWORD before = handle_count();
    for (int i = 0; i < 50; i++) {
        assert_true(socket(AF_INET, SOCK_STREAM, 0) == INVALID_SOCKET);
        assert_int_equal(WSAGetLastError(), WSAEACCES);
    }
    DWORD after = handle_count();
    SetEnvironmentVariableW(L"PROBE_REFUSE", NULL);
    assert_int_equal(after, before);
    int n = layer_log_read();
    assert_int_equal(n, 51);
    for (int i = 0; i < n; i++)
        assert_non_null(strstr(layer_log_lines[i], "socket pid="));
    layer_log_reset();
}

/* Each refusing hook fails its call with the layer's error; the provider
 * below never sees the call. */
static void refusals_fail_the_call(void **state)
{
    (void)state;
    u_short port;
    SOCKET l = spi_listener(&port);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = spi_loopback(0), to = spi_loopback(port);
    SetEnvironmentVariableW(L"PROBE_REFUSE", L"bind");
    assert_int_equal(bind(s, (struct sockaddr *)&any, sizeof any), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    SetEnvironmentVariableW(L"PROBE_REFUSE", L"option");
    int one = 1;
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (const char *)&one, sizeof one), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    SetEnvironmentVariableW(L"PROBE_REFUSE", L"destination");
    assert_int_equal(connect(s, (struct sockaddr *)&to, sizeof to), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    /* Nothing reached the listener. */
    u_long nonblocking = 1;
    assert_int_equal(ioctlsocket(l, FIONBIO, &nonblocking), 0);
    assert_true(accept(l, NULL, NULL) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    /* ConnectEx too, and sendto on UDP, blocking and overlapped. */
    assert_int_equal(bind(s, (struct sockaddr *)&any, sizeof any), 0);
    LPFN_CONNECTEX connect_ex = NULL;
    GUID id = WSAID_CONNECTEX;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &connect_ex, sizeof connect_ex,
                              &got, NULL, NULL), 0);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    assert_false(connect_ex(s, (struct sockaddr *)&to, sizeof to, NULL, 0, NULL, &ov));
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    assert_int_equal(sendto(u, "x", 1, 0, (struct sockaddr *)&to, sizeof to), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    WSABUF b = {1, "x"};
    DWORD sent = 0;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    assert_int_equal(WSASendTo(u, &b, 1, &sent, 0, (struct sockaddr *)&to, sizeof to, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    WSACloseEvent(ov.hEvent);
    LPFN_WSASENDMSG send_msg = NULL;
    GUID send_msg_id = WSAID_WSASENDMSG;
    assert_int_equal(WSAIoctl(u, SIO_GET_EXTENSION_FUNCTION_POINTER, &send_msg_id, sizeof send_msg_id, &send_msg,
                              sizeof send_msg, &got, NULL, NULL), 0);
    WSAMSG m = {.name = (LPSOCKADDR)&to, .namelen = sizeof to, .lpBuffers = &b, .dwBufferCount = 1};
    assert_int_equal(send_msg(u, &m, 0, &sent, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    /* And a multipoint leaf: refused before the provider below (whose
     * answer, under Wine, is a failure that sets no error). */
    WSASetLastError(0);
    assert_true(WSAJoinLeaf(u, (struct sockaddr *)&to, sizeof to, NULL, NULL, NULL, NULL, JL_BOTH) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    SetEnvironmentVariableW(L"PROBE_REFUSE", L"listen");
    SOCKET l2 = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(listen(l2, 1), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    /* A refused peer is reset, and accept fails with the layer's error. */
    SetEnvironmentVariableW(L"PROBE_REFUSE", L"accept");
    nonblocking = 0;
    assert_int_equal(ioctlsocket(l, FIONBIO, &nonblocking), 0);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(c, (struct sockaddr *)&to, sizeof to), 0);
    connection_end end;
    assert_true(connection_end_watch(&end, c));
    assert_true(accept(l, NULL, NULL) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    assert_int_equal(connection_end_result(&end, c, 5000), WSAECONNRESET);
    char buf[4];
    /* AcceptEx too: the request fails with the layer's error, and the peer
     * sees its connection end (the socket is still the program's). */
    LPFN_ACCEPTEX accept_ex = NULL;
    GUID accept_id = WSAID_ACCEPTEX;
    assert_int_equal(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept_id, sizeof accept_id, &accept_ex,
                              sizeof accept_ex, &got, NULL, NULL), 0);
    SOCKET taker = socket(AF_INET, SOCK_STREAM, 0);
    char addresses[2 * (sizeof(struct sockaddr_in) + 16)];
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD received = 0, flags = 0;
    BOOL at_once = accept_ex(l, taker, addresses, 0, sizeof addresses / 2, sizeof addresses / 2, &received, &ov);
    assert_true(at_once || WSAGetLastError() == ERROR_IO_PENDING);
    SOCKET c2 = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(c2, (struct sockaddr *)&to, sizeof to), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_false(WSAGetOverlappedResult(l, &ov, &received, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    assert_int_equal(recv(c2, buf, sizeof buf, 0), 0);
    WSACloseEvent(ov.hEvent);
    SetEnvironmentVariableW(L"PROBE_REFUSE", NULL);
    closesocket(c2);
    closesocket(taker);
    closesocket(c);
    closesocket(l2);
    closesocket(u);
    closesocket(s);
    closesocket(l);
    layer_log_reset();
}

/* The destination hook's address is the one the provider below connects to. */
static void destination_hook_redirects_a_connect(void **state)
{
    (void)state;
    u_short port;
    SOCKET l = spi_listener(&port);
    SOCKET dead = spi_listener(&(u_short){0});
    u_short dead_port = spi_local_port(dead);
    assert_int_equal(closesocket(dead), 0); /* nothing listens there now */
    char redirect[8];
    snprintf(redirect, sizeof redirect, "%u", port);
    SetEnvironmentVariableA("PROBE_REDIRECT", redirect);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = spi_loopback(dead_port);
    assert_int_equal(connect(c, (struct sockaddr *)&to, sizeof to), 0);
    SetEnvironmentVariableA("PROBE_REDIRECT", NULL);
    SOCKET a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    assert_int_equal(send(c, "ok", 2, 0), 2);
    char buf[4];
    assert_int_equal(recv(a, buf, sizeof buf, 0), 2);
    closesocket(a);
    closesocket(c);
    closesocket(l);
    layer_log_reset();
}

/* A duplicate in this process is the same socket: its calls log the same
 * id and add to the same storage, and only the last close is heard. */
static void duplicates_share_id_and_storage(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(c, GetCurrentProcessId(), &info), 0);
    SOCKET t = spi_use_info(&info);
    assert_true(t != INVALID_SOCKET);
    layer_log_reset();
    assert_int_equal(send(c, "abc", 3, 0), 3);
    assert_int_equal(send(t, "de", 2, 0), 2);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(t), 0);
    assert_int_equal(layer_log_read(), 4);
    DWORD pid = GetCurrentProcessId();
    unsigned long long id = layer_log_line_id(0);
    char e[4][LINE_MAX_CHARS];
    snprintf(e[0], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=3 w0=3", pid, id);
    snprintf(e[1], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=2 w0=5", pid, id);
    snprintf(e[2], LINE_MAX_CHARS, "close-process pid=%lu id=%llu d=none w0=5", pid, id);
    snprintf(e[3], LINE_MAX_CHARS, "close-anywhere pid=%lu id=%llu d=none w0=5", pid, id);
    const char *expected[4] = {e[0], e[1], e[2], e[3]};
    layer_log_expect(expected, 4);
    closesocket(a);
    layer_log_reset();
}

/* The child: takes the info, sends 4 bytes through it, closes, exits. */
static int child_send(DWORD parent)
{
    SOCKET s = spi_child_socket(parent);
    if (s == INVALID_SOCKET)
        return 20;
    if (send(s, "four", 4, 0) != 4 || closesocket(s) != 0)
        return 23;
    return WSACleanup() == 0 ? 0 : 24;
}

/* Across processes: the child's calls carry the same id and add to the same
 * storage; each process hears its own last close, and the process that
 * closes last hears the socket's end. */
static void two_processes_share_id_and_storage(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    layer_log_reset();
    assert_int_equal(send(c, "abc", 3, 0), 3);
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("send-child", 0, &pi, &pipe);
    DWORD child = pi.dwProcessId;
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(c, child, &info), 0);
    DWORD got = 0;
    assert_true(WriteFile(pipe, &info, sizeof info, &got, NULL));
    assert_int_equal(spi_child_wait(&pi, pipe), 0);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(layer_log_read(), 5);
    DWORD pid = GetCurrentProcessId();
    unsigned long long id = layer_log_line_id(0);
    char e[5][LINE_MAX_CHARS];
    snprintf(e[0], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=3 w0=3", pid, id);
    snprintf(e[1], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=4 w0=7", child, id);
    snprintf(e[2], LINE_MAX_CHARS, "close-process pid=%lu id=%llu d=none w0=7", child, id);
    snprintf(e[3], LINE_MAX_CHARS, "close-process pid=%lu id=%llu d=none w0=7", pid, id);
    snprintf(e[4], LINE_MAX_CHARS, "close-anywhere pid=%lu id=%llu d=none w0=7", pid, id);
    const char *expected[5] = {e[0], e[1], e[2], e[3], e[4]};
    layer_log_expect(expected, 5);
    closesocket(a);
    layer_log_reset();
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "send-child") == 0)
        return child_send((DWORD)strtoul(argv[2], NULL, 10));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hooks_fire_once_with_their_arguments),
        cmocka_unit_test(refused_socket_leaves_nothing_open),
        cmocka_unit_test(refusals_fail_the_call),
        cmocka_unit_test(destination_hook_redirects_a_connect),
        cmocka_unit_test(duplicates_share_id_and_storage),
        cmocka_unit_test(two_processes_share_id_and_storage),
    };
    return cmocka_run_group_tests(tests, layer_test_start, layer_test_stop);
}

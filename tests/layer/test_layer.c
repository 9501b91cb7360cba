/* The layer interface through wsphost, with probe.dll (probe.c): each hook
 * fires once per call, with the socket's id and the call's arguments, in
 * one process, across duplicates and across two processes, where the
 * socket's storage is one; a refusal in any hook fails the call with the
 * layer's error, and one in the socket hook leaves nothing open; the
 * destination hook changes where a connect goes. */
#include "connection_end.h"
#include "spi.h"

#include <mswsock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LINE_MAX_CHARS = 200, LINES_MAX = 64 };

static WCHAR log_path[MAX_PATH];
static char lines[LINES_MAX][LINE_MAX_CHARS];

static void log_reset(void)
{
    DeleteFileW(log_path);
}

/* The log's lines, in the order they were appended; their count. */
static int log_read(void)
{
    HANDLE f = CreateFileW(log_path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return 0;
    static char text[LINES_MAX * LINE_MAX_CHARS];
    DWORD got = 0;
    assert_true(ReadFile(f, text, sizeof text - 1, &got, NULL));
    CloseHandle(f);
    text[got] = '\0';
    int n = 0;
    for (char *line = strtok(text, "\n"); line != NULL && n < LINES_MAX; line = strtok(NULL, "\n"))
        snprintf(lines[n++], LINE_MAX_CHARS, "%s", line);
    return n;
}

/* The log holds exactly these lines, in this order. */
static void log_expect(const char *const *expected, int count)
{
    int n = log_read();
    for (int i = 0; i < n && i < count; i++)
        assert_string_equal(lines[i], expected[i]);
    assert_int_equal(n, count);
    log_reset();
}

/* The socket id a log line names. */
static unsigned long long line_id(int line)
{
    const char *at = strstr(lines[line], " id=");
    assert_non_null(at);
    return strtoull(at + 4, NULL, 10);
}

static int start(void **state)
{
    (void)state;
    WCHAR dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(log_path, MAX_PATH, L"%lsprobe-%lu.log", dir, (unsigned long)GetCurrentProcessId());
    SetEnvironmentVariableW(L"PROBE_LOG", log_path);
    log_reset();
    return spi_start_provider(L"probe.dll");
}

static int stop(void **state)
{
    log_reset();
    return spi_stop(state);
}

static struct sockaddr_in loopback(u_short port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

static u_short local_port(SOCKET s)
{
    struct sockaddr_in a;
    int len = sizeof a;
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
    return ntohs(a.sin_port);
}

static SOCKET listener(u_short *port)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(l != INVALID_SOCKET);
    struct sockaddr_in a = loopback(0);
    assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l, 4), 0);
    *port = local_port(l);
    return l;
}

static void hooks_fire_once_with_their_arguments(void **state)
{
    (void)state;
    DWORD pid = GetCurrentProcessId();
    u_short port;
    SOCKET l = listener(&port);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(c != INVALID_SOCKET);
    struct sockaddr_in to = loopback(port);
    assert_int_equal(connect(c, (struct sockaddr *)&to, sizeof to), 0);
    SOCKET a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    assert_int_equal(send(c, "hello", 5, 0), 5);
    char buf[8];
    assert_int_equal(recv(a, buf, sizeof buf, 0), 5);
    int one = 1;
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, (const char *)&one, sizeof one), 0);
    assert_int_equal(closesocket(c), 0);

    assert_int_equal(log_read(), 12);
    unsigned long long lid = line_id(0), cid = line_id(3), aid = line_id(6);
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
    log_expect(expected, 12);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(l), 0);
    log_reset();
}

/* A socket the layer refuses is closed before the program sees it: no
 * handle stays open, and no other hook hears of it. */
static void refused_socket_leaves_nothing_open(void **state)
{
    (void)state;
    SetEnvironmentVariableW(L"PROBE_REFUSE", L"socket");
    SOCKET warm = socket(AF_INET, SOCK_STREAM, 0); /* the first call may load what stays loaded */
    assert_true(warm == INVALID_SOCKET);
    DWORD before = 0, after = 0;
    assert_true(GetProcessHandleCount(GetCurrentProcess(), &before));
    for (int i = 0; i < 50; i++) {
        assert_true(socket(AF_INET, SOCK_STREAM, 0) == INVALID_SOCKET);
        assert_int_equal(WSAGetLastError(), WSAEACCES);
    }
    assert_true(GetProcessHandleCount(GetCurrentProcess(), &after));
    SetEnvironmentVariableW(L"PROBE_REFUSE", NULL);
    assert_int_equal(after, before);
    int n = log_read();
    assert_int_equal(n, 51);
    for (int i = 0; i < n; i++)
        assert_non_null(strstr(lines[i], "socket pid="));
    log_reset();
}

/* Each refusing hook fails its call with the layer's error; the provider
 * below never sees the call. */
static void refusals_fail_the_call(void **state)
{
    (void)state;
    u_short port;
    SOCKET l = listener(&port);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = loopback(0), to = loopback(port);
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
    log_reset();
}

/* The destination hook's address is the one the provider below connects to. */
static void destination_hook_redirects_a_connect(void **state)
{
    (void)state;
    u_short port;
    SOCKET l = listener(&port);
    SOCKET dead = listener(&(u_short){0});
    u_short dead_port = local_port(dead);
    assert_int_equal(closesocket(dead), 0); /* nothing listens there now */
    char redirect[8];
    snprintf(redirect, sizeof redirect, "%u", port);
    SetEnvironmentVariableA("PROBE_REDIRECT", redirect);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = loopback(dead_port);
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
    log_reset();
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
    log_reset();
    assert_int_equal(send(c, "abc", 3, 0), 3);
    assert_int_equal(send(t, "de", 2, 0), 2);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(t), 0);
    assert_int_equal(log_read(), 4);
    DWORD pid = GetCurrentProcessId();
    unsigned long long id = line_id(0);
    char e[4][LINE_MAX_CHARS];
    snprintf(e[0], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=3 w0=3", pid, id);
    snprintf(e[1], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=2 w0=5", pid, id);
    snprintf(e[2], LINE_MAX_CHARS, "close-process pid=%lu id=%llu d=none w0=5", pid, id);
    snprintf(e[3], LINE_MAX_CHARS, "close-anywhere pid=%lu id=%llu d=none w0=5", pid, id);
    const char *expected[4] = {e[0], e[1], e[2], e[3]};
    log_expect(expected, 4);
    closesocket(a);
    log_reset();
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
    log_reset();
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
    assert_int_equal(log_read(), 5);
    DWORD pid = GetCurrentProcessId();
    unsigned long long id = line_id(0);
    char e[5][LINE_MAX_CHARS];
    snprintf(e[0], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=3 w0=3", pid, id);
    snprintf(e[1], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=4 w0=7", child, id);
    snprintf(e[2], LINE_MAX_CHARS, "close-process pid=%lu id=%llu d=none w0=7", child, id);
    snprintf(e[3], LINE_MAX_CHARS, "close-process pid=%lu id=%llu d=none w0=7", pid, id);
    snprintf(e[4], LINE_MAX_CHARS, "close-anywhere pid=%lu id=%llu d=none w0=7", pid, id);
    const char *expected[5] = {e[0], e[1], e[2], e[3], e[4]};
    log_expect(expected, 5);
    closesocket(a);
    log_reset();
}

/* Waits for an overlapped request on s and returns its bytes. */
static DWORD overlapped_bytes(SOCKET s, WSAOVERLAPPED *ov)
{
    assert_int_equal(WaitForSingleObject(ov->hEvent, 5000), WAIT_OBJECT_0);
    DWORD bytes = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(s, ov, &bytes, FALSE, &flags));
    return bytes;
}

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
    log_reset();
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
    assert_int_equal(overlapped_bytes(c, &ov), 5);
    WSACloseEvent(ov.hEvent);

    char first[3] = {0}, second[8] = {0};
    WSABUF in[2] = {{sizeof first, first}, {sizeof second, second}};
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    rc = WSARecv(a, in, 2, &bytes, &flags, &ov, NULL);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    memset(in, 0, sizeof in); /* Winsock lets the program reuse the array at once */
    assert_int_equal(overlapped_bytes(a, &ov), 5);
    assert_memory_equal(first, "ABC", 3);
    assert_memory_equal(second, "D!", 2);
    WSACloseEvent(ov.hEvent);
    SetEnvironmentVariableA("PROBE_PAYLOAD", NULL);

    DWORD pid = GetCurrentProcessId();
    assert_int_equal(log_read(), 8);
    unsigned long long cid = line_id(0), aid = line_id(2);
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
    log_expect(expected, 8);
    closesocket(c);
    closesocket(a);
    log_reset();
}

/* The log has a line equal to line, anywhere (lines of a pool thread and
 * of the program's thread may come in either order). */
static bool log_has(int n, const char *line)
{
    for (int i = 0; i < n; i++)
        if (strcmp(lines[i], line) == 0)
            return true;
    return false;
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
    log_reset();
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
    assert_int_equal(overlapped_bytes(a, &ov), 3);
    WSACloseEvent(ov.hEvent);
    assert_memory_equal(first, "XY", 2);
    assert_memory_equal(second, "Z", 1);

    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in any = loopback(0);
    assert_int_equal(bind(v, (struct sockaddr *)&any, sizeof any), 0);
    struct sockaddr_in to = loopback(local_port(v)), from;
    int fromlen = sizeof from;
    assert_int_equal(sendto(u, "dgram", 5, 0, (struct sockaddr *)&to, sizeof to), 5);
    char buf[8] = {0};
    assert_int_equal(recvfrom(v, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen), 5);
    assert_memory_equal(buf, "DGRAM", 5);
    SetEnvironmentVariableA("PROBE_PAYLOAD", NULL);

    DWORD pid = GetCurrentProcessId();
    int n = log_read();
    assert_int_equal(n, 12); /* 4 lines of the stream, and the datagram sockets' 8 */
    unsigned long long cid = line_id(0);
    char e[LINE_MAX_CHARS];
    snprintf(e, LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=1 bytes=3 text=xyz", pid, cid);
    assert_string_equal(lines[0], e);
    int received = strncmp(lines[1], "payload-received", 16) == 0 ? 1 : 2;
    unsigned long long aid = line_id(received);
    snprintf(e, LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=2 bytes=3 text=xyz", pid, aid);
    assert_true(log_has(4, e));
    snprintf(e, LINE_MAX_CHARS, "received pid=%lu id=%llu d=set bytes=3 w0=3", pid, aid);
    assert_true(log_has(4, e));
    unsigned long long uid = line_id(4), vid = line_id(5);
    snprintf(e, LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=1 bytes=5 text=dgram", pid, uid);
    assert_true(log_has(n, e));
    snprintf(e, LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=1 bytes=5 text=dgram", pid, vid);
    assert_true(log_has(n, e));
    closesocket(u);
    closesocket(v);
    closesocket(c);
    closesocket(a);
    log_reset();
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
        cmocka_unit_test(payload_hook_sees_and_rewrites_bytes),
        cmocka_unit_test(payload_hook_sees_pending_receives_and_datagrams),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

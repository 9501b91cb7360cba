/* The layer's payload hook through wsphost, with probe.dll (probe.c): the
 * exact bytes of every form that moves data through memory (send, sendto,
 * recv, recvfrom, blocking and overlapped; WSASendMsg and WSARecvMsg;
 * ConnectEx's and AcceptEx's first data); received bytes rewritten in
 * place; sent bytes rewritten in ShareLSP's copy, which the peer gets while
 * the program's buffers stay as they were. */
#include "layer_test.h"

#include <mswsock.h>
#include <stdio.h>
#include <stdlib.h>
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
    struct sockaddr_in any = spi_loopback(0);
    assert_int_equal(bind(v, (struct sockaddr *)&any, sizeof any), 0);
    struct sockaddr_in to = spi_loopback(spi_local_port(v)), from;
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


/* The first line in [from, to) that starts with prefix. */
static int log_find(int from, int to, const char *prefix)
{
    for (int i = from; i < to; i++)
        if (strncmp(layer_log_lines[i], prefix, strlen(prefix)) == 0)
            return i;
    fail_msg("no line starts with %s", prefix);
    return -1;
}

/* A layer that rewrites sends changes what the peer gets, never the
 * program's buffers: a blocking send from read-only memory (a write there
 * would fault), an overlapped send of two buffers, a sendto; the hook sees
 * the bytes as the program gave them, and never unreadable buffers. */
static void payload_hook_rewrites_sends_in_a_copy(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    layer_log_reset();
    SetEnvironmentVariableA("PROBE_PAYLOAD", "upper-sent");
    static const char constant[] = "hello"; /* in the image's read-only data */
    assert_int_equal(send(c, constant, 5, 0), 5);
    char buf[8] = {0};
    assert_int_equal(recv(a, buf, sizeof buf, 0), 5);
    assert_memory_equal(buf, "HELLO", 5);
    assert_memory_equal(constant, "hello", 5);

    char one[] = "ab", two[] = "cd!";
    WSABUF out[2] = {{2, one}, {3, two}};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD bytes = 0;
    int rc = WSASend(c, out, 2, &bytes, 0, &ov, NULL);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_int_equal(layer_overlapped_bytes(c, &ov), 5);
    WSACloseEvent(ov.hEvent);
    memset(buf, 0, sizeof buf);
    assert_int_equal(recv(a, buf, sizeof buf, 0), 5);
    assert_memory_equal(buf, "ABCD!", 5);
    assert_string_equal(one, "ab");
    assert_string_equal(two, "cd!");
    /* Buffers that cannot be read go down unshown, for the provider below
     * to refuse. */
    WSABUF unreadable = {5, NULL};
    assert_int_equal(WSASend(c, &unreadable, 1, &bytes, 0, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    /* So does memory the process may not read, and memory it gave back:
     * neither faults in ShareLSP or in the hook. */
    char *page = VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_NOACCESS);
    assert_non_null(page);
    unreadable.buf = page;
    assert_int_equal(WSASend(c, &unreadable, 1, &bytes, 0, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_true(VirtualFree(page, 0, MEM_RELEASE));
    assert_int_equal(WSASend(c, &unreadable, 1, &bytes, 0, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);

    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in any = spi_loopback(0);
    assert_int_equal(bind(v, (struct sockaddr *)&any, sizeof any), 0);
    struct sockaddr_in to = spi_loopback(spi_local_port(v));
    assert_int_equal(sendto(u, constant, 5, 0, (struct sockaddr *)&to, sizeof to), 5);
    memset(buf, 0, sizeof buf);
    assert_int_equal(recv(v, buf, sizeof buf, 0), 5);
    assert_memory_equal(buf, "HELLO", 5);
    SetEnvironmentVariableA("PROBE_PAYLOAD", NULL);

    DWORD pid = GetCurrentProcessId();
    assert_int_equal(layer_log_read(), 16);
    unsigned long long cid = layer_log_line_id(0), aid = layer_log_line_id(2);
    unsigned long long uid = layer_log_line_id(8), vid = layer_log_line_id(9);
    u_short port = ntohs(to.sin_port);
    char e[16][LINE_MAX_CHARS];
    snprintf(e[0], LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=1 bytes=5 text=hello", pid, cid);
    snprintf(e[1], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=5 w0=5", pid, cid);
    snprintf(e[2], LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=1 bytes=5 text=HELLO", pid, aid);
    snprintf(e[3], LINE_MAX_CHARS, "received pid=%lu id=%llu d=set bytes=5 w0=5", pid, aid);
    snprintf(e[4], LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=2 bytes=5 text=abcd!", pid, cid);
    snprintf(e[5], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=5 w0=10", pid, cid);
    snprintf(e[6], LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=1 bytes=5 text=ABCD!", pid, aid);
    snprintf(e[7], LINE_MAX_CHARS, "received pid=%lu id=%llu d=set bytes=5 w0=10", pid, aid);
    snprintf(e[8], LINE_MAX_CHARS, "socket pid=%lu id=%llu d=none origin=1 af=2 type=2 w0=0", pid, uid);
    snprintf(e[9], LINE_MAX_CHARS, "socket pid=%lu id=%llu d=none origin=1 af=2 type=2 w0=0", pid, vid);
    snprintf(e[10], LINE_MAX_CHARS, "bind pid=%lu id=%llu d=set len=16 port=0", pid, vid);
    snprintf(e[11], LINE_MAX_CHARS, "destination pid=%lu id=%llu d=set kind=3 len=16 port=%u", pid, uid, port);
    snprintf(e[12], LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=1 bytes=5 text=hello", pid, uid);
    snprintf(e[13], LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=5 w0=5", pid, uid);
    snprintf(e[14], LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=1 bytes=5 text=HELLO", pid, vid);
    snprintf(e[15], LINE_MAX_CHARS, "received pid=%lu id=%llu d=set bytes=5 w0=5", pid, vid);
    const char *expected[16];
    for (int i = 0; i < 16; i++)
        expected[i] = e[i];
    layer_log_expect(expected, 16);
    closesocket(u);
    closesocket(v);
    closesocket(c);
    closesocket(a);
    layer_log_reset();
}

/* An overlapped rewritten send that pends: the provider below reads the
 * copy after the call returned, until the request ends (a copy freed early
 * would send garbage, or fault). */
static void payload_hook_rewrites_a_pending_send(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    enum { SIZE = 8 << 20 };
    char *data = malloc(SIZE), *got = malloc(SIZE);
    assert_non_null(data);
    assert_non_null(got);
    for (int i = 0; i < SIZE; i++)
        data[i] = (char)('a' + i % 26);
    layer_log_reset();
    SetEnvironmentVariableA("PROBE_PAYLOAD", "upper-sent");
    WSABUF out = {SIZE, data};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD bytes = 0;
    assert_int_equal(WSASend(c, &out, 1, &bytes, 0, &ov, NULL), SOCKET_ERROR);
    /* More than the socket buffers hold, and the peer reads none yet. */
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    SetEnvironmentVariableA("PROBE_PAYLOAD", NULL);
    int have = 0;
    while (have < SIZE) {
        int n = recv(a, got + have, SIZE - have, 0);
        assert_true(n > 0);
        have += n;
    }
    assert_int_equal(layer_overlapped_bytes(c, &ov), SIZE);
    WSACloseEvent(ov.hEvent);
    for (int i = 0; i < SIZE; i++)
        if (got[i] != (char)('A' + i % 26) || data[i] != (char)('a' + i % 26))
            fail_msg("byte %d: got %c, the program's %c", i, got[i], data[i]);
    layer_log_read();
    char e[LINE_MAX_CHARS];
    snprintf(e, LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=1 bytes=%d text=%s",
             (unsigned long)GetCurrentProcessId(), layer_log_line_id(0), SIZE, "abcdefghijklmnopqrstuvwxyzabcdef");
    assert_string_equal(layer_log_lines[0], e);
    free(data);
    free(got);
    closesocket(c);
    closesocket(a);
    layer_log_reset();
}

/* The other ways a rewritten overlapped send ends, with its copy: failed at
 * once (a datagram larger than any), and closed while it pends. The
 * program's buffer stays as it was. */
static void payload_copy_ends_with_its_request(void **state)
{
    (void)state;
    enum { SIZE = 8 << 20 };
    char *data = malloc(SIZE);
    assert_non_null(data);
    memset(data, 'a', SIZE);
    WSABUF out = {SIZE, data};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD bytes = 0;
    SetEnvironmentVariableA("PROBE_PAYLOAD", "upper-sent");
    SOCKET lone = socket(AF_INET, SOCK_DGRAM, 0);
    assert_int_equal(WSASend(lone, &out, 1, &bytes, 0, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEMSGSIZE);
    closesocket(lone);

    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    WSAResetEvent(ov.hEvent);
    assert_int_equal(WSASend(c, &out, 1, &bytes, 0, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    SetEnvironmentVariableA("PROBE_PAYLOAD", NULL);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_int_equal(ov.Internal, 0xc0000120); /* STATUS_CANCELLED: WSA_OPERATION_ABORTED */
    for (int i = 0; i < SIZE; i++)
        if (data[i] != 'a')
            fail_msg("the program's byte %d is %c", i, data[i]);
    WSACloseEvent(ov.hEvent);
    free(data);
    closesocket(a);
    layer_log_reset();
}

static void *extension_function(SOCKET s, GUID id)
{
    void *fn = NULL;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &fn, sizeof fn, &got, NULL, NULL),
                     0);
    return fn;
}

/* Sends text from u to v by WSASendMsg and receives it by WSARecvMsg,
 * blocking or overlapped; what v's program read. */
static void message_round(SOCKET u, SOCKET v, const char *text, bool overlapped, char *read, size_t size)
{
    LPFN_WSASENDMSG send_msg = (LPFN_WSASENDMSG)extension_function(u, (GUID)WSAID_WSASENDMSG);
    LPFN_WSARECVMSG recv_msg = (LPFN_WSARECVMSG)extension_function(v, (GUID)WSAID_WSARECVMSG);
    struct sockaddr_in to = spi_loopback(spi_local_port(v));
    char out[16];
    snprintf(out, sizeof out, "%s", text);
    WSABUF b = {(ULONG)strlen(out), out};
    WSAMSG m = {.name = (LPSOCKADDR)&to, .namelen = sizeof to, .lpBuffers = &b, .dwBufferCount = 1};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD bytes = 0;
    if (overlapped) {
        int rc = send_msg(u, &m, 0, &bytes, &ov, NULL);
        assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
        assert_int_equal(layer_overlapped_bytes(u, &ov), strlen(text));
    } else {
        assert_int_equal(send_msg(u, &m, 0, &bytes, NULL, NULL), 0);
        assert_int_equal(bytes, strlen(text));
    }
    assert_string_equal(out, text); /* the program's buffer as it was */
    memset(read, 0, size);
    WSABUF in = {(ULONG)size - 1, read};
    WSAMSG r = {.lpBuffers = &in, .dwBufferCount = 1};
    if (overlapped) {
        WSAResetEvent(ov.hEvent);
        int rc = recv_msg(v, &r, &bytes, &ov, NULL);
        assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
        assert_int_equal(layer_overlapped_bytes(v, &ov), strlen(text));
    } else {
        assert_int_equal(recv_msg(v, &r, &bytes, NULL, NULL), 0);
        assert_int_equal(bytes, strlen(text));
    }
    WSACloseEvent(ov.hEvent);
}

/* WSASendMsg and WSARecvMsg, blocking and overlapped: the hook sees their
 * bytes, rewrites received ones in place and sent ones in its copy. */
static void payload_hook_sees_messages(void **state)
{
    (void)state;
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in any = spi_loopback(0);
    assert_int_equal(bind(v, (struct sockaddr *)&any, sizeof any), 0);
    layer_log_reset();
    char read[16];
    SetEnvironmentVariableA("PROBE_PAYLOAD", "upper");
    message_round(u, v, "one", false, read, sizeof read);
    assert_string_equal(read, "ONE");
    message_round(u, v, "two", true, read, sizeof read);
    assert_string_equal(read, "TWO");
    SetEnvironmentVariableA("PROBE_PAYLOAD", "upper-sent");
    message_round(u, v, "three", false, read, sizeof read);
    assert_string_equal(read, "THREE");
    message_round(u, v, "four", true, read, sizeof read);
    assert_string_equal(read, "FOUR");
    SetEnvironmentVariableA("PROBE_PAYLOAD", NULL);

    int n = layer_log_read();
    assert_int_equal(n, 20); /* each round: destination, payload-sent, sent, payload-received, received */
    DWORD pid = GetCurrentProcessId();
    unsigned long long uid = layer_log_line_id(0), vid = layer_log_line_id(log_find(0, n, "payload-received"));
    static const char *const sent[] = {"one", "two", "three", "four"};
    static const char *const received[] = {"one", "two", "THREE", "FOUR"};
    char e[LINE_MAX_CHARS];
    for (int i = 0; i < 4; i++) {
        snprintf(e, LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=1 bytes=%zu text=%s", pid, uid,
                 strlen(sent[i]), sent[i]);
        assert_true(layer_log_has(n, e));
        snprintf(e, LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=1 bytes=%zu text=%s", pid, vid,
                 strlen(received[i]), received[i]);
        assert_true(layer_log_has(n, e));
    }
    closesocket(u);
    closesocket(v);
    layer_log_reset();
}

/* Connects c to port by ConnectEx with first data text, taken by AcceptEx
 * on l into taker; what taker's program read with the accept. */
static void first_data_round(SOCKET l, SOCKET taker, u_short port, const char *text, char *read)
{
    LPFN_ACCEPTEX accept_ex = (LPFN_ACCEPTEX)extension_function(l, (GUID)WSAID_ACCEPTEX);
    enum { ADDRESS = sizeof(struct sockaddr_in) + 16 };
    char buffer[8 + 2 * ADDRESS];
    WSAOVERLAPPED aov;
    memset(&aov, 0, sizeof aov);
    aov.hEvent = WSACreateEvent();
    DWORD received = 0;
    BOOL at_once = accept_ex(l, taker, buffer, 8, ADDRESS, ADDRESS, &received, &aov);
    assert_true(at_once || WSAGetLastError() == ERROR_IO_PENDING);

    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = spi_loopback(0), to = spi_loopback(port);
    assert_int_equal(bind(c, (struct sockaddr *)&any, sizeof any), 0);
    LPFN_CONNECTEX connect_ex = (LPFN_CONNECTEX)extension_function(c, (GUID)WSAID_CONNECTEX);
    char out[8];
    snprintf(out, sizeof out, "%s", text);
    WSAOVERLAPPED cov;
    memset(&cov, 0, sizeof cov);
    cov.hEvent = WSACreateEvent();
    DWORD sent = 0;
    at_once = connect_ex(c, (struct sockaddr *)&to, sizeof to, out, (DWORD)strlen(out), &sent, &cov);
    assert_true(at_once || WSAGetLastError() == ERROR_IO_PENDING);
    assert_int_equal(layer_overlapped_bytes(c, &cov), strlen(text));
    assert_string_equal(out, text);
    assert_int_equal(layer_overlapped_bytes(l, &aov), strlen(text));
    memcpy(read, buffer, strlen(text));
    read[strlen(text)] = '\0';
    WSACloseEvent(cov.hEvent);
    WSACloseEvent(aov.hEvent);
    closesocket(c);
}

/* ConnectEx's first data is a send to the hook (rewritten in the copy),
 * AcceptEx's a receive on the accepted socket, seen before the program
 * hears of the accept (rewritten in place). */
static void payload_hook_sees_first_data(void **state)
{
    (void)state;
    u_short port;
    SOCKET l = spi_listener(&port);
    SOCKET first = socket(AF_INET, SOCK_STREAM, 0), second = socket(AF_INET, SOCK_STREAM, 0);
    layer_log_reset();
    char read[8];
    SetEnvironmentVariableA("PROBE_PAYLOAD", "upper-sent");
    first_data_round(l, first, port, "first", read);
    assert_string_equal(read, "FIRST");
    SetEnvironmentVariableA("PROBE_PAYLOAD", "upper");
    first_data_round(l, second, port, "again", read);
    assert_string_equal(read, "AGAIN");
    SetEnvironmentVariableA("PROBE_PAYLOAD", NULL);

    /* Per round: c's socket, bind, destination, payload-sent, sent and
     * closes; the accept, payload-received and received on the pool. */
    int n = layer_log_read();
    assert_int_equal(n, 20);
    DWORD pid = GetCurrentProcessId();
    unsigned long long lid = layer_log_line_id(log_find(0, 10, "accept"));
    static const char *const sent[] = {"first", "again"}, *const received[] = {"FIRST", "again"};
    char e[LINE_MAX_CHARS];
    for (int i = 0; i < 2; i++) {
        int from = 10 * i, to = from + 10;
        unsigned long long cid = layer_log_line_id(from);
        snprintf(e, LINE_MAX_CHARS, "payload-sent pid=%lu id=%llu d=set count=1 bytes=5 text=%s", pid, cid, sent[i]);
        assert_string_equal(layer_log_lines[from + 3], e);
        snprintf(e, LINE_MAX_CHARS, "sent pid=%lu id=%llu d=set bytes=5 w0=5", pid, cid);
        assert_true(log_find(from, to, e) >= 0);
        /* On the accepted socket, after the accept hook allowed it. */
        int accepted = log_find(from, to, "accept"), r = log_find(from, to, "payload-received");
        assert_int_equal(layer_log_line_id(accepted), lid);
        assert_true(accepted < r);
        unsigned long long aid = layer_log_line_id(r);
        assert_true(aid != lid && aid != cid);
        snprintf(e, LINE_MAX_CHARS, "payload-received pid=%lu id=%llu d=set count=1 bytes=5 text=%s", pid, aid,
                 received[i]);
        assert_string_equal(layer_log_lines[r], e);
        snprintf(e, LINE_MAX_CHARS, "received pid=%lu id=%llu d=set bytes=5 w0=5", pid, aid);
        assert_true(log_find(r, to, e) > r);
    }
    closesocket(first);
    closesocket(second);
    closesocket(l);
    layer_log_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(payload_hook_sees_and_rewrites_bytes),
        cmocka_unit_test(payload_hook_sees_pending_receives_and_datagrams),
        cmocka_unit_test(payload_hook_rewrites_sends_in_a_copy),
        cmocka_unit_test(payload_hook_rewrites_a_pending_send),
        cmocka_unit_test(payload_copy_ends_with_its_request),
        cmocka_unit_test(payload_hook_sees_messages),
        cmocka_unit_test(payload_hook_sees_first_data),
    };
    return cmocka_run_group_tests(tests, layer_test_start, layer_test_stop);
}

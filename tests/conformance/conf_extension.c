/* Extension functions from SIO_GET_EXTENSION_FUNCTION_POINTER: AcceptEx with
 * received data and GetAcceptExSockaddrs, ConnectEx with sent data,
 * TransmitFile of a 1 MiB file with head and tail, DisconnectEx, WSARecvMsg
 * with IP_PKTINFO, TransmitPackets of buffers and file ranges (ShareLSP's
 * only), WSASendMsg, each completing an overlapped request by event, and the
 * ones that can also run without a WSAOVERLAPPED. */
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

/* AcceptEx's own checks and a failed accept's exact status (sock.c
 * test_AcceptEx): no WSAOVERLAPPED is WSA_INVALID_PARAMETER; a socket that is
 * not one is WSAENOTSOCK with the request already marked pending; a local
 * address space too small for the address fails when the connection comes,
 * with STATUS_BUFFER_TOO_SMALL (not another status of WSAEFAULT). */
static void accept_ex_failures(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = conf_listener(AF_INET, &addr, &addrlen);
    LPFN_ACCEPTEX accept_ex = (LPFN_ACCEPTEX)extension(l, (GUID)WSAID_ACCEPTEX);
    SOCKET a = socket(AF_INET, SOCK_STREAM, 0);
    enum { ADDR = sizeof(struct sockaddr_in) + 16 };
    char buf[2 * ADDR];
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD bytes = 0;
    assert_false(accept_ex(l, a, buf, 0, ADDR, ADDR, &bytes, NULL));
    assert_int_equal(WSAGetLastError(), WSA_INVALID_PARAMETER);
    ov.Internal = 0xdeadbeef;
    assert_false(accept_ex(INVALID_SOCKET, a, buf, 0, ADDR, ADDR, &bytes, &ov));
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal((DWORD)ov.Internal, 0x103); /* STATUS_PENDING */
    ov.Internal = 0xdeadbeef;
    assert_false(accept_ex(l, a, buf, 0, 3, ADDR, &bytes, &ov));
    assert_int_equal(WSAGetLastError(), ERROR_IO_PENDING);
    assert_int_equal((DWORD)ov.Internal, 0x103);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(c, (struct sockaddr *)&addr, addrlen), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    bytes = 0xdeadbeef;
    assert_false(GetOverlappedResult((HANDLE)l, &ov, &bytes, FALSE));
    assert_int_equal(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    assert_int_equal((DWORD)ov.Internal, 0xc0000023); /* STATUS_BUFFER_TOO_SMALL */
    assert_int_equal(bytes, 0);
    DWORD flags = 0;
    assert_false(WSAGetOverlappedResult(l, &ov, &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(a);
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

/* A temporary file of size bytes, byte i = i * 7 (mod 256), open for reading
 * with FILE_FLAG_OVERLAPPED as overlapped = true needs. */
static HANDLE pattern_file(DWORD size, bool overlapped, WCHAR *path)
{
    WCHAR dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    GetTempFileNameW(dir, L"shl", 0, path);
    HANDLE w = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(w != INVALID_HANDLE_VALUE);
    unsigned char chunk[4096];
    for (DWORD done = 0; done < size; done += sizeof chunk) {
        for (DWORD i = 0; i < sizeof chunk; i++)
            chunk[i] = (unsigned char)((done + i) * 7);
        DWORD n = 0, want = size - done < sizeof chunk ? size - done : (DWORD)sizeof chunk;
        assert_true(WriteFile(w, chunk, want, &n, NULL));
    }
    CloseHandle(w);
    HANDLE r = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                           overlapped ? FILE_FLAG_OVERLAPPED : 0, NULL);
    assert_true(r != INVALID_HANDLE_VALUE);
    return r;
}

static void receive_checked(SOCKET s, const char *head, DWORD size, const char *tail)
{
    char buf[16];
    conf_recv_exact(s, buf, (int)strlen(head));
    assert_memory_equal(buf, head, strlen(head));
    static unsigned char body[1 << 20];
    assert_true(size <= sizeof body);
    conf_recv_exact(s, (char *)body, (int)size);
    for (DWORD i = 0; i < size; i++) {
        if (body[i] != (unsigned char)(i * 7))
            fail_msg("byte %lu of the file is wrong", (unsigned long)i);
    }
    conf_recv_exact(s, buf, (int)strlen(tail));
    assert_memory_equal(buf, tail, strlen(tail));
}

static void transmit_file_sends_a_file(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    LPFN_TRANSMITFILE transmit_file = (LPFN_TRANSMITFILE)extension(c, (GUID)WSAID_TRANSMITFILE);
    WCHAR path[MAX_PATH];
    const DWORD size = 1 << 20;
    HANDLE file = pattern_file(size, true, path);
    TRANSMIT_FILE_BUFFERS around = {(char *)"head:", 5, (char *)":tail", 5};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    BOOL done = transmit_file(c, file, 0, 0, &ov, &around, 0);
    assert_true(done || WSAGetLastError() == WSA_IO_PENDING);
    receive_checked(s, "head:", size, ":tail");
    DWORD sent = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(c, &ov, &sent, TRUE, &flags));
    assert_int_equal(sent, size + 10);
    CloseHandle(file);
    /* Without a WSAOVERLAPPED: blocking, from the file's position. */
    file = pattern_file(1000, false, path + 0);
    assert_true(transmit_file(c, file, 0, 0, NULL, &around, 0));
    receive_checked(s, "head:", 1000, ":tail");
    CloseHandle(file);
    DeleteFileW(path);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}

static void disconnect_ex_ends_the_connection(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    LPFN_DISCONNECTEX disconnect_ex = (LPFN_DISCONNECTEX)extension(c, (GUID)WSAID_DISCONNECTEX);
    conf_send_all(c, "bye", 3);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    BOOL done = disconnect_ex(c, &ov, 0, 0);
    assert_true(done || WSAGetLastError() == WSA_IO_PENDING);
    DWORD bytes = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(c, &ov, &bytes, TRUE, &flags));
    char buf[8];
    conf_recv_exact(s, buf, 3);
    assert_memory_equal(buf, "bye", 3);
    assert_int_equal(recv(s, buf, sizeof buf, 0), 0); /* the peer sees the end */
    /* Without a WSAOVERLAPPED too. */
    assert_true(disconnect_ex(s, NULL, 0, 0));
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}

/* DisconnectEx with TF_REUSE_SOCKET: the flag goes down as it came, the
 * connection ends, and the request completes with no byte count (Wine's
 * base cannot yet hand the socket back for reuse: it says so and keeps it
 * connected-but-shut, so reuse itself is not tested here). */
static void disconnect_ex_with_reuse(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    LPFN_DISCONNECTEX disconnect_ex = (LPFN_DISCONNECTEX)extension(c, (GUID)WSAID_DISCONNECTEX);
    HANDLE port = CreateIoCompletionPort((HANDLE)c, NULL, 9, 0);
    assert_non_null(port);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    BOOL done = disconnect_ex(c, &ov, TF_REUSE_SOCKET, 0);
    assert_true(done || WSAGetLastError() == WSA_IO_PENDING);
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    assert_int_equal(bytes, 0);
    assert_int_equal(key, 9);
    assert_ptr_equal(got, &ov);
    char buf[4];
    assert_int_equal(recv(s, buf, sizeof buf, 0), 0); /* the peer sees the end */
    CloseHandle(port);
    closesocket(c);
    closesocket(s);
}

static void recv_msg_with_pktinfo(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen = 0;
    SOCKET u = conf_udp(AF_INET, &addr, &addrlen);
    DWORD on = 1;
    assert_int_equal(setsockopt(u, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof on), 0);
    LPFN_WSARECVMSG recv_msg = (LPFN_WSARECVMSG)extension(u, (GUID)WSAID_WSARECVMSG);
    SOCKET sender = socket(AF_INET, SOCK_DGRAM, 0);
    for (int overlapped = 0; overlapped < 2; overlapped++) {
        assert_int_equal(sendto(sender, "pkt", 3, 0, (struct sockaddr *)&addr, addrlen), 3);
        char data[16], control[64];
        struct sockaddr_in from;
        WSABUF b = {sizeof data, data};
        WSAMSG msg = {(struct sockaddr *)&from, sizeof from, &b, 1, {sizeof control, control}, 0};
        DWORD got = 0;
        if (!overlapped) {
            assert_int_equal(recv_msg(u, &msg, &got, NULL, NULL), 0);
        } else {
            WSAOVERLAPPED ov;
            memset(&ov, 0, sizeof ov);
            ov.hEvent = WSACreateEvent();
            int r = recv_msg(u, &msg, &got, &ov, NULL);
            assert_true(r == 0 || WSAGetLastError() == WSA_IO_PENDING);
            DWORD flags = 0;
            assert_true(WSAGetOverlappedResult(u, &ov, &got, TRUE, &flags));
            WSACloseEvent(ov.hEvent);
        }
        assert_int_equal(got, 3);
        assert_memory_equal(data, "pkt", 3);
        WSACMSGHDR *cmsg = WSA_CMSG_FIRSTHDR(&msg);
        assert_non_null(cmsg);
        assert_int_equal(cmsg->cmsg_level, IPPROTO_IP);
        assert_int_equal(cmsg->cmsg_type, IP_PKTINFO);
        IN_PKTINFO *info = (IN_PKTINFO *)WSA_CMSG_DATA(cmsg);
        assert_int_equal(info->ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
    }
    closesocket(sender);
    closesocket(u);
}

/* TransmitPackets: Wine's ws2_32 has none (a GUID it does not know:
 * WSAEINVAL), so neither has wsphost over wspbase; ShareLSP offers its own
 * over TransmitFile. Memory elements and file ranges arrive in order, the
 * count is the total, and TF_DISCONNECT ends the connection. */
static void transmit_packets_sends_buffers_and_file_ranges(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    GUID id = WSAID_TRANSMITPACKETS;
    LPFN_TRANSMITPACKETS transmit_packets = NULL;
    DWORD got = 0;
    int rc = WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &transmit_packets,
                      sizeof transmit_packets, &got, NULL, NULL);
    if (!conf_through_a_layer(c)) {
        assert_int_equal(rc, SOCKET_ERROR);
        assert_int_equal(WSAGetLastError(), WSAEINVAL);
        closesocket(c);
        closesocket(s);
        return;
    }
    assert_int_equal(rc, 0);
    WCHAR path[MAX_PATH];
    const DWORD size = 1 << 20;
    HANDLE file = pattern_file(size, true, path);
    TRANSMIT_PACKETS_ELEMENT e[5];
    memset(e, 0, sizeof e);
    e[0].dwElFlags = TP_ELEMENT_MEMORY;
    e[0].cLength = 3;
    e[0].pBuffer = (char *)"hea";
    e[1].dwElFlags = TP_ELEMENT_MEMORY;
    e[1].cLength = 2;
    e[1].pBuffer = (char *)"d:";
    e[2].dwElFlags = TP_ELEMENT_FILE;
    e[2].cLength = size / 2;
    e[2].nFileOffset.QuadPart = 0;
    e[2].hFile = file;
    e[3].dwElFlags = TP_ELEMENT_FILE; /* cLength 0: to the end of the file */
    e[3].nFileOffset.QuadPart = size / 2;
    e[3].hFile = file;
    e[4].dwElFlags = TP_ELEMENT_MEMORY | TP_ELEMENT_EOP;
    e[4].cLength = 5;
    e[4].pBuffer = (char *)":tail";
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    BOOL done = transmit_packets(c, e, 5, 0, &ov, 0);
    assert_true(done || WSAGetLastError() == WSA_IO_PENDING);
    memset(e, 0, sizeof e); /* the elements need not outlive the call */
    receive_checked(s, "head:", size, ":tail");
    DWORD sent = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(c, &ov, &sent, TRUE, &flags));
    assert_int_equal(sent, size + 10);
    /* Blocking, a file range from the middle, then disconnect. */
    e[0].dwElFlags = TP_ELEMENT_FILE;
    e[0].cLength = 100;
    e[0].nFileOffset.QuadPart = 0;
    e[0].hFile = file;
    assert_true(transmit_packets(c, e, 1, 0, NULL, TF_DISCONNECT));
    char body[100];
    conf_recv_exact(s, body, 100);
    for (int i = 0; i < 100; i++)
        assert_int_equal((unsigned char)body[i], (unsigned char)(i * 7));
    assert_int_equal(recv(s, body, 1, 0), 0); /* the end of the connection */
    /* Elements that are neither memory nor file: WSAEINVAL, nothing sent. */
    e[0].dwElFlags = 0;
    assert_false(transmit_packets(c, e, 1, 0, &ov, 0));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    CloseHandle(file);
    DeleteFileW(path);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}

/* WSASendMsg from its extension pointer: a datagram with its address, at once
 * and overlapped. */
static void send_msg_sends_a_datagram(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET rx = conf_udp(AF_INET, &addr, &addrlen);
    SOCKET tx = socket(AF_INET, SOCK_DGRAM, 0);
    LPFN_WSASENDMSG send_msg = (LPFN_WSASENDMSG)extension(tx, (GUID)WSAID_WSASENDMSG);
    char data[] = "datagram";
    WSABUF buf = {8, data};
    WSAMSG msg = {.name = (struct sockaddr *)&addr, .namelen = addrlen, .lpBuffers = &buf, .dwBufferCount = 1};
    DWORD sent = 0;
    assert_int_equal(send_msg(tx, &msg, 0, &sent, NULL, NULL), 0);
    assert_int_equal(sent, 8);
    char in[16];
    assert_int_equal(recv(rx, in, sizeof in, 0), 8);
    assert_memory_equal(in, "datagram", 8);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    int rc = send_msg(tx, &msg, 0, NULL, &ov, NULL);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    DWORD bytes = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(tx, &ov, &bytes, TRUE, &flags));
    assert_int_equal(bytes, 8);
    assert_int_equal(recv(rx, in, sizeof in, 0), 8);
    WSACloseEvent(ov.hEvent);
    closesocket(tx);
    closesocket(rx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accept_ex_with_data),
        cmocka_unit_test(accept_ex_failures),
        cmocka_unit_test(connect_ex_with_data),
        cmocka_unit_test(transmit_file_sends_a_file),
        cmocka_unit_test(disconnect_ex_ends_the_connection),
        cmocka_unit_test(disconnect_ex_with_reuse),
        cmocka_unit_test(recv_msg_with_pktinfo),
        cmocka_unit_test(transmit_packets_sends_buffers_and_file_ranges),
        cmocka_unit_test(send_msg_sends_a_datagram),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

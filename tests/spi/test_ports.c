/* Completion ports on ShareLSP sockets, through wsphost: a program
 * associates ShareLSP's socket handles with its own port, and each
 * overlapped request (WSASend, WSARecv, AcceptEx, ConnectEx) completes to it
 * exactly once, with the program's key, its OVERLAPPED, the byte count and
 * the error; descriptors of one socket use ports of their own; and
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS behaves as Windows documents for a
 * non-IFS provider. */
#include "spi.h"

#include <mswsock.h>
#include <stdlib.h>
#include <string.h>

enum { KEY_A = 0xa11, KEY_B = 0xb22, KEY_C = 0xc33 };

typedef struct {
    BOOL ok;
    DWORD error, bytes;
    ULONG_PTR key;
    LPOVERLAPPED ov;
} packet;

static packet dequeue(HANDLE port, DWORD wait_ms)
{
    packet p = {.bytes = 0xdeadbeef, .key = 0xdeadbeef, .ov = (LPOVERLAPPED)0xdeadbeef};
    SetLastError(0xdeadbeef);
    p.ok = GetQueuedCompletionStatus(port, &p.bytes, &p.key, &p.ov, wait_ms);
    p.error = p.ok ? 0 : GetLastError();
    return p;
}

/* Nothing more arrives: a late duplicate would come well within this. */
static void assert_no_packet(HANDLE port)
{
    packet p = dequeue(port, 300);
    assert_false(p.ok);
    assert_int_equal(p.error, WAIT_TIMEOUT);
    assert_null(p.ov);
}

static HANDLE port_for(SOCKET s, ULONG_PTR key)
{
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, key, 0);
    assert_non_null(port);
    return port;
}

/* A receive into buf that stays pending (ov zeroed here). */
static void recv_pending(SOCKET s, WSABUF *buf, WSAOVERLAPPED *ov)
{
    memset(ov, 0, sizeof *ov);
    DWORD got = 0, flags = 0;
    assert_int_equal(WSARecv(s, buf, 1, &got, &flags, ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
}

static void *extension(SOCKET s, GUID id)
{
    void *fn = NULL;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &fn, sizeof fn, &got, NULL, NULL),
                     0);
    assert_non_null(fn);
    return fn;
}

static void send_and_receive_complete_to_the_port(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    HANDLE port = port_for(s, KEY_A);
    assert_true(CreateIoCompletionPort((HANDLE)c, port, KEY_B, 0) == port);
    char in[32] = {0};
    WSABUF rb = {sizeof in, in};
    WSAOVERLAPPED rov, sov;
    memset(&sov, 0, sizeof sov);
    recv_pending(s, &rb, &rov);
    assert_no_packet(port); /* nothing before the data */
    WSABUF sb = {11, (char *)"overlapped!"};
    DWORD sent = 0;
    int r = WSASend(c, &sb, 1, &sent, 0, &sov, NULL);
    assert_true(r == 0 || WSAGetLastError() == WSA_IO_PENDING);
    /* Two packets, one per request, in either order. */
    bool seen_send = false, seen_recv = false;
    for (int i = 0; i < 2; i++) {
        packet p = dequeue(port, 5000);
        assert_true(p.ok);
        assert_int_equal(p.bytes, 11);
        if (p.ov == &sov) {
            assert_false(seen_send);
            assert_int_equal(p.key, KEY_B);
            seen_send = true;
        } else {
            assert_ptr_equal(p.ov, &rov);
            assert_false(seen_recv);
            assert_int_equal(p.key, KEY_A);
            seen_recv = true;
        }
    }
    assert_memory_equal(in, "overlapped!", 11);
    assert_int_equal(rov.Internal, 0);
    assert_int_equal(rov.InternalHigh, 11);
    assert_no_packet(port);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}

/* A request the lower provider finishes at once is still posted (no skip
 * mode set), as ws2_32 posts its own. */
static void immediate_completion_is_posted_once(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET6, &c, &s);
    HANDLE port = port_for(s, KEY_A);
    assert_int_equal(send(c, "ready", 5, 0), 5);
    Sleep(100); /* the data is there before the receive is asked for */
    char in[8];
    WSABUF rb = {sizeof in, in};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    DWORD got = 0, flags = 0;
    assert_int_equal(WSARecv(s, &rb, 1, &got, &flags, &ov, NULL), 0);
    assert_int_equal(got, 5);
    packet p = dequeue(port, 5000);
    assert_true(p.ok);
    assert_int_equal(p.bytes, 5);
    assert_int_equal(p.key, KEY_A);
    assert_ptr_equal(p.ov, &ov);
    assert_no_packet(port);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}

/* A connection reset while a receive is pending: GetQueuedCompletionStatus
 * fails with ERROR_NETNAME_DELETED, as Wine's own sockets report it. */
static void reset_reaches_the_port_as_an_error(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    HANDLE port = port_for(s, KEY_A);
    char in[8];
    WSABUF rb = {sizeof in, in};
    WSAOVERLAPPED ov;
    recv_pending(s, &rb, &ov);
    struct linger abortive = {1, 0};
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_LINGER, (char *)&abortive, sizeof abortive), 0);
    assert_int_equal(closesocket(c), 0);
    packet p = dequeue(port, 5000);
    assert_false(p.ok);
    assert_int_equal(p.error, ERROR_NETNAME_DELETED);
    assert_int_equal(p.bytes, 0);
    assert_int_equal(p.key, KEY_A);
    assert_ptr_equal(p.ov, &ov);
    assert_int_equal(ov.Internal, 0xc000020d); /* STATUS_CONNECTION_RESET */
    assert_no_packet(port);
    closesocket(s);
    CloseHandle(port);
}

/* closesocket with a receive pending: the receive completes to the port
 * once, with ERROR_OPERATION_ABORTED. ShareLSP keeps the closed socket's
 * handle open until the aborted request has completed through it (before,
 * the handle was gone first and no packet arrived). */
static void close_aborts_a_pending_receive(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    HANDLE port = port_for(s, KEY_A);
    char in[8];
    WSABUF rb = {sizeof in, in};
    WSAOVERLAPPED ov;
    recv_pending(s, &rb, &ov);
    assert_int_equal(closesocket(s), 0);
    packet p = dequeue(port, 5000);
    assert_false(p.ok);
    assert_int_equal(p.error, ERROR_OPERATION_ABORTED);
    assert_int_equal(p.key, KEY_A);
    assert_ptr_equal(p.ov, &ov);
    assert_int_equal(ov.Internal, 0xc0000120); /* STATUS_CANCELLED */
    assert_no_packet(port);
    closesocket(c);
    CloseHandle(port);
}

static void accept_ex_and_connect_ex_complete_to_their_ports(void **state)
{
    (void)state;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof addr;
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(bind(l, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(listen(l, 4), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&addr, &len), 0);
    HANDLE port = port_for(l, KEY_A);
    LPFN_ACCEPTEX accept_ex = (LPFN_ACCEPTEX)extension(l, (GUID)WSAID_ACCEPTEX);
    SOCKET a = socket(AF_INET, SOCK_STREAM, 0);
    enum { ADDR_SPACE = sizeof(struct sockaddr_in) + 16 }; /* AcceptEx's rule */
    char buf[4 + 2 * ADDR_SPACE];
    WSAOVERLAPPED aov;
    memset(&aov, 0, sizeof aov);
    DWORD bytes = 0;
    /* Waits for a connection and its first 4 bytes. */
    assert_false(accept_ex(l, a, buf, 4, ADDR_SPACE, ADDR_SPACE, &bytes, &aov));
    assert_int_equal(WSAGetLastError(), ERROR_IO_PENDING);

    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = {.sin_family = AF_INET};
    assert_int_equal(bind(c, (struct sockaddr *)&any, sizeof any), 0); /* ConnectEx's rule */
    assert_true(CreateIoCompletionPort((HANDLE)c, port, KEY_B, 0) == port);
    LPFN_CONNECTEX connect_ex = (LPFN_CONNECTEX)extension(c, (GUID)WSAID_CONNECTEX);
    WSAOVERLAPPED cov;
    memset(&cov, 0, sizeof cov);
    DWORD sent = 0;
    BOOL done = connect_ex(c, (struct sockaddr *)&addr, len, (void *)"data", 4, &sent, &cov);
    assert_true(done || WSAGetLastError() == ERROR_IO_PENDING);
    bool seen_accept = false, seen_connect = false;
    for (int i = 0; i < 2; i++) {
        packet p = dequeue(port, 5000);
        assert_true(p.ok);
        assert_int_equal(p.bytes, 4);
        if (p.ov == &cov) {
            assert_false(seen_connect);
            assert_int_equal(p.key, KEY_B);
            seen_connect = true;
        } else {
            assert_ptr_equal(p.ov, &aov);
            assert_false(seen_accept);
            assert_int_equal(p.key, KEY_A);
            seen_accept = true;
        }
    }
    assert_memory_equal(buf, "data", 4);
    assert_no_packet(port);
    closesocket(c);
    closesocket(a);
    closesocket(l);
    CloseHandle(port);
}

/* A socket duplicated into this process: each descriptor's requests go to
 * the port that descriptor was associated with, and only there. */
static void duplicates_use_their_own_ports(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
    SOCKET d = spi_use_info(&info);
    assert_true(d != INVALID_SOCKET && d != s);
    HANDLE port_s = port_for(s, KEY_A);
    HANDLE port_d = port_for(d, KEY_B);
    char in_s[1], in_d[1];
    WSABUF bs = {1, in_s}, bd = {1, in_d};
    WSAOVERLAPPED os, od;
    recv_pending(s, &bs, &os);
    recv_pending(d, &bd, &od);
    assert_int_equal(send(c, "xy", 2, 0), 2);
    packet ps = dequeue(port_s, 5000), pd = dequeue(port_d, 5000);
    assert_true(ps.ok);
    assert_int_equal(ps.key, KEY_A);
    assert_ptr_equal(ps.ov, &os);
    assert_int_equal(ps.bytes, 1);
    assert_true(pd.ok);
    assert_int_equal(pd.key, KEY_B);
    assert_ptr_equal(pd.ov, &od);
    assert_int_equal(pd.bytes, 1);
    assert_true((in_s[0] == 'x' && in_d[0] == 'y') || (in_s[0] == 'y' && in_d[0] == 'x'));
    assert_no_packet(port_s);
    assert_no_packet(port_d);
    closesocket(d);
    closesocket(s);
    closesocket(c);
    CloseHandle(port_s);
    CloseHandle(port_d);
}

/* The child of duplicates_in_two_processes_use_their_own_ports: opens the
 * duplicate from the pipe, binds it to a port of its own, receives one byte
 * through it, and reports what its port got. */
static int child_receive_on_own_port(DWORD parent)
{
    HANDLE pipe = INVALID_HANDLE_VALUE;
    WSAPROTOCOL_INFOW info;
    DWORD got = 0;
    if (!spi_child_pipe(parent, &pipe) || !ReadFile(pipe, &info, sizeof info, &got, NULL) || got != sizeof info)
        return 2;
    SOCKET d = spi_use_info(&info);
    HANDLE port = d != INVALID_SOCKET ? CreateIoCompletionPort((HANDLE)d, NULL, KEY_C, 0) : NULL;
    if (port == NULL)
        return 3;
    char in[1];
    WSABUF b = {1, in};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    DWORD flags = 0;
    if (WSARecv(d, &b, 1, &got, &flags, &ov, NULL) != SOCKET_ERROR || WSAGetLastError() != WSA_IO_PENDING)
        return 4;
    char ready = 'r';
    if (!WriteFile(pipe, &ready, 1, &got, NULL))
        return 5;
    /* The parent closes its descriptor with a receive of its own pending:
     * that ends its request, not this one, which gets the byte sent after. */
    packet p = dequeue(port, 5000);
    /* One packet, the child's own key and OVERLAPPED, one byte; nothing else. */
    if (!p.ok || p.key != KEY_C || p.ov != &ov || p.bytes != 1)
        return 6;
    packet more = dequeue(port, 300);
    if (more.ok || more.error != WAIT_TIMEOUT)
        return 7;
    if (!WriteFile(pipe, in, 1, &got, NULL))
        return 8;
    closesocket(d);
    CloseHandle(port);
    CloseHandle(pipe);
    return 0;
}

/* Descriptors of one socket in two processes: each process binds its own to
 * a port of its own, and each request completes to its own process's port
 * (on Windows the handles of one socket share one file object, which one
 * port only can have: ShareLSP's descriptors are handles of their own). The
 * last close in one process aborts that process's requests only. */
static void duplicates_in_two_processes_use_their_own_ports(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("port-child", 0, &pi, &pipe);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info), 0);
    DWORD got = 0;
    assert_true(WriteFile(pipe, &info, sizeof info, &got, NULL));
    char ready = 0;
    assert_true(ReadFile(pipe, &ready, 1, &got, NULL));
    assert_int_equal(ready, 'r');
    HANDLE port = port_for(s, KEY_A);
    char in[1];
    WSABUF b = {1, in};
    WSAOVERLAPPED ov;
    recv_pending(s, &b, &ov);
    /* This process's last descriptor closes: its request ends, aborted, on
     * its port; the child's stays pending. */
    assert_int_equal(closesocket(s), 0);
    packet p = dequeue(port, 5000);
    assert_false(p.ok);
    assert_int_equal(p.error, ERROR_OPERATION_ABORTED);
    assert_int_equal(p.key, KEY_A);
    assert_ptr_equal(p.ov, &ov);
    assert_int_equal(p.bytes, 0);
    assert_int_equal(send(c, "z", 1, 0), 1);
    char theirs = 0;
    assert_true(ReadFile(pipe, &theirs, 1, &got, NULL));
    assert_int_equal(theirs, 'z');
    assert_int_equal(spi_child_wait(&pi, pipe), 0);
    assert_no_packet(port);
    CloseHandle(port);
    closesocket(c);
}

/* SetFileCompletionNotificationModes: Windows documents
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS on a socket as compatible only with
 * providers that return IFS handles, and says to detect a non-IFS one by
 * XP1_IFS_HANDLES clear. ShareLSP's entries say so; the call succeeds, and
 * a request that succeeds at once is still posted: a program that set the
 * flag regardless sees the packet as well as the immediate result. */
static void skip_on_success_is_not_for_non_ifs_sockets(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    WSAPROTOCOL_INFOW info;
    int len = sizeof info;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
    assert_int_equal(info.dwServiceFlags1 & XP1_IFS_HANDLES, 0);
    HANDLE port = port_for(s, KEY_C);
    assert_true(SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS |
                                                                  FILE_SKIP_SET_EVENT_ON_HANDLE));
    assert_int_equal(send(c, "now", 3, 0), 3);
    Sleep(100);
    char in[8];
    WSABUF rb = {sizeof in, in};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    DWORD got = 0, flags = 0;
    assert_int_equal(WSARecv(s, &rb, 1, &got, &flags, &ov, NULL), 0);
    assert_int_equal(got, 3);
    packet p = dequeue(port, 5000);
    assert_true(p.ok);
    assert_int_equal(p.bytes, 3);
    assert_int_equal(p.key, KEY_C);
    assert_ptr_equal(p.ov, &ov);
    assert_no_packet(port);
    /* A pending request is posted, as with any provider. */
    recv_pending(s, &rb, &ov);
    assert_int_equal(send(c, "later", 5, 0), 5);
    p = dequeue(port, 5000);
    assert_true(p.ok);
    assert_int_equal(p.bytes, 5);
    assert_ptr_equal(p.ov, &ov);
    assert_no_packet(port);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "port-child") == 0)
        return child_receive_on_own_port((DWORD)strtoul(argv[2], NULL, 10));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(send_and_receive_complete_to_the_port),
        cmocka_unit_test(immediate_completion_is_posted_once),
        cmocka_unit_test(reset_reaches_the_port_as_an_error),
        cmocka_unit_test(close_aborts_a_pending_receive),
        cmocka_unit_test(accept_ex_and_connect_ex_complete_to_their_ports),
        cmocka_unit_test(duplicates_use_their_own_ports),
        cmocka_unit_test(duplicates_in_two_processes_use_their_own_ports),
        cmocka_unit_test(skip_on_success_is_not_for_non_ifs_sockets),
    };
    return cmocka_run_group_tests(tests, spi_start, spi_stop);
}

/* A completion-port program as servers are written: an echo server whose
 * worker threads take every completion (AcceptEx, WSARecv, WSASend) from one
 * port, serving several clients at once; then the results a port reports
 * for a reset connection and for a close with a receive pending. Each
 * request must complete exactly once, with its key, its OVERLAPPED and its
 * byte count. */
#include "conformance.h"

#include <mswsock.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum {
    WORKERS = 4,
    CLIENTS = 64,
    ROUNDS = 20,
    MESSAGE = 1000,
    ADDR_SPACE = sizeof(struct sockaddr_in) + 16, /* AcceptEx: address length + 16 */
};
enum { KEY_LISTENER = 1, KEY_QUIT = 2, KEY_CONNECTION = 0x100 }; /* connection i: KEY_CONNECTION + i */

typedef enum { OP_NONE, OP_ACCEPT, OP_RECV, OP_SEND } op_kind;

/* One server connection: its socket, its one request at a time (an echo
 * server never has two on one connection), and what it echoed. */
typedef struct {
    SOCKET s;
    WSAOVERLAPPED ov;
    volatile LONG in_flight; /* 1 while ov's request runs: a second completion is a failure */
    op_kind op;
    char buf[4096];
    char accept_buf[2 * ADDR_SPACE];
    DWORD to_send, sent;
    LONGLONG echoed;
    volatile LONG closed;
} connection;

static struct {
    HANDLE port;
    SOCKET listener;
    LPFN_ACCEPTEX accept_ex;
    connection conns[CLIENTS];
    volatile LONG failures, duplicates, closed, completions;
    struct sockaddr_storage addr;
    int addrlen;
} server;

static void note_failure(const char *what, DWORD error)
{
    fprintf(stderr, "conf_ports: %s (error %lu)\n", what, error);
    InterlockedIncrement(&server.failures);
}

static void start_recv(connection *c)
{
    memset(&c->ov, 0, sizeof c->ov);
    c->op = OP_RECV;
    InterlockedExchange(&c->in_flight, 1);
    WSABUF b = {sizeof c->buf, c->buf};
    DWORD got = 0, flags = 0;
    if (WSARecv(c->s, &b, 1, &got, &flags, &c->ov, NULL) != 0 && WSAGetLastError() != WSA_IO_PENDING)
        note_failure("WSARecv", (DWORD)WSAGetLastError());
    /* Done at once or not: the completion comes through the port. */
}

static void start_send(connection *c)
{
    memset(&c->ov, 0, sizeof c->ov);
    c->op = OP_SEND;
    InterlockedExchange(&c->in_flight, 1);
    WSABUF b = {c->to_send - c->sent, c->buf + c->sent};
    DWORD sent = 0;
    if (WSASend(c->s, &b, 1, &sent, 0, &c->ov, NULL) != 0 && WSAGetLastError() != WSA_IO_PENDING)
        note_failure("WSASend", (DWORD)WSAGetLastError());
}

static void start_accept(connection *c)
{
    c->s = socket(server.addr.ss_family, SOCK_STREAM, IPPROTO_TCP);
    if (c->s == INVALID_SOCKET) {
        note_failure("socket", (DWORD)WSAGetLastError());
        return;
    }
    memset(&c->ov, 0, sizeof c->ov);
    c->op = OP_ACCEPT;
    InterlockedExchange(&c->in_flight, 1);
    DWORD bytes = 0;
    if (!server.accept_ex(server.listener, c->s, c->accept_buf, 0, ADDR_SPACE, ADDR_SPACE, &bytes, &c->ov) &&
        WSAGetLastError() != ERROR_IO_PENDING)
        note_failure("AcceptEx", (DWORD)WSAGetLastError());
}

static void completed(connection *c, BOOL ok, DWORD bytes, ULONG_PTR key)
{
    if (InterlockedExchange(&c->in_flight, 0) != 1) {
        InterlockedIncrement(&server.duplicates);
        return;
    }
    InterlockedIncrement(&server.completions);
    if (!ok) {
        note_failure("a request failed", GetLastError());
        return;
    }
    switch (c->op) {
    case OP_ACCEPT:
        if (key != KEY_LISTENER)
            note_failure("AcceptEx completed with another key", (DWORD)key);
        if (setsockopt(c->s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&server.listener,
                       sizeof server.listener) != 0)
            note_failure("SO_UPDATE_ACCEPT_CONTEXT", (DWORD)WSAGetLastError());
        if (CreateIoCompletionPort((HANDLE)c->s, server.port, KEY_CONNECTION + (ULONG_PTR)(c - server.conns), 0) !=
            server.port)
            note_failure("CreateIoCompletionPort on an accepted socket", GetLastError());
        start_recv(c);
        break;
    case OP_RECV:
        if (key != KEY_CONNECTION + (ULONG_PTR)(c - server.conns))
            note_failure("WSARecv completed with another key", (DWORD)key);
        if (bytes == 0) { /* the client is done */
            closesocket(c->s);
            InterlockedExchange(&c->closed, 1);
            InterlockedIncrement(&server.closed);
            break;
        }
        c->to_send = bytes;
        c->sent = 0;
        start_send(c);
        break;
    case OP_SEND:
        c->sent += bytes;
        c->echoed += bytes;
        if (c->sent < c->to_send)
            start_send(c);
        else
            start_recv(c);
        break;
    default:
        note_failure("a completion of no request", 0);
    }
}

static DWORD WINAPI worker(void *arg)
{
    (void)arg;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ov = NULL;
        BOOL ok = GetQueuedCompletionStatus(server.port, &bytes, &key, &ov, 30000);
        if (ov == NULL) {
            if (!ok || key != KEY_QUIT)
                note_failure("GetQueuedCompletionStatus without a packet", GetLastError());
            return 0;
        }
        connection *c = (connection *)((char *)ov - offsetof(connection, ov));
        if (c < server.conns || c >= server.conns + CLIENTS) {
            note_failure("a packet with an OVERLAPPED of nobody's", 0);
            continue;
        }
        completed(c, ok, bytes, key);
    }
}

static DWORD WINAPI client(void *arg)
{
    int id = (int)(INT_PTR)arg;
    SOCKET s = socket(server.addr.ss_family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET || connect(s, (struct sockaddr *)&server.addr, server.addrlen) != 0) {
        note_failure("client connect", (DWORD)WSAGetLastError());
        return 1;
    }
    char out[MESSAGE], in[MESSAGE];
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < MESSAGE; i++)
            out[i] = (char)(id * 31 + round * 7 + i);
        for (int done = 0; done < MESSAGE;) {
            int n = send(s, out + done, MESSAGE - done, 0);
            if (n <= 0) {
                note_failure("client send", (DWORD)WSAGetLastError());
                return 1;
            }
            done += n;
        }
        for (int done = 0; done < MESSAGE;) {
            int n = recv(s, in + done, MESSAGE - done, 0);
            if (n <= 0) {
                note_failure("client recv", (DWORD)WSAGetLastError());
                return 1;
            }
            done += n;
        }
        if (memcmp(in, out, MESSAGE) != 0)
            note_failure("the echo differs", (DWORD)round);
    }
    shutdown(s, SD_SEND);
    char rest;
    if (recv(s, &rest, 1, 0) != 0) /* the server closes after our end */
        note_failure("client: the server did not close", (DWORD)WSAGetLastError());
    closesocket(s);
    return 0;
}

static void echo_server_on_a_port(void **state)
{
    (void)state;
    memset(&server, 0, sizeof server);
    server.listener = conf_listener(AF_INET, &server.addr, &server.addrlen);
    server.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, WORKERS);
    assert_non_null(server.port);
    assert_true(CreateIoCompletionPort((HANDLE)server.listener, server.port, KEY_LISTENER, 0) == server.port);
    GUID id = WSAID_ACCEPTEX;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(server.listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &server.accept_ex,
                              sizeof server.accept_ex, &got, NULL, NULL),
                     0);
    /* One AcceptEx per client, all pending on the listener at once. */
    for (int i = 0; i < CLIENTS; i++)
        start_accept(&server.conns[i]);
    HANDLE workers[WORKERS], clients[CLIENTS];
    for (int i = 0; i < WORKERS; i++)
        workers[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    for (int i = 0; i < CLIENTS; i++)
        clients[i] = CreateThread(NULL, 0, client, (void *)(INT_PTR)i, 0, NULL);
    assert_int_equal(WaitForMultipleObjects(CLIENTS, clients, TRUE, 60000), WAIT_OBJECT_0);
    for (int i = 0; i < WORKERS; i++)
        assert_true(PostQueuedCompletionStatus(server.port, 0, KEY_QUIT, NULL));
    assert_int_equal(WaitForMultipleObjects(WORKERS, workers, TRUE, 60000), WAIT_OBJECT_0);
    assert_int_equal(server.failures, 0);
    assert_int_equal(server.duplicates, 0);
    assert_int_equal(server.closed, CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
        assert_int_equal(server.conns[i].echoed, (LONGLONG)ROUNDS * MESSAGE);
        assert_int_equal(server.conns[i].in_flight, 0);
    }
    /* Every request completed once and nothing else arrived: the port is empty. */
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED ov = NULL;
    assert_false(GetQueuedCompletionStatus(server.port, &bytes, &key, &ov, 300));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    for (int i = 0; i < CLIENTS; i++)
        CloseHandle(clients[i]);
    for (int i = 0; i < WORKERS; i++)
        CloseHandle(workers[i]);
    closesocket(server.listener);
    CloseHandle(server.port);
}

static void pending_recv(SOCKET s, WSAOVERLAPPED *ov, char *buf, int len)
{
    memset(ov, 0, sizeof *ov);
    WSABUF b = {(ULONG)len, buf};
    DWORD got = 0, flags = 0;
    assert_int_equal(WSARecv(s, &b, 1, &got, &flags, ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
}

/* A reset connection: the pending receive's packet fails with
 * ERROR_NETNAME_DELETED, Internal STATUS_CONNECTION_RESET. */
static void reset_connection_on_a_port(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 0x5e, 0);
    assert_non_null(port);
    char buf[8];
    WSAOVERLAPPED ov;
    pending_recv(s, &ov, buf, sizeof buf);
    struct linger abortive = {1, 0};
    assert_int_equal(setsockopt(c, SOL_SOCKET, SO_LINGER, (char *)&abortive, sizeof abortive), 0);
    assert_int_equal(closesocket(c), 0);
    DWORD bytes = 1;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    assert_int_equal(GetLastError(), ERROR_NETNAME_DELETED);
    assert_ptr_equal(got, &ov);
    assert_int_equal(key, 0x5e);
    assert_int_equal(bytes, 0);
    assert_int_equal(ov.Internal, 0xc000020d); /* STATUS_CONNECTION_RESET */
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 300));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    closesocket(s);
    CloseHandle(port);
}

/* closesocket with a receive pending: exactly one packet, with the key, the
 * OVERLAPPED, no bytes and the error the provider gives an aborted request.
 * Wine's own sockets (Wine's ws2_32, and wspbase over it) give
 * STATUS_HANDLES_CLOSED, ERROR_HANDLES_CLOSED; Windows' own give
 * ERROR_CONNECTION_ABORTED (Wine's sock.c, iocp_async_read_closesocket,
 * marks the difference todo_wine). A layered provider completes the request
 * with WSA_OPERATION_ABORTED, as WSPCloseSocket's contract says:
 * STATUS_CANCELLED, ERROR_OPERATION_ABORTED. */
static void close_with_a_receive_pending(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    WSAPROTOCOL_INFOW info;
    int len = sizeof info;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
    bool layered = (info.dwServiceFlags1 & XP1_IFS_HANDLES) == 0; /* ShareLSP: the only non-IFS provider here */
    DWORD expected_error = layered ? ERROR_OPERATION_ABORTED : 676 /* ERROR_HANDLES_CLOSED, not in mingw's winerror.h */;
    DWORD expected_status = layered ? 0xc0000120 /* STATUS_CANCELLED */ : 0x8000000a /* STATUS_HANDLES_CLOSED */;
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 0xc1, 0);
    assert_non_null(port);
    char buf[8];
    WSAOVERLAPPED ov;
    pending_recv(s, &ov, buf, sizeof buf);
    assert_int_equal(closesocket(s), 0);
    DWORD bytes = 1;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    assert_int_equal(GetLastError(), expected_error);
    assert_ptr_equal(got, &ov);
    assert_int_equal(key, 0xc1);
    assert_int_equal(bytes, 0);
    assert_int_equal(ov.Internal, expected_status);
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 300));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    closesocket(c);
    CloseHandle(port);
}

typedef struct {
    SOCKET s;
    WSAOVERLAPPED ov;
    char buf[16];
} thread_recv;

static DWORD WINAPI start_recv_and_exit(void *arg)
{
    thread_recv *t = arg;
    pending_recv(t->s, &t->ov, t->buf, sizeof t->buf);
    return 0;
}

/* A receive started on a socket that posts to a port, by a thread that then
 * exits, is not cancelled with the thread (Windows cancels a thread's other
 * requests at its exit): the data sent later completes it on the port
 * (sock.c test_iocp, the wsa_recv_thread cases). */
static void receive_outlives_its_thread(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 0x7e, 0);
    assert_non_null(port);
    thread_recv t = {.s = s};
    HANDLE thread = CreateThread(NULL, 0, start_recv_and_exit, &t, 0, NULL);
    assert_non_null(thread);
    assert_int_equal(WaitForSingleObject(thread, 10000), WAIT_OBJECT_0);
    CloseHandle(thread);
    DWORD bytes = 1;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 200));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    conf_send_all(c, "thread gone", 11);
    assert_true(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    assert_ptr_equal(got, &t.ov);
    assert_int_equal(key, 0x7e);
    assert_int_equal(bytes, 11);
    assert_int_equal(t.ov.Internal, 0);
    assert_memory_equal(t.buf, "thread gone", 11);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}

static void CALLBACK never_called(DWORD error, DWORD bytes, LPWSAOVERLAPPED overlapped, DWORD flags)
{
    (void)error;
    (void)bytes;
    (void)overlapped;
    (void)flags;
    fail_msg("a routine ran for a socket that posts to a port");
}

/* A socket associated with a port takes no completion routine: WSAEINVAL,
 * nothing started (sock.c test_WSARecv). */
static void routine_on_a_port_socket_is_refused(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 7, 0);
    assert_non_null(port);
    char buf[4];
    WSABUF b = {sizeof buf, buf};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    DWORD flags = 0;
    assert_int_equal(WSARecv(s, &b, 1, NULL, &flags, &ov, never_called), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(WSASend(s, &b, 1, NULL, 0, &ov, never_called), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    /* Nothing was started: the data sent now is still there to read. */
    conf_send_all(c, "abcd", 4);
    assert_int_equal(SleepEx(100, TRUE), 0);
    conf_recv_exact(s, buf, 4);
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    assert_false(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
    assert_int_equal(GetLastError(), WAIT_TIMEOUT);
    CloseHandle(port);
    closesocket(c);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(echo_server_on_a_port),
        cmocka_unit_test(reset_connection_on_a_port),
        cmocka_unit_test(close_with_a_receive_pending),
        cmocka_unit_test(receive_outlives_its_thread),
        cmocka_unit_test(routine_on_a_port_socket_is_refused),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

/* bench_chain's operations, each timed over n calls on one fixture. What
 * a call leaves behind over wspbase (bytes queued) is cleared outside the
 * timed part, so every round starts alike. */
#include "bench_chain.h"

#include <stdio.h>
#include <string.h>

#include "bench_clock.h"

SOCKET bench_socket(const WSAPROTOCOL_INFOW *info)
{
    return WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, (WSAPROTOCOL_INFOW *)info, 0,
                      WSA_FLAG_OVERLAPPED);
}

int bench_fixture_open(bench_fixture *f, const WSAPROTOCOL_INFOW *info, bool null, const SOCKET *select_set)
{
    memset(f, 0, sizeof *f);
    f->info = info;
    f->null = null;
    f->select_set = select_set;
    f->spare = bench_socket(info);
    f->sender = bench_socket(info);
    f->event = WSACreateEvent();
    if (null) {
        f->receiver = f->sender;
    } else {
        struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int len = sizeof addr;
        SOCKET l = bench_socket(info);
        bind(l, (struct sockaddr *)&addr, len);
        listen(l, 1);
        getsockname(l, (struct sockaddr *)&addr, &len);
        connect(f->sender, (struct sockaddr *)&addr, len);
        f->receiver = accept(l, NULL, NULL);
        closesocket(l);
    }
    return f->spare == INVALID_SOCKET || f->sender == INVALID_SOCKET || f->receiver == INVALID_SOCKET ||
           f->event == WSA_INVALID_EVENT;
}

void bench_fixture_close(bench_fixture *f)
{
    closesocket(f->spare);
    closesocket(f->sender);
    if (f->receiver != f->sender)
        closesocket(f->receiver);
    WSACloseEvent(f->event);
}

static uint64_t bench_failed(const char *what)
{
    printf("%s failed: %d\n", what, WSAGetLastError());
    return 0;
}

/* Over wspbase: takes the n bytes the timed part sent off the receiver. */
static void bench_drain(bench_fixture *f, int n)
{
    char buffer[4096];
    for (int got = 0; !f->null && got < n;) {
        int r = recv(f->receiver, buffer, sizeof buffer, 0);
        if (r <= 0)
            break;
        got += r;
    }
}

static uint64_t bench_send(bench_fixture *f, int n)
{
    char b = 'x';
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < n; i++) {
        if (send(f->sender, &b, 1, 0) != 1)
            return bench_failed("send");
    }
    uint64_t ns = bench_now_ns() - t0;
    bench_drain(f, n);
    return ns;
}

static uint64_t bench_recv(bench_fixture *f, int n)
{
    char b[1];
    if (!f->null) {
        /* Queued first, so every timed receive returns at once. */
        char queued[4096] = {0};
        if (send(f->sender, queued, n, 0) != n)
            return bench_failed("send before recv");
    }
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < n; i++) {
        if (recv(f->receiver, b, 1, 0) != 1)
            return bench_failed("recv");
    }
    return bench_now_ns() - t0;
}

static uint64_t bench_send_overlapped(bench_fixture *f, int n)
{
    char b = 'x';
    WSABUF buffer = {1, &b};
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < n; i++) {
        WSAOVERLAPPED ov = {.hEvent = f->event};
        DWORD bytes = 0, flags = 0;
        int r = WSASend(f->sender, &buffer, 1, &bytes, 0, &ov, NULL);
        if ((r != 0 && WSAGetLastError() != WSA_IO_PENDING) ||
            !WSAGetOverlappedResult(f->sender, &ov, &bytes, TRUE, &flags) || bytes != 1)
            return bench_failed("WSASend overlapped");
    }
    uint64_t ns = bench_now_ns() - t0;
    bench_drain(f, n);
    return ns;
}

static uint64_t bench_open_close(bench_fixture *f, int n)
{
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < n; i++) {
        SOCKET s = bench_socket(f->info);
        if (s == INVALID_SOCKET)
            return bench_failed("socket (of socket + closesocket)");
        if (closesocket(s) != 0)
            return bench_failed("closesocket (of socket + closesocket)");
    }
    return bench_now_ns() - t0;
}

static uint64_t bench_setsockopt(bench_fixture *f, int n)
{
    int size = 65536;
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < n; i++) {
        if (setsockopt(f->spare, SOL_SOCKET, SO_RCVBUF, (const char *)&size, sizeof size) != 0)
            return bench_failed("setsockopt");
    }
    return bench_now_ns() - t0;
}

static uint64_t bench_getsockopt(bench_fixture *f, int n)
{
    int size = 0, len = sizeof size;
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < n; i++) {
        if (getsockopt(f->spare, SOL_SOCKET, SO_RCVBUF, (char *)&size, &len) != 0)
            return bench_failed("getsockopt");
    }
    return bench_now_ns() - t0;
}

static uint64_t bench_event_select(bench_fixture *f, int n)
{
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < n; i++) {
        if (WSAEventSelect(f->spare, f->event, FD_READ) != 0)
            return bench_failed("WSAEventSelect");
    }
    return bench_now_ns() - t0;
}

static uint64_t bench_duplicate(bench_fixture *f, int n)
{
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < n; i++) {
        WSAPROTOCOL_INFOW info;
        if (WSADuplicateSocketW(f->spare, GetCurrentProcessId(), &info) != 0 ||
            closesocket(WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                                   WSA_FLAG_OVERLAPPED)) != 0)
            return bench_failed("WSADuplicateSocket + WSASocket");
    }
    return bench_now_ns() - t0;
}

/* The set is filled again before each call, as a program must: select
 * rewrites it. The copy costs the same with and without ShareLSP. */
static uint64_t bench_select(bench_fixture *f, int n, u_int count)
{
    struct {
        u_int fd_count;
        SOCKET fd_array[BENCH_SELECT_MAX];
    } set;
    struct timeval now = {0, 0};
    uint64_t t0 = bench_now_ns();
    for (int i = 0; i < n; i++) {
        set.fd_count = count;
        memcpy(set.fd_array, f->select_set, count * sizeof(SOCKET));
        if (select(0, (fd_set *)&set, NULL, NULL, &now) == SOCKET_ERROR)
            return bench_failed("select");
    }
    return bench_now_ns() - t0;
}

static uint64_t bench_select_10(bench_fixture *f, int n) { return bench_select(f, n, 10); }
static uint64_t bench_select_100(bench_fixture *f, int n) { return bench_select(f, n, 100); }
static uint64_t bench_select_1000(bench_fixture *f, int n) { return bench_select(f, n, 1000); }

/* Iterations: about 10-30 ms a round each way on this machine. */
const bench_op bench_ops[] = {
    {"send (1 byte)", 0, true, {20000, 300}, bench_send},
    {"recv (1 byte)", 0, true, {20000, 300}, bench_recv},
    {"WSASend overlapped + result", 0, false, {500, 200}, bench_send_overlapped},
    {"socket + closesocket", 0, false, {500, 100}, bench_open_close},
    {"setsockopt(SO_RCVBUF)", 0, true, {20000, 300}, bench_setsockopt},
    {"getsockopt(SO_RCVBUF)", 0, true, {20000, 300}, bench_getsockopt},
    {"WSAEventSelect", 0, false, {5000, 300}, bench_event_select},
    {"WSADuplicateSocket+WSASocket+close", 0, false, {300, 100}, bench_duplicate},
    {"select, 10 sockets", 10, false, {5000, 300}, bench_select_10},
    {"select, 100 sockets", 100, false, {2000, 100}, bench_select_100},
    {"select, 1000 sockets", 1000, false, {200, 20}, bench_select_1000},
};
const int bench_op_count = (int)(sizeof bench_ops / sizeof bench_ops[0]);

/* bench_chain's check of nullbase, alone and under ShareLSP, before any
 * figure: a base provider that did not answer as documented would make
 * every figure over it meaningless. */
#include "bench_chain.h"

#include <stdio.h>

#include "nullbase/nullbase.h"

static int bench_expect(bool ok, const char *what, int variant)
{
    if (!ok)
        printf("nullbase check failed (%s): %s\n", variant == BENCH_LAYERED ? "ShareLSP over it" : "alone", what);
    return ok ? 0 : 1;
}

static int bench_check_variant(const WSAPROTOCOL_INFOW *info, int v)
{
    SOCKET s = bench_socket(info), others[2] = {bench_socket(info), bench_socket(info)};
    WSAEVENT event = WSACreateEvent();
    char buffer[100] = {0};
    int failed = bench_expect(s != INVALID_SOCKET && others[0] != INVALID_SOCKET && others[1] != INVALID_SOCKET,
                              "socket", v);
    failed += bench_expect(send(s, buffer, 10, 0) == 10, "send reports every byte", v);
    failed += bench_expect(recv(s, buffer, sizeof buffer, 0) == NULLBASE_RECV_BYTES, "recv reports 64 bytes", v);
    WSABUF b = {5, buffer};
    WSAOVERLAPPED ov = {.hEvent = event};
    DWORD bytes = 0, flags = 0;
    failed += bench_expect(WSASend(s, &b, 1, &bytes, 0, &ov, NULL) == 0 && bytes == 5, "WSASend done at once", v);
    failed += bench_expect(WaitForSingleObject(event, 1000) == WAIT_OBJECT_0, "WSASend signals its event", v);
    bytes = 0;
    failed += bench_expect(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags) && bytes == 5,
                           "WSAGetOverlappedResult reports it", v);
    fd_set readable, writable;
    FD_ZERO(&readable);
    FD_SET(s, &readable);
    FD_SET(others[0], &readable);
    FD_SET(others[1], &readable);
    writable = readable;
    struct timeval now = {0, 0};
    failed += bench_expect(select(0, &readable, &writable, NULL, &now) == 6 && readable.fd_count == 3 &&
                               writable.fd_count == 3 && FD_ISSET(others[1], &readable),
                           "select reports everything ready", v);
    ResetEvent(event);
    failed += bench_expect(WSAEventSelect(s, event, FD_READ) == 0 && WaitForSingleObject(event, 1000) == WAIT_OBJECT_0,
                           "WSAEventSelect signals a ready socket", v);
    WSAEventSelect(s, NULL, 0);
    int size = 65536, len = sizeof size;
    failed += bench_expect(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&size, sizeof size) == 0 &&
                               getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&size, &len) == 0 && size == 0,
                           "options accepted, read back as 0", v);
    WSAPROTOCOL_INFOW dup;
    SOCKET d = WSADuplicateSocketW(s, GetCurrentProcessId(), &dup) == 0
                   ? WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &dup, 0, WSA_FLAG_OVERLAPPED)
                   : INVALID_SOCKET;
    failed += bench_expect(d != INVALID_SOCKET && d != s && send(d, buffer, 3, 0) == 3 && closesocket(d) == 0,
                           "a duplicate in this process", v);
    failed += bench_expect(closesocket(s) == 0 && closesocket(others[0]) == 0 && closesocket(others[1]) == 0,
                           "closesocket", v);
    WSACloseEvent(event);
    return failed;
}

int bench_check_nullbase(const bench_entries *entries)
{
    int failed = 0;
    for (int v = 0; v < BENCH_VARIANTS; v++)
        failed += bench_check_variant(&entries->info[BENCH_NULL][v], v);
    return failed;
}

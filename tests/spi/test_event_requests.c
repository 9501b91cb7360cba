/* Overlapped requests in a process that cannot bind the lower socket to
 * its thread pool's port (the parent bound it first): each request waits on
 * an event and a thread-pool wait from ShareLSP's pool (event_kit.c), given
 * back unreset when the request ends. A request that pends on a kit an
 * earlier request left signalled must still wait for its data, and the
 * program's event, left set by the request before (done at once, so
 * ShareLSP reset nothing before its call), must read unset until the data
 * came. Wine resets an event an I/O call is given, so over nullbase (whose
 * handles cannot be bound at all, and which resets nothing) a kit left
 * signalled must not make a request refused at once look finished. */
#include "spi.h"

#include <stdlib.h>
#include <string.h>

enum { ROUNDS = 3 };

/* nullbase's provider id here (any GUID no other entry has). */
static GUID nullbase_guid = {0x6b2e1d4f, 0x8c30, 0x4f92, {0xad, 0x5e, 0x72, 0x1b, 0x3c, 0x4d, 0x5e, 0x6f}};
static WSAPROTOCOL_INFOW over_nullbase; /* ShareLSP over nullbase, TCP over IPv4 */

/* Child exit codes say which check failed. */
enum { CHILD_OK = 0, CHILD_SOCKET = 20, CHILD_SEND, CHILD_PEND, CHILD_EARLY, CHILD_PIPE, CHILD_DATA };

/* A receive that pends until the parent, told through the pipe, sends
 * "late" (its kit goes back signalled), then an overlapped send of "sync"
 * that completes in its call (the same kit, from the pool, and back). */
static int child_round(SOCKET s, HANDLE pipe, WSAEVENT ev)
{
    char out[] = "sync", in[8] = {0};
    WSABUF send_buf = {4, out}, recv_buf = {sizeof in, in};
    WSAOVERLAPPED ov = {.hEvent = ev};
    DWORD bytes = 0, flags = 0;
    if (WSARecv(s, &recv_buf, 1, &bytes, &flags, &ov, NULL) != SOCKET_ERROR || WSAGetLastError() != WSA_IO_PENDING)
        return CHILD_PEND;
    /* Nothing was sent: nothing may have completed, and the event the last
     * round's send left set reads unset. */
    if (WaitForSingleObject(ev, 300) != WAIT_TIMEOUT || WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags) ||
        WSAGetLastError() != WSA_IO_INCOMPLETE)
        return CHILD_EARLY;
    char go = 'g';
    DWORD n = 0;
    if (!WriteFile(pipe, &go, 1, &n, NULL))
        return CHILD_PIPE;
    if (!WSAGetOverlappedResult(s, &ov, &bytes, TRUE, &flags) || bytes != 4 || memcmp(in, "late", 4) != 0)
        return CHILD_DATA;
    ov = (WSAOVERLAPPED){.hEvent = ev};
    if (WSASend(s, &send_buf, 1, &bytes, 0, &ov, NULL) != 0 || !WSAGetOverlappedResult(s, &ov, &bytes, TRUE, &flags) ||
        bytes != 4 || WaitForSingleObject(ev, 0) != WAIT_OBJECT_0)
        return CHILD_SEND;
    return CHILD_OK;
}

static int child_main(DWORD parent)
{
    HANDLE pipe;
    WSAPROTOCOL_INFOW info;
    DWORD got = 0;
    if (!spi_child_pipe(parent, &pipe) || !ReadFile(pipe, &info, sizeof info, &got, NULL) || got != sizeof info)
        return CHILD_PIPE;
    SOCKET s = spi_use_info(&info);
    if (s == INVALID_SOCKET)
        return CHILD_SOCKET;
    WSAEVENT ev = WSACreateEvent();
    int code = CHILD_OK;
    for (int i = 0; i < ROUNDS && code == CHILD_OK; i++)
        code = child_round(s, pipe, ev);
    WSACloseEvent(ev);
    closesocket(s);
    CloseHandle(pipe);
    WSACleanup();
    return code;
}

static void receive_exactly(SOCKET s, const char *expected, int length)
{
    char buf[16];
    int got = 0;
    while (got < length) {
        int n = recv(s, buf + got, length - got, 0);
        assert_true(n > 0);
        got += n;
    }
    assert_memory_equal(buf, expected, (size_t)length);
}

static void a_reused_event_waits_for_a_pending_request(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    /* An overlapped request here binds the lower socket to this process's
     * port first. */
    WSAEVENT ev = WSACreateEvent();
    char hello[] = "bind";
    WSABUF b = {4, hello};
    WSAOVERLAPPED ov = {.hEvent = ev};
    DWORD bytes = 0, flags = 0;
    int rc = WSASend(s, &b, 1, &bytes, 0, &ov, NULL);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_true(WSAGetOverlappedResult(s, &ov, &bytes, TRUE, &flags));
    assert_int_equal(bytes, 4);
    receive_exactly(c, "bind", 4);

    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("event-child", 0, &pi, &pipe);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info), 0);
    DWORD n = 0;
    assert_true(WriteFile(pipe, &info, sizeof info, &n, NULL));
    for (int i = 0; i < ROUNDS; i++) {
        char go = 0;
        if (!ReadFile(pipe, &go, 1, &n, NULL))
            break; /* the child failed a check: its exit code says which */
        assert_int_equal(go, 'g');
        assert_int_equal(send(c, "late", 4, 0), 4);
        receive_exactly(c, "sync", 4);
    }
    assert_int_equal(spi_child_wait(&pi, pipe), CHILD_OK);
    WSACloseEvent(ev);
    closesocket(s);
    closesocket(c);
}

static int start_over_nullbase(void **state)
{
    (void)state;
    return spi_start_over_base(&nullbase_guid, L"nullbase.dll", SOCK_STREAM, &over_nullbase);
}

static void a_stale_signal_is_no_completion(void **state)
{
    (void)state;
    WSAPROTOCOL_INFOW info = over_nullbase;
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    assert_true(s != INVALID_SOCKET);
    WSAEVENT sent = WSACreateEvent(), asked = WSACreateEvent();
    char byte = 'x';
    WSABUF b = {1, &byte};
    WSAOVERLAPPED ov = {.hEvent = sent};
    DWORD bytes = 0, flags = 0;
    /* Done at once: nullbase set the kit's event, and it goes back so. */
    assert_int_equal(WSASend(s, &b, 1, &bytes, 0, &ov, NULL), 0);
    assert_true(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 1);
    /* nullbase refuses an overlapped ioctl at once, touching nothing: the
     * request has not finished, whatever the reused kit's event says. */
    WSAOVERLAPPED io = {.hEvent = asked, .Internal = 0x1234};
    u_long n = 0;
    DWORD returned = 0;
    assert_int_equal(WSAIoctl(s, FIONREAD, NULL, 0, &n, sizeof n, &returned, &io, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEOPNOTSUPP);
    assert_int_equal(WaitForSingleObject(asked, 100), WAIT_TIMEOUT);
    assert_int_equal(io.Internal, 0x1234);
    WSACloseEvent(sent);
    WSACloseEvent(asked);
    closesocket(s);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "event-child") == 0)
        return child_main((DWORD)strtoul(argv[2], NULL, 10));
    const struct CMUnitTest over_wspbase[] = {
        cmocka_unit_test(a_reused_event_waits_for_a_pending_request),
    };
    const struct CMUnitTest over_null[] = {
        cmocka_unit_test(a_stale_signal_is_no_completion),
    };
    int failed = cmocka_run_group_tests(over_wspbase, spi_start, spi_stop);
    return failed + cmocka_run_group_tests(over_null, start_over_nullbase, spi_stop);
}

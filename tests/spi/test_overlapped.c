/* Overlapped sends and receives through ShareLSP: ShareLSP's own lower
 * request completes the application's, the bytes are counted in the shared
 * block, a pending request reads as incomplete, a close aborts it with an
 * error, an immediate completion is still signalled, and many requests in
 * flight each complete once. */
#include "spi.h"

#include <mswsock.h>
#include <string.h>

static void counted_on_completion(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    char in[32] = {0};
    WSABUF rb = {sizeof in, in};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD got = 0, flags = 0;
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    assert_int_equal(WSARecv(s, &rb, 1, &got, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    /* STATUS_PENDING and the size untouched, as ws2_32's own providers keep them. */
    assert_int_equal(ov.Internal, 0x103);
    assert_int_equal(ov.InternalHigh, 0xdeadbeef);
    assert_false(WSAGetOverlappedResult(s, &ov, &got, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSA_IO_INCOMPLETE);
    /* An overlapped send of 11 bytes. */
    WSABUF sb = {11, (char *)"overlapped!"};
    WSAOVERLAPPED sov;
    memset(&sov, 0, sizeof sov);
    sov.hEvent = WSACreateEvent();
    DWORD sent = 0;
    int r = WSASend(c, &sb, 1, &sent, 0, &sov, NULL);
    assert_true(r == 0 || WSAGetLastError() == WSA_IO_PENDING);
    assert_true(WSAGetOverlappedResult(c, &sov, &sent, TRUE, &flags));
    assert_int_equal(sent, 11);
    assert_true(WSAGetOverlappedResult(s, &ov, &got, TRUE, &flags));
    assert_int_equal(got, 11);
    assert_memory_equal(in, "overlapped!", 11);
    /* The NTSTATUS in Internal lets kernel32's GetOverlappedResult read it too. */
    assert_int_equal(ov.Internal, 0);
    DWORD transferred = 0;
    assert_true(GetOverlappedResult((HANDLE)s, &ov, &transferred, FALSE));
    assert_int_equal(transferred, 11);
    /* Counted when they completed, on the shared block. */
    sharelsp_stats cs = spi_stats(c), ss = spi_stats(s);
    assert_int_equal(cs.bytes_sent, 11);
    assert_int_equal(cs.calls_sent, 1);
    assert_int_equal(ss.bytes_received, 11);
    assert_int_equal(ss.calls_received, 1);
    WSACloseEvent(ov.hEvent);
    WSACloseEvent(sov.hEvent);
    closesocket(c);
    closesocket(s);
}

static void immediate_completion_is_still_signalled(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET6, &c, &s);
    assert_int_equal(send(c, "ready", 5, 0), 5);
    Sleep(100); /* the data is there before the receive is asked for */
    char in[8];
    WSABUF rb = {sizeof in, in};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD got = 0, flags = 0;
    /* The data is there: the lower provider finishes at once (Wine does). */
    assert_int_equal(WSARecv(s, &rb, 1, &got, &flags, &ov, NULL), 0);
    assert_int_equal(got, 5);
    /* Complete when the call returns, as with ws2_32's own providers. */
    assert_int_equal(ov.Internal, 0);
    assert_int_equal(ov.InternalHigh, 5);
    DWORD transferred = 0;
    assert_true(GetOverlappedResult((HANDLE)s, &ov, &transferred, FALSE));
    assert_int_equal(transferred, 5);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    assert_true(WSAGetOverlappedResult(s, &ov, &got, FALSE, &flags));
    assert_int_equal(got, 5);
    sharelsp_stats ss = spi_stats(s); /* counted once */
    assert_int_equal(ss.bytes_received, 5);
    assert_int_equal(ss.calls_received, 1);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}

static void close_aborts_a_pending_receive(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    char in[8];
    WSABUF rb = {sizeof in, in};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD got = 0, flags = 0;
    assert_int_equal(WSARecv(s, &rb, 1, &got, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    /* The socket is gone: the result is read from the WSAOVERLAPPED alone. */
    assert_int_equal(ov.Internal, 0xc0000120); /* STATUS_CANCELLED, as ws2_32's own providers leave it */
    DWORD transferred = 1;
    assert_false(GetOverlappedResult((HANDLE)s, &ov, &transferred, FALSE));
    assert_int_equal(GetLastError(), ERROR_OPERATION_ABORTED);
    assert_int_equal(transferred, 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
}

static void many_in_flight(void **state)
{
    (void)state;
    enum { N = 40 };
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    static char in[N][4];
    WSABUF rb[N];
    WSAOVERLAPPED ov[N];
    WSAEVENT ev[N];
    for (int i = 0; i < N; i++) {
        rb[i] = (WSABUF){1, in[i]};
        memset(&ov[i], 0, sizeof ov[i]);
        ov[i].hEvent = ev[i] = WSACreateEvent();
        DWORD got = 0, flags = 0;
        int r = WSARecv(s, &rb[i], 1, &got, &flags, &ov[i], NULL);
        assert_true(r == 0 || WSAGetLastError() == WSA_IO_PENDING);
    }
    char out[N];
    for (int i = 0; i < N; i++)
        out[i] = (char)('a' + i % 26);
    assert_int_equal(send(c, out, N, 0), N);
    DWORD total = 0;
    for (int i = 0; i < N; i++) {
        DWORD got = 0, flags = 0;
        assert_true(WSAGetOverlappedResult(s, &ov[i], &got, TRUE, &flags));
        assert_int_equal(got, 1);
        total += got;
        WSACloseEvent(ev[i]);
    }
    assert_int_equal(total, N);
    assert_int_equal(spi_stats(s).bytes_received, N);
    assert_int_equal(spi_stats(s).calls_received, N);
    closesocket(c);
    closesocket(s);
}

static void *extension(SOCKET s, GUID id, int *err)
{
    void *fn = NULL;
    DWORD got = 0;
    *err = 0;
    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &fn, sizeof fn, &got, NULL, NULL) != 0)
        *err = WSAGetLastError();
    return fn;
}

static void extension_functions_are_sharelsps(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    int err = 0;
    /* ShareLSP's own, which know the upper sockets. */
    assert_non_null(extension(s, (GUID)WSAID_TRANSMITFILE, &err));
    assert_non_null(extension(s, (GUID)WSAID_WSARECVMSG, &err));
    assert_non_null(extension(s, (GUID)WSAID_DISCONNECTEX, &err));
    assert_non_null(extension(s, (GUID)WSAID_WSASENDMSG, &err));
    /* TransmitPackets is ShareLSP's own: Wine's ws2_32 has none. */
    void *transmit_packets = extension(s, (GUID)WSAID_TRANSMITPACKETS, &err);
    assert_non_null(transmit_packets);
    assert_ptr_not_equal(transmit_packets, extension(s, (GUID)WSAID_TRANSMITFILE, &err));
    /* Ones ShareLSP does not know are refused, not handed through, with
     * what ws2_32 says of a GUID it does not know. */
    GUID bogus = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
    assert_null(extension(s, bogus, &err));
    assert_int_equal(err, WSAEINVAL);
    /* AcceptEx: the data it receives counts on the accepted socket. */
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof addr;
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(bind(l, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(listen(l, 1), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&addr, &len), 0);
    LPFN_ACCEPTEX accept_ex = (LPFN_ACCEPTEX)extension(l, (GUID)WSAID_ACCEPTEX, &err);
    assert_non_null(accept_ex);
    SOCKET a = socket(AF_INET, SOCK_STREAM, 0);
    char buf[3 + 2 * (sizeof(struct sockaddr_in) + 16)];
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    DWORD bytes = 0, flags = 0;
    BOOL done = accept_ex(l, a, buf, 3, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16, &bytes, &ov);
    assert_true(done || WSAGetLastError() == ERROR_IO_PENDING);
    SOCKET peer = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(peer, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(send(peer, "abc", 3, 0), 3);
    assert_true(WSAGetOverlappedResult(l, &ov, &bytes, TRUE, &flags));
    assert_int_equal(bytes, 3);
    assert_int_equal(spi_stats(a).bytes_received, 3);
    assert_int_equal(spi_stats(l).bytes_received, 0);
    /* Sockets that are not ShareLSP's: refused, the request marked pending
     * first, as ws2_32's AcceptEx does; no WSAOVERLAPPED: WSA_INVALID_PARAMETER. */
    ov.Internal = 0xdeadbeef;
    assert_false(accept_ex(l, (SOCKET)0x7ff0, buf, 3, 32, 32, &bytes, &ov));
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal((DWORD)ov.Internal, 0x103 /* STATUS_PENDING */);
    assert_false(accept_ex(l, a, buf, 3, 32, 32, &bytes, NULL));
    assert_int_equal(WSAGetLastError(), WSA_INVALID_PARAMETER);
    WSACloseEvent(ov.hEvent);
    closesocket(peer);
    closesocket(a);
    closesocket(l);
    closesocket(c);
    closesocket(s);
}

/* TransmitFile's bytes count as sent, WSARecvMsg's as received, with and
 * without a WSAOVERLAPPED. */
static void more_extension_functions_count(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    int err = 0;
    LPFN_TRANSMITFILE transmit_file = (LPFN_TRANSMITFILE)extension(c, (GUID)WSAID_TRANSMITFILE, &err);
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    GetTempFileNameW(dir, L"shl", 0, path);
    HANDLE file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_FLAG_OVERLAPPED, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    static char content[1000];
    memset(content, 'f', sizeof content);
    OVERLAPPED fo;
    memset(&fo, 0, sizeof fo);
    DWORD n = 0;
    assert_true(WriteFile(file, content, sizeof content, &n, &fo) || GetLastError() == ERROR_IO_PENDING);
    assert_true(GetOverlappedResult(file, &fo, &n, TRUE));
    TRANSMIT_FILE_BUFFERS around = {(char *)"head:", 5, (char *)":tail", 5};
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    assert_true(transmit_file(c, file, 0, 0, &ov, &around, 0) || WSAGetLastError() == WSA_IO_PENDING);
    DWORD sent = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(c, &ov, &sent, TRUE, &flags));
    assert_int_equal(sent, 1010);
    static char in[1010];
    int got = 0;
    while (got < 1010) {
        int r = recv(s, in + got, sizeof in - got, 0);
        assert_true(r > 0);
        got += r;
    }
    sharelsp_stats cs = spi_stats(c);
    assert_int_equal(cs.bytes_sent, 1010);
    assert_int_equal(cs.calls_sent, 1);
    CloseHandle(file);
    DeleteFileW(path);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
    /* WSARecvMsg on UDP, without a WSAOVERLAPPED. */
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof addr;
    assert_int_equal(bind(u, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(getsockname(u, (struct sockaddr *)&addr, &len), 0);
    LPFN_WSARECVMSG recv_msg = (LPFN_WSARECVMSG)extension(u, (GUID)WSAID_WSARECVMSG, &err);
    assert_int_equal(sendto(u, "msg", 3, 0, (struct sockaddr *)&addr, len), 3);
    char data[8];
    WSABUF b = {sizeof data, data};
    WSAMSG msg = {NULL, 0, &b, 1, {0, NULL}, 0};
    DWORD received = 0;
    assert_int_equal(recv_msg(u, &msg, &received, NULL, NULL), 0);
    assert_int_equal(received, 3);
    assert_int_equal(spi_stats(u).bytes_received, 3);
    assert_int_equal(spi_stats(u).calls_received, 1);
    closesocket(u);
}

/* WSAGetOverlappedResult reads everything from the NTSTATUS in Internal, as
 * ws2_32 does for its own providers: a status the program wrote itself
 * reads as it would without ShareLSP (Wine's sock.c tests every status). */
static void result_read_from_the_status(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s != INVALID_SOCKET);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    DWORD bytes = 0xdeadbeef, flags = 0xdeadbeef;
    ov.Internal = 0xc000020d; /* STATUS_CONNECTION_RESET */
    ov.InternalHigh = 3;
    ov.Offset = 1;
    WSASetLastError(0xdeadbeef);
    assert_false(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSAECONNRESET);
    assert_int_equal(bytes, 3);
    assert_int_equal(flags, 1);
    ov.Internal = 0;
    WSASetLastError(0xdeadbeef);
    assert_true(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), 0);
    ov.Internal = 0xc0070005; /* an error status Winsock has no mapping for */
    assert_false(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    ov.Internal = 0x103; /* STATUS_PENDING */
    assert_false(WSAGetOverlappedResult(s, &ov, NULL, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSA_IO_INCOMPLETE);
    /* The request is checked before the socket. */
    assert_false(WSAGetOverlappedResult(s, NULL, &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), WSA_INVALID_PARAMETER);
    closesocket(s);
}

/* closesocket closes the handle itself before it returns: nothing of
 * ShareLSP's still holds it (a request held would keep it open until it
 * let go: descriptor_handle_hold). */
static void assert_closes_at_once(SOCKET c)
{
    assert_int_equal(closesocket(c), 0);
    SetLastError(0);
    assert_int_equal(GetFileType((HANDLE)c), FILE_TYPE_UNKNOWN);
    assert_int_equal(GetLastError(), ERROR_INVALID_HANDLE);
}

/* A send the provider below finishes in its call is finished by the call:
 * the lower socket skips the port on success, so no packet is left to come
 * and nothing of ShareLSP's holds the socket once WSASend returns: its
 * closesocket closes the handle at once. Repeated,
 * since without the skip a pool thread may have let go first. */
static void a_send_done_at_once_holds_nothing(void **state)
{
    (void)state;
    for (int i = 0; i < 20; i++) {
        SOCKET c, s;
        spi_tcp_pair(AF_INET, &c, &s);
        WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
        WSABUF buf = {.len = 1, .buf = "a"};
        DWORD sent = 0;
        assert_int_equal(WSASend(c, &buf, 1, &sent, 0, &ov, NULL), 0);
        assert_int_equal(sent, 1);
        assert_int_equal(GetFileType((HANDLE)c), FILE_TYPE_PIPE); /* wsphost's upcall handle */
        assert_closes_at_once(c);
        WSACloseEvent(ov.hEvent);
        assert_int_equal(closesocket(s), 0);
    }
}

/* Wine's DisconnectEx answers WSA_IO_PENDING for a shutdown it finished in
 * the call, which then posts nothing to a socket that skips the port on
 * success: ShareLSP's request must not wait for a packet. As above, the
 * closesocket that follows closes the handle at once. */
static void a_disconnect_done_at_once_holds_nothing(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++) {
        SOCKET c, s;
        spi_tcp_pair(AF_INET, &c, &s);
        int err = 0;
        LPFN_DISCONNECTEX disconnect_ex = (LPFN_DISCONNECTEX)extension(c, (GUID)WSAID_DISCONNECTEX, &err);
        assert_int_equal(err, 0);
        WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
        if (!disconnect_ex(c, &ov, 0, 0))
            assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
        assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
        DWORD bytes = 0, flags = 0;
        assert_true(WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags));
        assert_closes_at_once(c);
        WSACloseEvent(ov.hEvent);
        assert_int_equal(closesocket(s), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counted_on_completion),
        cmocka_unit_test(immediate_completion_is_still_signalled),
        cmocka_unit_test(close_aborts_a_pending_receive),
        cmocka_unit_test(many_in_flight),
        cmocka_unit_test(a_send_done_at_once_holds_nothing),
        cmocka_unit_test(a_disconnect_done_at_once_holds_nothing),
        cmocka_unit_test(result_read_from_the_status),
        cmocka_unit_test(more_extension_functions_count),
        cmocka_unit_test(extension_functions_are_sharelsps),
    };
    return cmocka_run_group_tests(tests, spi_start, spi_stop);
}

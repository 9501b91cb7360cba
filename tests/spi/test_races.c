/* Closes racing I/O through ShareLSP's real entry points: a thread blocked
 * in recv while another closes the descriptor; threads sending on one
 * socket through several descriptors while one of them is closed; many
 * rounds. Nothing crashes, every call returns a Winsock result, and the
 * shared counters add up to exactly what the senders were told. */
#include "spi.h"

#include <string.h>

typedef struct blocked_recv {
    SOCKET s;
    int result, error;
} blocked_recv;

static DWORD WINAPI recv_thread(LPVOID arg)
{
    blocked_recv *b = arg;
    char buf[8];
    b->result = recv(b->s, buf, sizeof buf, 0);
    b->error = b->result == SOCKET_ERROR ? WSAGetLastError() : 0;
    return 0;
}

static void close_while_another_thread_receives(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        SOCKET c, s;
        spi_tcp_pair(AF_INET, &c, &s);
        blocked_recv b = {.s = s};
        HANDLE t = CreateThread(NULL, 0, recv_thread, &b, 0, NULL);
        Sleep(round % 3 == 0 ? 0 : 20); /* sometimes before it blocks, mostly while */
        assert_int_equal(closesocket(s), 0);
        /* The close alone ends the receive: blocked, it is aborted; not yet
         * started, it finds no socket. */
        assert_int_equal(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
        CloseHandle(t);
        assert_int_equal(b.result, SOCKET_ERROR);
        /* The lower provider's error comes through: WSAEINVAL is what Wine's
         * own ws2_32 reports for a recv ended by a close on another thread. */
        if (!(b.error == WSAENOTSOCK || b.error == WSAEINTR || b.error == WSAECONNABORTED || b.error == WSAEINVAL))
            fail_msg("round %d: recv failed with %d", round, b.error);
        closesocket(c);
    }
}

typedef struct sender {
    SOCKET s;
    volatile LONG *stop;
    LONGLONG bytes, calls;
} sender;

static DWORD WINAPI send_thread(LPVOID arg)
{
    sender *w = arg;
    char buf[64];
    memset(buf, 'z', sizeof buf);
    while (!InterlockedCompareExchange(w->stop, 0, 0)) {
        int n = send(w->s, buf, 1 + (int)(w->calls % 63), 0);
        if (n == SOCKET_ERROR)
            break; /* its descriptor was closed under it */
        w->bytes += n;
        w->calls++;
    }
    return 0;
}

static DWORD WINAPI drain_thread(LPVOID arg)
{
    SOCKET c = *(SOCKET *)arg;
    char buf[4096];
    while (recv(c, buf, sizeof buf, 0) > 0)
        ;
    return 0;
}

static void senders_on_shared_descriptors_while_one_closes(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    enum { N = 3 };
    sender w[N];
    HANDLE t[N];
    volatile LONG stop = 0;
    HANDLE drainer = CreateThread(NULL, 0, drain_thread, &c, 0, NULL);
    for (int i = 0; i < N; i++) {
        WSAPROTOCOL_INFOW info;
        SOCKET d = s;
        if (i > 0) {
            assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
            d = spi_use_info(&info);
            assert_true(d != INVALID_SOCKET);
        }
        w[i] = (sender){.s = d, .stop = &stop};
        t[i] = CreateThread(NULL, 0, send_thread, &w[i], 0, NULL);
    }
    Sleep(200);
    assert_int_equal(closesocket(w[2].s), 0); /* one descriptor goes while all send */
    Sleep(200);
    InterlockedExchange(&stop, 1);
    assert_int_equal(WaitForMultipleObjects(N, t, TRUE, 10000), WAIT_OBJECT_0);
    LONGLONG bytes = 0, calls = 0;
    for (int i = 0; i < N; i++) {
        bytes += w[i].bytes;
        calls += w[i].calls;
        CloseHandle(t[i]);
    }
    sharelsp_stats st = spi_stats(s);
    assert_true(calls > 0);
    assert_int_equal(st.bytes_sent, (uint64_t)bytes);
    assert_int_equal(st.calls_sent, (uint64_t)calls);
    assert_int_equal(st.descriptors_open, 2);
    closesocket(w[1].s);
    closesocket(s);
    assert_int_equal(WaitForSingleObject(drainer, 10000), WAIT_OBJECT_0); /* the last close ended it */
    CloseHandle(drainer);
    closesocket(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(close_while_another_thread_receives),
        cmocka_unit_test(senders_on_shared_descriptors_while_one_closes),
    };
    return cmocka_run_group_tests(tests, spi_start, spi_stop);
}

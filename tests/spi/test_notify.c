/* One registration slot per socket (rule R5): WSPAsyncSelect and
 * WSPEventSelect through any descriptor replace the previous registration,
 * in both directions; wParam is the descriptor that registered; closing the
 * registering descriptor ends its registration; accepted sockets inherit
 * the listener's; and under threads re-registering while data flows, only
 * the last registration is ever heard from. */
#include "spi.h"

#include <mswsock.h> /* SIO_BASE_HANDLE */

#include <string.h>

enum { MSG_A = WM_USER + 10, MSG_B = WM_USER + 11, MSG_L = WM_USER + 12 };

static HWND window;

static int start(void **state)
{
    if (spi_start(state) != 0)
        return 1;
    window = CreateWindowExW(0, L"STATIC", L"notify", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    return window == NULL;
}

static int stop(void **state)
{
    DestroyWindow(window);
    return spi_stop(state);
}

/* The next message for the window within timeout_ms, or false. */
static bool next_message(MSG *m, DWORD timeout_ms)
{
    DWORD begin = GetTickCount();
    for (;;) {
        if (PeekMessageW(m, window, 0, 0, PM_REMOVE))
            return true;
        DWORD spent = GetTickCount() - begin;
        if (spent >= timeout_ms)
            return false;
        MsgWaitForMultipleObjects(0, NULL, FALSE, timeout_ms - spent, QS_ALLINPUT);
    }
}

static void drain(void)
{
    MSG m;
    while (next_message(&m, 200))
        ;
}

/* A connected pair (peer, a) and a duplicate b of a. */
static void trio(SOCKET *peer, SOCKET *a, SOCKET *b)
{
    spi_tcp_pair(AF_INET, peer, a);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(*a, GetCurrentProcessId(), &info), 0);
    *b = spi_use_info(&info);
    assert_true(*b != INVALID_SOCKET);
}

static void close_trio(SOCKET peer, SOCKET a, SOCKET b)
{
    closesocket(peer);
    closesocket(a);
    closesocket(b);
    drain();
}

static void event_through_b_replaces_event_through_a(void **state)
{
    (void)state;
    SOCKET peer, a, b;
    trio(&peer, &a, &b);
    WSAEVENT ea = WSACreateEvent(), eb = WSACreateEvent();
    assert_int_equal(WSAEventSelect(a, ea, FD_READ), 0);
    assert_int_equal(WSAEventSelect(b, eb, FD_WRITE), 0);
    assert_int_equal(WSAWaitForMultipleEvents(1, &eb, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    WSANETWORKEVENTS ne;
    assert_int_equal(WSAEnumNetworkEvents(b, eb, &ne), 0);
    assert_int_equal(ne.lNetworkEvents, FD_WRITE);
    WSAResetEvent(ea);
    assert_int_equal(send(peer, "data", 4, 0), 4);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ea, FALSE, 300, FALSE), WSA_WAIT_TIMEOUT);
    WSACloseEvent(ea);
    WSACloseEvent(eb);
    close_trio(peer, a, b);
}

static void async_through_b_replaces_async_through_a(void **state)
{
    (void)state;
    SOCKET peer, a, b;
    trio(&peer, &a, &b);
    assert_int_equal(WSAAsyncSelect(a, window, MSG_A, FD_READ), 0);
    assert_int_equal(WSAAsyncSelect(b, window, MSG_B, FD_WRITE), 0);
    MSG m;
    assert_true(next_message(&m, 5000));
    assert_int_equal(m.message, MSG_B);
    assert_true(m.wParam == (WPARAM)b);
    assert_int_equal(WSAGETSELECTEVENT(m.lParam), FD_WRITE);
    assert_int_equal(WSAGETSELECTERROR(m.lParam), 0);
    assert_int_equal(send(peer, "data", 4, 0), 4);
    while (next_message(&m, 300))
        assert_int_not_equal(m.message, MSG_A);
    close_trio(peer, a, b);
}

static void event_replaces_async(void **state)
{
    (void)state;
    SOCKET peer, a, b;
    trio(&peer, &a, &b);
    assert_int_equal(WSAAsyncSelect(a, window, MSG_A, FD_READ), 0);
    WSAEVENT eb = WSACreateEvent();
    assert_int_equal(WSAEventSelect(b, eb, FD_READ), 0);
    assert_int_equal(send(peer, "data", 4, 0), 4);
    assert_int_equal(WSAWaitForMultipleEvents(1, &eb, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    MSG m;
    assert_false(next_message(&m, 300));
    WSACloseEvent(eb);
    close_trio(peer, a, b);
}

static void async_replaces_event(void **state)
{
    (void)state;
    SOCKET peer, a, b;
    trio(&peer, &a, &b);
    WSAEVENT ea = WSACreateEvent();
    assert_int_equal(WSAEventSelect(a, ea, FD_READ), 0);
    assert_int_equal(WSAAsyncSelect(b, window, MSG_B, FD_READ), 0);
    WSAResetEvent(ea);
    assert_int_equal(send(peer, "data", 4, 0), 4);
    MSG m;
    assert_true(next_message(&m, 5000));
    assert_int_equal(m.message, MSG_B);
    assert_true(m.wParam == (WPARAM)b);
    assert_int_equal(WSAGETSELECTEVENT(m.lParam), FD_READ);
    assert_int_equal(WaitForSingleObject(ea, 300), WAIT_TIMEOUT);
    WSACloseEvent(ea);
    close_trio(peer, a, b);
}

static void cancel_and_close_end_the_registration(void **state)
{
    (void)state;
    SOCKET peer, a, b;
    trio(&peer, &a, &b);
    MSG m;
    /* lEvent 0 cancels, whichever descriptor registered. */
    assert_int_equal(WSAAsyncSelect(a, window, MSG_A, FD_READ), 0);
    assert_int_equal(WSAAsyncSelect(b, window, MSG_B, 0), 0);
    assert_int_equal(send(peer, "1", 1, 0), 1);
    assert_false(next_message(&m, 300));
    char buf[8];
    assert_int_equal(recv(b, buf, sizeof buf, 0), 1);
    /* Closing the registering descriptor ends its registration; the other
     * descriptor stays open and quiet. */
    assert_int_equal(WSAAsyncSelect(a, window, MSG_A, FD_READ), 0);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(send(peer, "2", 1, 0), 1);
    while (next_message(&m, 300))
        assert_int_not_equal(m.message, MSG_A);
    assert_int_equal(recv(b, buf, sizeof buf, 0), 1);
    closesocket(b);
    closesocket(peer);
    drain();
}

static void accepted_socket_inherits_the_registration(void **state)
{
    (void)state;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof addr;
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(bind(l, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(listen(l, 2), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&addr, &len), 0);
    assert_int_equal(WSAAsyncSelect(l, window, MSG_L, FD_ACCEPT | FD_READ), 0);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(c, (struct sockaddr *)&addr, len), 0);
    MSG m;
    assert_true(next_message(&m, 5000));
    assert_int_equal(m.message, MSG_L);
    assert_true(m.wParam == (WPARAM)l);
    assert_int_equal(WSAGETSELECTEVENT(m.lParam), FD_ACCEPT);
    SOCKET a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    assert_int_equal(send(c, "in", 2, 0), 2);
    bool read_seen = false;
    while (!read_seen && next_message(&m, 5000)) {
        assert_int_equal(m.message, MSG_L);
        read_seen = m.wParam == (WPARAM)a && WSAGETSELECTEVENT(m.lParam) == FD_READ;
    }
    assert_true(read_seen);
    closesocket(a);
    closesocket(c);
    closesocket(l);
    drain();
}

/* A message still in flight from a replaced registration is dropped. The
 * lower provider's messages to ShareLSP's hidden window carry the slot's
 * generation in their number (WM_APP + generation): posting one of an older
 * generation stands for a late message, deterministically. */
static void stale_message_is_dropped(void **state)
{
    (void)state;
    SOCKET peer, a, b;
    trio(&peer, &a, &b);
    assert_int_equal(WSAAsyncSelect(a, window, MSG_A, FD_READ), 0); /* generation 1 */
    assert_int_equal(WSAAsyncSelect(b, window, MSG_B, FD_READ), 0); /* generation 2 */
    drain();
    SOCKET lower = INVALID_SOCKET;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(a, SIO_BASE_HANDLE, NULL, 0, &lower, sizeof lower, &got, NULL, NULL), 0);
    assert_true(lower != INVALID_SOCKET && lower != a && lower != b);
    HWND hidden = FindWindowExW(HWND_MESSAGE, NULL, NULL, L"ShareLSP");
    assert_non_null(hidden);
    MSG m;
    /* Late: generation 1's message. Dropped. */
    assert_true(PostMessageW(hidden, WM_APP + 1, (WPARAM)lower, WSAMAKESELECTREPLY(FD_READ, 0)));
    assert_false(next_message(&m, 300));
    /* Current, for an event the registration did not ask for. Dropped. */
    assert_true(PostMessageW(hidden, WM_APP + 2, (WPARAM)lower, WSAMAKESELECTREPLY(FD_OOB, 0)));
    assert_false(next_message(&m, 300));
    /* Control: current and asked for. Forwarded, with B as wParam. */
    assert_true(PostMessageW(hidden, WM_APP + 2, (WPARAM)lower, WSAMAKESELECTREPLY(FD_READ, 0)));
    assert_true(next_message(&m, 2000));
    assert_int_equal(m.message, MSG_B);
    assert_true(m.wParam == (WPARAM)b);
    assert_int_equal(WSAGETSELECTEVENT(m.lParam), FD_READ);
    /* After a cancel (generation 3) the old current one is late too. */
    assert_int_equal(WSAAsyncSelect(a, window, 0, 0), 0);
    assert_true(PostMessageW(hidden, WM_APP + 2, (WPARAM)lower, WSAMAKESELECTREPLY(FD_READ, 0)));
    assert_false(next_message(&m, 300));
    close_trio(peer, a, b);
}

typedef struct churn {
    SOCKET a, b;
    int rounds;
    int failures;
} churn;

static DWORD WINAPI churn_thread(LPVOID arg)
{
    churn *c = arg;
    WSAEVENT ev = WSACreateEvent();
    for (int i = 0; i < c->rounds; i++) {
        int r;
        switch (i % 4) {
        case 0: r = WSAAsyncSelect(c->a, window, MSG_A, FD_READ | FD_WRITE); break;
        case 1: r = WSAEventSelect(c->b, ev, FD_READ); break;
        case 2: r = WSAAsyncSelect(c->b, window, MSG_B, FD_READ | FD_WRITE); break;
        default: r = WSAEventSelect(c->a, ev, FD_READ | FD_WRITE); break;
        }
        c->failures += r != 0;
    }
    WSACloseEvent(ev);
    return 0;
}

static void reregistering_while_data_flows(void **state)
{
    (void)state;
    SOCKET peer, a, b;
    trio(&peer, &a, &b);
    churn work[2] = {{a, b, 300, 0}, {a, b, 300, 0}};
    HANDLE threads[2];
    for (int i = 0; i < 2; i++)
        threads[i] = CreateThread(NULL, 0, churn_thread, &work[i], 0, NULL);
    for (int i = 0; i < 50; i++)
        send(peer, "x", 1, 0);
    assert_int_equal(WaitForMultipleObjects(2, threads, TRUE, 60000), WAIT_OBJECT_0);
    CloseHandle(threads[0]);
    CloseHandle(threads[1]);
    assert_int_equal(work[0].failures + work[1].failures, 0);
    /* Every message heard pairs a message with the descriptor that used it. */
    MSG m;
    while (next_message(&m, 200)) {
        if (m.message == MSG_A)
            assert_true(m.wParam == (WPARAM)a);
        else if (m.message == MSG_B)
            assert_true(m.wParam == (WPARAM)b);
    }
    /* Settle on one registration: only it is heard from. */
    assert_int_equal(WSAAsyncSelect(b, window, MSG_B, FD_READ), 0);
    char buf[128];
    int pending = recv(b, buf, sizeof buf, 0);
    assert_true(pending > 0);
    drain();
    assert_int_equal(send(peer, "y", 1, 0), 1);
    bool heard = false;
    while (next_message(&m, 500)) {
        assert_int_equal(m.message, MSG_B);
        assert_true(m.wParam == (WPARAM)b);
        heard = heard || WSAGETSELECTEVENT(m.lParam) == FD_READ;
    }
    assert_true(heard);
    close_trio(peer, a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_through_b_replaces_event_through_a),
        cmocka_unit_test(async_through_b_replaces_async_through_a),
        cmocka_unit_test(event_replaces_async),
        cmocka_unit_test(async_replaces_event),
        cmocka_unit_test(cancel_and_close_end_the_registration),
        cmocka_unit_test(accepted_socket_inherits_the_registration),
        cmocka_unit_test(stale_message_is_dropped),
        cmocka_unit_test(reregistering_while_data_flows),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

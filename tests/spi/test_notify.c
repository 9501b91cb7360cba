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

/* The lower handle of an upper socket. */
static SOCKET lower_of(SOCKET s)
{
    SOCKET lower = INVALID_SOCKET;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(s, SIO_BASE_HANDLE, NULL, 0, &lower, sizeof lower, &got, NULL, NULL), 0);
    return lower;
}

static HWND hidden_window(void)
{
    /* By its title: each window has a class name of its own. */
    HWND hidden = FindWindowExW(HWND_MESSAGE, NULL, NULL, L"ShareLSP");
    assert_non_null(hidden);
    return hidden;
}

/* Posts to the hidden window, for the lower handle, one message of every
 * number the lower provider can be given, as the lower provider would. */
static void post_every_number(HWND hidden, SOCKET lower, long event)
{
    for (UINT n = 0; n < 0x3fff; n++)
        assert_true(PostMessageW(hidden, WM_APP + n, (WPARAM)lower, WSAMAKESELECTREPLY(event, 0)));
}

/* How many messages the window hears within 500 ms of quiet, and of them
 * how many carry message and wParam. */
static int count_heard(UINT message, SOCKET wparam, int *matching)
{
    MSG m;
    int heard = 0;
    *matching = 0;
    while (next_message(&m, 500)) {
        heard++;
        *matching += m.message == message && m.wParam == (WPARAM)wparam && WSAGETSELECTEVENT(m.lParam) == FD_READ;
    }
    return heard;
}

/* A message still in flight from a replaced registration is dropped. The
 * lower provider's messages to ShareLSP's hidden window are numbered per
 * registration: of every number it could be given, exactly one is the
 * current registration's, and no other reaches the application. */
static void stale_message_is_dropped(void **state)
{
    (void)state;
    SOCKET peer, a, b;
    trio(&peer, &a, &b);
    assert_int_equal(WSAAsyncSelect(a, window, MSG_A, FD_READ), 0);
    assert_int_equal(WSAAsyncSelect(b, window, MSG_B, FD_READ), 0);
    drain();
    SOCKET lower = lower_of(a);
    assert_true(lower != INVALID_SOCKET && lower != a && lower != b);
    HWND hidden = hidden_window();
    int matching = 0;
    /* Every number, for an event the registration asked for: only the
     * current registration's number is forwarded, with B as wParam. */
    post_every_number(hidden, lower, FD_READ);
    assert_int_equal(count_heard(MSG_B, b, &matching), 1);
    assert_int_equal(matching, 1);
    /* For an event it did not ask for: none. */
    post_every_number(hidden, lower, FD_OOB);
    assert_int_equal(count_heard(MSG_B, b, &matching), 0);
    /* After a cancel, none either. */
    assert_int_equal(WSAAsyncSelect(a, window, 0, 0), 0);
    post_every_number(hidden, lower, FD_READ);
    assert_int_equal(count_heard(MSG_B, b, &matching), 0);
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

/* A lower FD_CLOSE still queued for the hidden window when its socket is
 * closed must not reach a new socket that got the same lower handle value
 * and registered the same window and message. The hidden window's thread is
 * suspended, so the FD_CLOSE waits in its queue while the old socket closes
 * and the new one registers. */
static void stale_close_after(int registrations_between)
{
    SOCKET peer, old;
    spi_tcp_pair(AF_INET, &peer, &old);
    SOCKET reused_lower = lower_of(old);
    assert_int_equal(WSAAsyncSelect(old, window, MSG_A, FD_READ | FD_CLOSE), 0);
    /* Other registrations of this process while the old one stands. */
    SOCKET other = socket(AF_INET, SOCK_DGRAM, 0);
    for (int i = 0; i < registrations_between; i++)
        assert_int_equal(WSAAsyncSelect(other, window, MSG_B, FD_READ), 0);
    closesocket(other);
    drain();
    HANDLE hidden_thread = OpenThread(THREAD_SUSPEND_RESUME, FALSE, GetWindowThreadProcessId(hidden_window(), NULL));
    assert_non_null(hidden_thread);
    assert_int_equal(SuspendThread(hidden_thread), 0);
    assert_int_equal(closesocket(peer), 0); /* the lower provider queues FD_CLOSE */
    Sleep(200);
    assert_int_equal(closesocket(old), 0);
    /* Wine gives a new handle the lowest free value: every free value below
     * the old lower handle is taken by an event first, so the next socket's
     * lower handle is the old one. */
    HANDLE plugs[256];
    int count = 0;
    for (;;) {
        assert_true(count < 256);
        plugs[count] = CreateEventW(NULL, FALSE, FALSE, NULL);
        assert_non_null(plugs[count]);
        if ((SOCKET)(uintptr_t)plugs[count] == reused_lower)
            break;
        count++;
    }
    CloseHandle(plugs[count]);
    SOCKET fresh = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(fresh != INVALID_SOCKET);
    assert_true(lower_of(fresh) == reused_lower);
    assert_int_equal(WSAAsyncSelect(fresh, window, MSG_A, FD_READ | FD_CLOSE), 0);
    assert_int_equal(ResumeThread(hidden_thread), 1);
    CloseHandle(hidden_thread);
    MSG m;
    bool stale = false;
    while (next_message(&m, 2000))
        stale = stale || (m.wParam == (WPARAM)fresh && WSAGETSELECTEVENT(m.lParam) == FD_CLOSE);
    assert_false(stale);
    /* Control: the new socket's own registration is heard. */
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof addr;
    assert_int_equal(bind(fresh, (struct sockaddr *)&addr, len), 0);
    assert_int_equal(getsockname(fresh, (struct sockaddr *)&addr, &len), 0);
    SOCKET sender = socket(AF_INET, SOCK_DGRAM, 0);
    assert_int_equal(sendto(sender, "d", 1, 0, (struct sockaddr *)&addr, len), 1);
    assert_true(next_message(&m, 5000));
    assert_int_equal(m.message, MSG_A);
    assert_true(m.wParam == (WPARAM)fresh);
    assert_int_equal(WSAGETSELECTEVENT(m.lParam), FD_READ);
    closesocket(sender);
    closesocket(fresh);
    for (int i = 0; i < count; i++)
        CloseHandle(plugs[i]);
    drain();
}

static void stale_close_does_not_reach_a_reused_lower_handle(void **state)
{
    (void)state;
    stale_close_after(0);
}

/* The same after exactly as many registrations as there are message numbers
 * for the lower provider (0x3fff, from WM_APP): a counter alone would give the
 * new socket the old socket's number again. */
static void stale_close_after_a_full_round_of_messages(void **state)
{
    (void)state;
    stale_close_after(0x3fff - 1);
}

/* Two threads register at once through two descriptors, one async and one
 * event (the roles swap every round). Whichever registration came last must
 * be the one heard from, and only it: never both, never neither. */
typedef struct racer {
    SOCKET s;
    WSAEVENT event;
    UINT message;
    LONG async_parity; /* registers async on rounds of this parity, else event */
    HANDLE go, done;
    volatile LONG round; /* -1 ends the thread */
    int failures;
} racer;

static DWORD WINAPI racer_thread(LPVOID arg)
{
    racer *r = arg;
    for (;;) {
        WaitForSingleObject(r->go, INFINITE);
        LONG round = InterlockedCompareExchange(&r->round, 0, 0);
        if (round < 0)
            return 0;
        int result = (round & 1) == r->async_parity ? WSAAsyncSelect(r->s, window, r->message, FD_READ)
                                                    : WSAEventSelect(r->s, r->event, FD_READ);
        r->failures += result != 0;
        SetEvent(r->done);
    }
}

static void racing_registrations_leave_the_last_one_heard(void **state)
{
    (void)state;
    enum { ROUNDS = 60 };
    SOCKET peer, a, b;
    trio(&peer, &a, &b);
    racer r[2] = {{a, WSACreateEvent(), MSG_A, 0, CreateEventW(NULL, FALSE, FALSE, NULL),
                   CreateEventW(NULL, FALSE, FALSE, NULL), 0, 0},
                  {b, WSACreateEvent(), MSG_B, 1, CreateEventW(NULL, FALSE, FALSE, NULL),
                   CreateEventW(NULL, FALSE, FALSE, NULL), 0, 0}};
    HANDLE threads[2] = {CreateThread(NULL, 0, racer_thread, &r[0], 0, NULL),
                         CreateThread(NULL, 0, racer_thread, &r[1], 0, NULL)};
    int silent = 0, both = 0;
    for (LONG round = 0; round < ROUNDS; round++) {
        r[0].round = r[1].round = round;
        SetEvent(r[0].go);
        SetEvent(r[1].go);
        HANDLE done[2] = {r[0].done, r[1].done};
        assert_int_equal(WaitForMultipleObjects(2, done, TRUE, 10000), WAIT_OBJECT_0);
        /* Nothing is readable yet: whatever is queued now is no reading. */
        MSG m;
        while (PeekMessageW(&m, window, 0, 0, PM_REMOVE))
            ;
        const racer *async = &r[round & 1], *event = &r[1 - (round & 1)];
        WSAResetEvent(event->event);
        assert_int_equal(send(peer, "r", 1, 0), 1);
        bool heard_async = false, heard_event = false;
        DWORD begin = GetTickCount();
        while (GetTickCount() - begin < (heard_async || heard_event ? 100u : 3000u)) {
            if (MsgWaitForMultipleObjects(1, &event->event, FALSE, 20, QS_ALLINPUT) == WAIT_OBJECT_0) {
                heard_event = true;
                WSAResetEvent(event->event);
            }
            while (PeekMessageW(&m, window, 0, 0, PM_REMOVE))
                heard_async = heard_async || (m.message == async->message && m.wParam == (WPARAM)async->s &&
                                              WSAGETSELECTEVENT(m.lParam) == FD_READ);
        }
        silent += !heard_async && !heard_event;
        both += heard_async && heard_event;
        char buf[8];
        assert_int_equal(recv(a, buf, sizeof buf, 0), 1);
    }
    r[0].round = r[1].round = -1;
    SetEvent(r[0].go);
    SetEvent(r[1].go);
    assert_int_equal(WaitForMultipleObjects(2, threads, TRUE, 10000), WAIT_OBJECT_0);
    assert_int_equal(r[0].failures + r[1].failures, 0);
    if (silent != 0 || both != 0)
        fail_msg("%d of %d rounds silent, %d heard both", silent, ROUNDS, both);
    for (int i = 0; i < 2; i++) {
        CloseHandle(threads[i]);
        CloseHandle(r[i].go);
        CloseHandle(r[i].done);
        WSACloseEvent(r[i].event);
    }
    close_trio(peer, a, b);
}

/* A registration the lower provider refuses changes nothing: the one before
 * it stands and is heard, with its own descriptor. */
static void refused_registration_leaves_the_previous_standing(void **state)
{
    (void)state;
    SOCKET peer, a, b;
    trio(&peer, &a, &b);
    assert_int_equal(WSAAsyncSelect(a, window, MSG_A, FD_READ), 0);
    drain();
    /* Not an event: the lower provider refuses it. */
    HANDLE not_event = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);
    assert_non_null(not_event);
    assert_int_equal(WSAEventSelect(b, not_event, FD_READ), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    CloseHandle(not_event);
    assert_int_equal(send(peer, "x", 1, 0), 1);
    MSG m;
    assert_true(next_message(&m, 5000));
    assert_int_equal(m.message, MSG_A);
    assert_true(m.wParam == (WPARAM)a);
    assert_int_equal(WSAGETSELECTEVENT(m.lParam), FD_READ);
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
        cmocka_unit_test(stale_close_does_not_reach_a_reused_lower_handle),
        cmocka_unit_test(stale_close_after_a_full_round_of_messages),
        cmocka_unit_test(racing_registrations_leave_the_last_one_heard),
        cmocka_unit_test(refused_registration_leaves_the_previous_standing),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

/* Notification: a non-blocking connect driven by WSAEventSelect, the exact
 * messages of WSAAsyncSelect (wParam the registering socket, lParam the
 * event and error), the last registration winning, and select on several
 * sockets. */
#include "conformance.h"

#include <string.h>

#define WM_SOCKET (WM_USER + 7)

static void nonblocking_connect_by_event(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = conf_listener(AF_INET, &addr, &addrlen);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    WSAEVENT ev = WSACreateEvent();
    assert_true(ev != WSA_INVALID_EVENT);
    /* WSAEventSelect makes the socket non-blocking. */
    assert_int_equal(WSAEventSelect(c, ev, FD_CONNECT | FD_WRITE | FD_READ), 0);
    assert_int_equal(connect(c, (struct sockaddr *)&addr, addrlen), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    WSANETWORKEVENTS ne;
    assert_int_equal(WSAEnumNetworkEvents(c, ev, &ne), 0);
    assert_true(ne.lNetworkEvents & FD_CONNECT);
    assert_int_equal(ne.iErrorCode[FD_CONNECT_BIT], 0);
    SOCKET s = accept(l, NULL, NULL);
    assert_true(s != INVALID_SOCKET);
    conf_send_all(s, "hi", 2);
    for (int tries = 0; tries < 50 && !(ne.lNetworkEvents & FD_READ); tries++) {
        assert_int_equal(WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
        assert_int_equal(WSAEnumNetworkEvents(c, ev, &ne), 0);
    }
    assert_true(ne.lNetworkEvents & FD_READ);
    char buf[4];
    assert_int_equal(recv(c, buf, sizeof buf, 0), 2);
    /* Nothing more to read on a non-blocking socket. */
    assert_int_equal(recv(c, buf, sizeof buf, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    assert_int_equal(WSAEventSelect(c, NULL, 0), 0);
    assert_true(WSACloseEvent(ev));
    closesocket(c);
    closesocket(s);
    closesocket(l);
}

static HWND message_window(void)
{
    HWND w = CreateWindowExW(0, L"STATIC", L"conformance", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    assert_non_null(w);
    return w;
}

/* Waits up to timeout_ms for a WM_SOCKET message. */
static bool wait_socket_message(HWND w, MSG *out, DWORD timeout_ms)
{
    DWORD start = GetTickCount();
    for (;;) {
        if (PeekMessageW(out, w, WM_SOCKET, WM_SOCKET, PM_REMOVE))
            return true;
        DWORD spent = GetTickCount() - start;
        if (spent >= timeout_ms)
            return false;
        MsgWaitForMultipleObjects(0, NULL, FALSE, timeout_ms - spent, QS_ALLINPUT);
    }
}

static void async_select_messages(void **state)
{
    (void)state;
    HWND w = message_window();
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    assert_int_equal(WSAAsyncSelect(s, w, WM_SOCKET, FD_READ | FD_CLOSE), 0);
    conf_send_all(c, "abc", 3);
    MSG m;
    assert_true(wait_socket_message(w, &m, 5000));
    assert_true(m.wParam == (WPARAM)s);
    assert_int_equal(WSAGETSELECTEVENT(m.lParam), FD_READ);
    assert_int_equal(WSAGETSELECTERROR(m.lParam), 0);
    char buf[8];
    assert_int_equal(recv(s, buf, sizeof buf, 0), 3);
    assert_int_equal(closesocket(c), 0);
    bool closed = false;
    while (!closed && wait_socket_message(w, &m, 5000)) {
        assert_true(m.wParam == (WPARAM)s);
        closed = WSAGETSELECTEVENT(m.lParam) == FD_CLOSE;
        if (WSAGETSELECTEVENT(m.lParam) == FD_READ)
            recv(s, buf, sizeof buf, 0);
    }
    assert_true(closed);
    assert_int_equal(WSAGETSELECTERROR(m.lParam), 0);
    closesocket(s);
    DestroyWindow(w);
}

static void event_select_replaces_async_select(void **state)
{
    (void)state;
    HWND w = message_window();
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    assert_int_equal(WSAAsyncSelect(s, w, WM_SOCKET, FD_READ), 0);
    WSAEVENT ev = WSACreateEvent();
    assert_int_equal(WSAEventSelect(s, ev, FD_READ), 0);
    conf_send_all(c, "x", 1);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    MSG m;
    assert_false(wait_socket_message(w, &m, 300)); /* the window's registration is gone */
    WSACloseEvent(ev);
    closesocket(c);
    closesocket(s);
    DestroyWindow(w);
}

static void select_on_several_sockets(void **state)
{
    (void)state;
    SOCKET c1, s1, c2, s2;
    conf_tcp_pair(AF_INET, &c1, &s1);
    conf_tcp_pair(AF_INET6, &c2, &s2);
    conf_send_all(c2, "z", 1);
    fd_set r, wr;
    struct timeval tv = {5, 0};
    /* Wait until s2 is readable; s1 never is. */
    int n = 0;
    for (int tries = 0; tries < 50; tries++) {
        FD_ZERO(&r);
        FD_SET(s1, &r);
        FD_SET(s2, &r);
        n = select(0, &r, NULL, NULL, &tv);
        if (n > 0)
            break;
    }
    assert_int_equal(n, 1);
    assert_false(FD_ISSET(s1, &r));
    assert_true(FD_ISSET(s2, &r));
    FD_ZERO(&wr);
    FD_SET(c1, &wr);
    FD_SET(c2, &wr);
    assert_int_equal(select(0, NULL, &wr, NULL, &tv), 2);
    assert_true(FD_ISSET(c1, &wr) && FD_ISSET(c2, &wr));
    /* Nothing to wait for at all is an error. */
    struct timeval zero = {0, 0};
    assert_int_equal(select(0, NULL, NULL, NULL, &zero), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    closesocket(c1);
    closesocket(s1);
    closesocket(c2);
    closesocket(s2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nonblocking_connect_by_event),
        cmocka_unit_test(async_select_messages),
        cmocka_unit_test(event_select_replaces_async_select),
        cmocka_unit_test(select_on_several_sockets),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

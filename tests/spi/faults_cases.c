/* The application call that reaches each WSP entry point ShareLSP forwards
 * to its lower provider. Not here, and why:
 *   WSPCleanup: ShareLSP stops its lower provider at the last WSACleanup
 *     and has nothing to report a failure to; no socket outlives it.
 *   WSPCancelBlockingCall: ShareLSP answers it itself (Winsock 2.2 has no
 *     blocking hooks) and never calls the lower provider's.
 *   WSPStartup: not in the proc table; a provider that fails to start is
 *     tested by tests/host (provider loading). */
#include "faults.h"

#include <string.h>

/* The error of a call that returned failed, else 0. */
static int faults_error(bool failed) { return failed ? WSAGetLastError() : 0; }

SOCKET faults_listener(struct sockaddr_in *addr)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(l != INVALID_SOCKET);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof *addr;
    assert_int_equal(bind(l, (struct sockaddr *)addr, len), 0);
    assert_int_equal(listen(l, 4), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)addr, &len), 0);
    return l;
}

/* Whether an overlapped call returned pending. */
static bool faults_pending(int r) { return r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING; }

/* A request that must pend and then fail: its error, or -1 if it did not
 * pend, -2 if it never completed. */
static int faults_pended(SOCKET s, bool pending, WSAOVERLAPPED *ov)
{
    if (!pending)
        return -1;
    if (WSAWaitForMultipleEvents(1, &ov->hEvent, FALSE, 5000, FALSE) != WSA_WAIT_EVENT_0)
        return -2;
    DWORD bytes = 99, flags = 0;
    int err = faults_error(!WSAGetOverlappedResult(s, ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 0);
    return err;
}

static int provoke_socket(fault_sweep *x)
{
    (void)x;
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    int err = faults_error(t == INVALID_SOCKET);
    if (t != INVALID_SOCKET)
        closesocket(t);
    return err;
}

static int provoke_accept(fault_sweep *x)
{
    (void)x;
    struct sockaddr_in addr;
    SOCKET l = faults_listener(&addr);
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(t, (struct sockaddr *)&addr, sizeof addr), 0);
    SOCKET a = accept(l, NULL, NULL);
    int err = faults_error(a == INVALID_SOCKET);
    /* The connection waits still: the fault took nothing from the queue. */
    if (a == INVALID_SOCKET)
        a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(t), 0);
    assert_int_equal(closesocket(l), 0);
    return err;
}

static int provoke_bind(fault_sweep *x)
{
    (void)x;
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int err = faults_error(bind(t, (struct sockaddr *)&addr, sizeof addr) != 0);
    assert_int_equal(bind(t, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(closesocket(t), 0);
    return err;
}

static int provoke_listen(fault_sweep *x)
{
    (void)x;
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(t, (struct sockaddr *)&addr, sizeof addr), 0);
    int err = faults_error(listen(t, 4) != 0);
    assert_int_equal(listen(t, 4), 0);
    assert_int_equal(closesocket(t), 0);
    return err;
}

static int provoke_connect(fault_sweep *x)
{
    (void)x;
    struct sockaddr_in addr;
    SOCKET l = faults_listener(&addr);
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    int err = faults_error(connect(t, (struct sockaddr *)&addr, sizeof addr) != 0);
    assert_int_equal(connect(t, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(closesocket(t), 0);
    assert_int_equal(closesocket(l), 0);
    return err;
}

static int provoke_join_leaf(fault_sweep *x)
{
    (void)x;
    struct sockaddr_in addr;
    SOCKET l = faults_listener(&addr);
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    SOCKET j = WSAJoinLeaf(t, (struct sockaddr *)&addr, sizeof addr, NULL, NULL, NULL, NULL, JL_BOTH);
    int err = faults_error(j == INVALID_SOCKET);
    assert_int_equal(closesocket(t), 0);
    assert_int_equal(closesocket(l), 0);
    return err;
}

static int provoke_address_to_string(fault_sweep *x)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    WCHAR text[64];
    DWORD len = 64;
    WSAPROTOCOL_INFOW info = x->chain;
    int err = faults_error(WSAAddressToStringW((struct sockaddr *)&addr, sizeof addr, &info, text, &len) != 0);
    len = 64;
    assert_int_equal(WSAAddressToStringW((struct sockaddr *)&addr, sizeof addr, &info, text, &len), 0);
    assert_true(wcscmp(text, L"127.0.0.1") == 0);
    return err;
}

static int provoke_string_to_address(fault_sweep *x)
{
    struct sockaddr_in addr;
    INT len = sizeof addr;
    WSAPROTOCOL_INFOW info = x->chain;
    WCHAR text[] = L"127.0.0.1";
    int err = faults_error(WSAStringToAddressW(text, AF_INET, &info, (struct sockaddr *)&addr, &len) != 0);
    len = sizeof addr;
    assert_int_equal(WSAStringToAddressW(text, AF_INET, &info, (struct sockaddr *)&addr, &len), 0);
    assert_int_equal(addr.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    return err;
}

/* An async registration (the standing one again, or one replacing an
 * event's), refused: the standing one must still be the one heard from. */
static int provoke_async_select(fault_sweep *x)
{
    return faults_error(WSAAsyncSelect(x->s, x->window, FAULT_MESSAGE, FD_READ) != 0);
}

static int provoke_event_select(fault_sweep *x)
{
    WSAEVENT ev = WSACreateEvent();
    int err = faults_error(WSAEventSelect(x->s, ev, FD_READ) != 0);
    WSACloseEvent(ev);
    return err;
}

static int provoke_enum_network_events(fault_sweep *x)
{
    WSANETWORKEVENTS ne;
    return faults_error(WSAEnumNetworkEvents(x->s, NULL, &ne) != 0);
}

static int provoke_close(fault_sweep *x) { return faults_error(closesocket(x->s) != 0); }

static int provoke_duplicate(fault_sweep *x)
{
    WSAPROTOCOL_INFOW info;
    return faults_error(WSADuplicateSocketW(x->s, x->other_process, &info) != 0);
}

/* The lower provider's result of a receive that succeeded below cannot be
 * read: the application's receive fails with that error, nothing counted. */
static int provoke_get_overlapped_result(fault_sweep *x)
{
    char b = 0;
    WSABUF buf = {1, &b};
    DWORD flags = 0;
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    bool pending = faults_pending(WSARecv(x->s, &buf, 1, NULL, &flags, &ov, NULL));
    assert_int_equal(send(x->c, "g", 1, 0), 1);
    int err = faults_pended(x->s, pending, &ov);
    WSACloseEvent(ov.hEvent);
    return err;
}

static int provoke_get_peer_name(fault_sweep *x)
{
    struct sockaddr_in addr;
    int len = sizeof addr;
    return faults_error(getpeername(x->s, (struct sockaddr *)&addr, &len) != 0);
}

static int provoke_get_sock_name(fault_sweep *x)
{
    struct sockaddr_in addr;
    int len = sizeof addr;
    return faults_error(getsockname(x->s, (struct sockaddr *)&addr, &len) != 0);
}

static int provoke_get_sock_opt(fault_sweep *x)
{
    int value = 0, len = sizeof value;
    return faults_error(getsockopt(x->s, SOL_SOCKET, SO_RCVBUF, (char *)&value, &len) != 0);
}

static int provoke_set_sock_opt(fault_sweep *x)
{
    int value = 1;
    return faults_error(setsockopt(x->s, IPPROTO_TCP, TCP_NODELAY, (char *)&value, sizeof value) != 0);
}

static int provoke_get_qos_by_name(fault_sweep *x)
{
    char name[] = "G711";
    WSABUF buf = {sizeof name, name};
    QOS qos;
    return faults_error(!WSAGetQOSByName(x->s, &buf, &qos));
}

static int provoke_ioctl(fault_sweep *x)
{
    u_long n = 0;
    return faults_error(ioctlsocket(x->s, FIONREAD, &n) != 0);
}

static int provoke_ioctl_pending(fault_sweep *x)
{
    u_long n = 0;
    DWORD bytes = 0;
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    int err =
        faults_pended(x->s, faults_pending(WSAIoctl(x->s, FIONREAD, NULL, 0, &n, sizeof n, &bytes, &ov, NULL)), &ov);
    WSACloseEvent(ov.hEvent);
    return err;
}

static int provoke_recv(fault_sweep *x)
{
    char b;
    return faults_error(recv(x->s, &b, 1, 0) != 1);
}

static int provoke_recv_pending(fault_sweep *x)
{
    char b = 0;
    WSABUF buf = {1, &b};
    DWORD flags = 0;
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    int err = faults_pended(x->s, faults_pending(WSARecv(x->s, &buf, 1, NULL, &flags, &ov, NULL)), &ov);
    WSACloseEvent(ov.hEvent);
    return err;
}

static int provoke_recv_from(fault_sweep *x)
{
    char b;
    return faults_error(recvfrom(x->s, &b, 1, 0, NULL, NULL) != 1);
}

static int provoke_recv_from_pending(fault_sweep *x)
{
    char b = 0;
    WSABUF buf = {1, &b};
    DWORD flags = 0;
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    int err = faults_pended(x->s, faults_pending(WSARecvFrom(x->s, &buf, 1, NULL, &flags, NULL, NULL, &ov, NULL)), &ov);
    WSACloseEvent(ov.hEvent);
    return err;
}

static int provoke_send(fault_sweep *x) { return faults_error(send(x->s, "s", 1, 0) != 1); }

static int provoke_send_pending(fault_sweep *x)
{
    WSABUF buf = {1, "s"};
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    int err = faults_pended(x->s, faults_pending(WSASend(x->s, &buf, 1, NULL, 0, &ov, NULL)), &ov);
    WSACloseEvent(ov.hEvent);
    return err;
}

static int provoke_send_to(fault_sweep *x) { return faults_error(sendto(x->s, "s", 1, 0, NULL, 0) != 1); }

static int provoke_send_to_pending(fault_sweep *x)
{
    WSABUF buf = {1, "s"};
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    int err = faults_pended(x->s, faults_pending(WSASendTo(x->s, &buf, 1, NULL, 0, NULL, 0, &ov, NULL)), &ov);
    WSACloseEvent(ov.hEvent);
    return err;
}

static int provoke_recv_disconnect(fault_sweep *x) { return faults_error(WSARecvDisconnect(x->s, NULL) != 0); }

static int provoke_send_disconnect(fault_sweep *x) { return faults_error(WSASendDisconnect(x->s, NULL) != 0); }

static int provoke_select(fault_sweep *x)
{
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(x->s, &readable);
    struct timeval now = {0, 0};
    return faults_error(select(0, &readable, NULL, NULL, &now) == SOCKET_ERROR);
}

static int provoke_shutdown(fault_sweep *x) { return faults_error(shutdown(x->s, SD_SEND) != 0); }

const fault_case fault_cases[] = {
    {"WSPSocket", false, true, provoke_socket},
    {"WSPAccept", false, true, provoke_accept},
    {"WSPBind", false, true, provoke_bind},
    {"WSPListen", false, true, provoke_listen},
    {"WSPConnect", false, true, provoke_connect},
    {"WSPJoinLeaf", false, true, provoke_join_leaf},
    {"WSPAddressToString", false, false, provoke_address_to_string},
    {"WSPStringToAddress", false, false, provoke_string_to_address},
    {"WSPAsyncSelect", false, false, provoke_async_select},
    {"WSPEventSelect", false, false, provoke_event_select},
    {"WSPEnumNetworkEvents", false, false, provoke_enum_network_events},
    {"WSPCloseSocket", false, false, provoke_close},
    {"WSPDuplicateSocket", false, false, provoke_duplicate},
    {"WSPGetOverlappedResult", false, false, provoke_get_overlapped_result},
    {"WSPGetPeerName", false, false, provoke_get_peer_name},
    {"WSPGetSockName", false, false, provoke_get_sock_name},
    {"WSPGetSockOpt", false, false, provoke_get_sock_opt},
    {"WSPSetSockOpt", false, false, provoke_set_sock_opt},
    {"WSPGetQOSByName", false, false, provoke_get_qos_by_name},
    {"WSPIoctl", false, false, provoke_ioctl},
    {"WSPIoctl", true, false, provoke_ioctl_pending},
    {"WSPRecv", false, false, provoke_recv},
    {"WSPRecv", true, false, provoke_recv_pending},
    {"WSPRecvFrom", false, false, provoke_recv_from},
    {"WSPRecvFrom", true, false, provoke_recv_from_pending},
    {"WSPSend", false, false, provoke_send},
    {"WSPSend", true, false, provoke_send_pending},
    {"WSPSendTo", false, false, provoke_send_to},
    {"WSPSendTo", true, false, provoke_send_to_pending},
    {"WSPRecvDisconnect", false, false, provoke_recv_disconnect},
    {"WSPSendDisconnect", false, false, provoke_send_disconnect},
    {"WSPSelect", false, false, provoke_select},
    {"WSPShutdown", false, false, provoke_shutdown},
};
const size_t fault_case_count = sizeof fault_cases / sizeof fault_cases[0];

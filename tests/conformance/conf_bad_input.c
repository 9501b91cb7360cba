/* Bad input, entry point by entry point: closed, never-valid and non-socket
 * handles, null and short buffers, lengths of 0, -1 and INT_MAX, empty and
 * oversized sets, huge buffer counts. Each row's result (return value and
 * error) is the one Wine's ws2_32 gives, and the same program must give it
 * through wsphost and through ShareLSP: nothing crashes, nothing is
 * refused differently, and the socket tried on still works afterwards.
 * CONF_BAD_INPUT_PRINT=1 prints every row's result instead of checking
 * (how the table below was taken from the ws2_32 build). */
#include "conformance.h"

#include <limits.h>
#include <mswsock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socket_drain.h"

/* What one row works on: a connected pair, a listener, a UDP socket, and
 * the bad handles. */
typedef struct {
    SOCKET s, c;      /* a connected TCP pair: s the server side */
    SOCKET listener;  /* listening, nothing queued, non-blocking */
    SOCKET fresh;     /* a TCP socket neither bound nor connected */
    SOCKET udp;       /* bound, unconnected, non-blocking */
    SOCKET closed;    /* a socket handle already closed */
    SOCKET bogus;     /* a value no handle ever had */
    SOCKET event;     /* a handle, but an event's */
    HWND window;      /* a message-only window */
    WSAEVENT ev;
} bad_env;

typedef struct {
    const char *name;
    int (*call)(bad_env *e, SOCKET h);
    int handle; /* 0: the row picks its socket; 1: run with each bad handle */
    int rc[3];  /* expected return value: the row's own socket, or closed, bogus, event */
    int err[3]; /* expected WSAGetLastError() after a failure (0: none checked) */
    int documented; /* Wine's ws2_32 differs from Windows' documented answer (it
                       crashes, or takes what Windows refuses): the row holds the
                       documented answer and the ws2_32 build skips it */
} bad_row;

static char buf[64];

/* --- handle rows: every entry point on the three bad handles --- */

static int h_bind(bad_env *e, SOCKET h)
{
    (void)e;
    struct sockaddr_in a = {.sin_family = AF_INET};
    return bind(h, (struct sockaddr *)&a, sizeof a);
}
static int h_listen(bad_env *e, SOCKET h) { (void)e; return listen(h, 1); }
static int h_connect(bad_env *e, SOCKET h)
{
    (void)e;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    return connect(h, (struct sockaddr *)&a, sizeof a);
}
static int h_accept(bad_env *e, SOCKET h) { (void)e; return accept(h, NULL, NULL) == INVALID_SOCKET ? SOCKET_ERROR : 0; }
static int h_send(bad_env *e, SOCKET h) { (void)e; return send(h, "x", 1, 0); }
static int h_recv(bad_env *e, SOCKET h) { (void)e; return recv(h, buf, sizeof buf, 0); }
static int h_sendto(bad_env *e, SOCKET h)
{
    (void)e;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    return sendto(h, "x", 1, 0, (struct sockaddr *)&a, sizeof a);
}
static int h_recvfrom(bad_env *e, SOCKET h) { (void)e; return recvfrom(h, buf, sizeof buf, 0, NULL, NULL); }
static int h_wsasend(bad_env *e, SOCKET h)
{
    (void)e;
    WSABUF b = {1, (char *)"x"};
    DWORD n = 0;
    return WSASend(h, &b, 1, &n, 0, NULL, NULL);
}
static int h_wsarecv(bad_env *e, SOCKET h)
{
    (void)e;
    WSABUF b = {sizeof buf, buf};
    DWORD n = 0, flags = 0;
    return WSARecv(h, &b, 1, &n, &flags, NULL, NULL);
}
static int h_getsockopt(bad_env *e, SOCKET h)
{
    (void)e;
    int v = 0, len = sizeof v;
    return getsockopt(h, SOL_SOCKET, SO_TYPE, (char *)&v, &len);
}
static int h_setsockopt(bad_env *e, SOCKET h)
{
    (void)e;
    int v = 1;
    return setsockopt(h, SOL_SOCKET, SO_KEEPALIVE, (char *)&v, sizeof v);
}
static int h_getsockname(bad_env *e, SOCKET h)
{
    (void)e;
    struct sockaddr_in a;
    int len = sizeof a;
    return getsockname(h, (struct sockaddr *)&a, &len);
}
static int h_getpeername(bad_env *e, SOCKET h)
{
    (void)e;
    struct sockaddr_in a;
    int len = sizeof a;
    return getpeername(h, (struct sockaddr *)&a, &len);
}
static int h_shutdown(bad_env *e, SOCKET h) { (void)e; return shutdown(h, SD_BOTH); }
static int h_ioctlsocket(bad_env *e, SOCKET h)
{
    (void)e;
    u_long v = 1;
    return ioctlsocket(h, FIONBIO, &v);
}
static int h_wsaioctl(bad_env *e, SOCKET h)
{
    (void)e;
    u_long v = 0;
    DWORD n = 0;
    return WSAIoctl(h, FIONREAD, NULL, 0, &v, sizeof v, &n, NULL, NULL);
}
static int h_eventselect(bad_env *e, SOCKET h) { return WSAEventSelect(h, e->ev, FD_READ); }
static int h_asyncselect(bad_env *e, SOCKET h) { return WSAAsyncSelect(h, e->window, WM_USER, FD_READ); }
static int h_enumevents(bad_env *e, SOCKET h)
{
    WSANETWORKEVENTS ne;
    return WSAEnumNetworkEvents(h, e->ev, &ne);
}
static int h_duplicate(bad_env *e, SOCKET h)
{
    (void)e;
    WSAPROTOCOL_INFOW info;
    return WSADuplicateSocketW(h, GetCurrentProcessId(), &info);
}
static int h_select(bad_env *e, SOCKET h)
{
    (void)e;
    fd_set r;
    FD_ZERO(&r);
    FD_SET(h, &r);
    struct timeval tv = {0, 0};
    return select(0, &r, NULL, NULL, &tv);
}
static int h_recvdisconnect(bad_env *e, SOCKET h) { (void)e; return WSARecvDisconnect(h, NULL); }
static int h_senddisconnect(bad_env *e, SOCKET h) { (void)e; return WSASendDisconnect(h, NULL); }
static int h_overlappedresult(bad_env *e, SOCKET h)
{
    (void)e;
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    DWORD n = 0, flags = 0;
    return WSAGetOverlappedResult(h, &ov, &n, FALSE, &flags) ? 0 : SOCKET_ERROR;
}
static int h_closesocket(bad_env *e, SOCKET h) { (void)e; return closesocket(h); }

/* --- argument rows: one entry point, one bad argument, on a good socket --- */

static int a_send_0(bad_env *e, SOCKET h) { (void)h; return send(e->s, buf, 0, 0); }
static int a_send_neg(bad_env *e, SOCKET h) { (void)h; return send(e->s, buf, -1, 0); }
static int a_send_null(bad_env *e, SOCKET h) { (void)h; return send(e->s, NULL, 4, 0); }
/* A length of 0 with data waiting (with none, a blocking socket waits). */
static int a_recv_0(bad_env *e, SOCKET h)
{
    (void)h;
    conf_send_all(e->c, "z", 1);
    Sleep(20);
    return recv(e->s, buf, 0, 0);
}
static int a_recv_neg(bad_env *e, SOCKET h) { (void)h; return recv(e->s, buf, -1, 0); }
/* A length far past the buffer: the bytes waiting fit, so only they land. */
static int a_recv_max(bad_env *e, SOCKET h)
{
    (void)h;
    conf_send_all(e->c, "ab", 2);
    Sleep(50);
    return recv(e->s, buf, INT_MAX, 0);
}
static int a_recv_null(bad_env *e, SOCKET h) { (void)h; return recv(e->s, NULL, 4, 0); }
static int a_wsasend_no_buffers(bad_env *e, SOCKET h)
{
    (void)h;
    DWORD n = 7;
    return WSASend(e->s, NULL, 1, &n, 0, NULL, NULL);
}
static int a_wsasend_count_0(bad_env *e, SOCKET h)
{
    (void)h;
    WSABUF b = {1, (char *)"x"};
    DWORD n = 7;
    int rc = WSASend(e->s, &b, 0, &n, 0, NULL, NULL);
    return rc == 0 ? (int)n : rc;
}
static int a_wsasend_huge_count(bad_env *e, SOCKET h)
{
    (void)h;
    enum { COUNT = 4096 };
    WSABUF *b = calloc(COUNT, sizeof *b);
    for (int i = 0; i < COUNT; i++)
        b[i] = (WSABUF){0, buf};
    b[COUNT - 1].len = 1;
    DWORD n = 7;
    int rc = WSASend(e->s, b, COUNT, &n, 0, NULL, NULL);
    free(b);
    char got;
    if (rc == 0 && recv(e->c, &got, 1, 0) != 1)
        return -2;
    return rc == 0 ? (int)n : rc;
}
static int a_wsarecv_flags_null(bad_env *e, SOCKET h)
{
    (void)h;
    WSABUF b = {sizeof buf, buf};
    DWORD n = 0;
    return WSARecv(e->s, &b, 1, &n, NULL, NULL, NULL);
}
static int a_sendto_short_address(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    return sendto(e->udp, "x", 1, 0, (struct sockaddr *)&a, 4);
}
static int a_sendto_no_address(bad_env *e, SOCKET h)
{
    (void)h;
    return sendto(e->udp, "x", 1, 0, NULL, 0);
}
static int a_recvfrom_short_length(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in a;
    int len = 4;
    return recvfrom(e->udp, buf, sizeof buf, 0, (struct sockaddr *)&a, &len);
}
static int a_getsockopt_len_null(bad_env *e, SOCKET h)
{
    (void)h;
    int v = 0;
    return getsockopt(e->s, SOL_SOCKET, SO_RCVBUF, (char *)&v, NULL);
}
static int a_getsockopt_value_null(bad_env *e, SOCKET h)
{
    (void)h;
    int len = sizeof(int);
    return getsockopt(e->s, SOL_SOCKET, SO_RCVBUF, NULL, &len);
}
static int a_getsockopt_len_neg(bad_env *e, SOCKET h)
{
    (void)h;
    int v = 0, len = -1;
    return getsockopt(e->s, SOL_SOCKET, SO_RCVBUF, (char *)&v, &len);
}
static int a_getsockopt_unknown_level(bad_env *e, SOCKET h)
{
    (void)h;
    int v = 0, len = sizeof v;
    return getsockopt(e->s, 0x7654, 1, (char *)&v, &len);
}
static int a_getsockopt_unknown_option(bad_env *e, SOCKET h)
{
    (void)h;
    int v = 0, len = sizeof v;
    return getsockopt(e->s, SOL_SOCKET, 0x7654, (char *)&v, &len);
}
static int a_setsockopt_len_0(bad_env *e, SOCKET h)
{
    (void)h;
    int v = 1;
    return setsockopt(e->s, SOL_SOCKET, SO_KEEPALIVE, (char *)&v, 0);
}
static int a_setsockopt_len_neg(bad_env *e, SOCKET h)
{
    (void)h;
    int v = 1;
    return setsockopt(e->s, SOL_SOCKET, SO_KEEPALIVE, (char *)&v, -1);
}
static int a_setsockopt_unknown_option(bad_env *e, SOCKET h)
{
    (void)h;
    int v = 1;
    return setsockopt(e->s, SOL_SOCKET, 0x7654, (char *)&v, sizeof v);
}
static int a_getsockname_len_neg(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in a;
    int len = -1;
    return getsockname(e->s, (struct sockaddr *)&a, &len);
}
static int a_getsockname_unbound(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in a;
    int len = sizeof a;
    return getsockname(e->fresh, (struct sockaddr *)&a, &len);
}
static int a_getpeername_unconnected(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in a;
    int len = sizeof a;
    return getpeername(e->fresh, (struct sockaddr *)&a, &len);
}
static int a_bind_twice(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    return bind(e->s, (struct sockaddr *)&a, sizeof a);
}
static int a_bind_other_family(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in6 a = {.sin6_family = AF_INET6};
    return bind(e->fresh, (struct sockaddr *)&a, sizeof a);
}
static int a_bind_len_neg(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in a = {.sin_family = AF_INET};
    return bind(e->fresh, (struct sockaddr *)&a, -1);
}
static int a_connect_len_0(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in a = {.sin_family = AF_INET};
    return connect(e->fresh, (struct sockaddr *)&a, 0);
}
static int a_connect_connected(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in a;
    int len = sizeof a;
    if (getpeername(e->s, (struct sockaddr *)&a, &len) != 0)
        return -2;
    return connect(e->s, (struct sockaddr *)&a, len);
}
static int a_listen_connected(bad_env *e, SOCKET h) { (void)h; return listen(e->s, 5); }
static int a_accept_not_listening(bad_env *e, SOCKET h)
{
    (void)h;
    return accept(e->s, NULL, NULL) == INVALID_SOCKET ? SOCKET_ERROR : 0;
}
static int a_accept_short_length(bad_env *e, SOCKET h)
{
    (void)h;
    struct sockaddr_in a;
    int len = 4;
    return accept(e->listener, (struct sockaddr *)&a, &len) == INVALID_SOCKET ? SOCKET_ERROR : 0;
}
static int a_accept_nothing_waiting(bad_env *e, SOCKET h)
{
    (void)h;
    return accept(e->listener, NULL, NULL) == INVALID_SOCKET ? SOCKET_ERROR : 0;
}
static int a_shutdown_bad_how(bad_env *e, SOCKET h) { (void)h; return shutdown(e->s, 7); }
static int a_recv_listening(bad_env *e, SOCKET h) { (void)h; return recv(e->listener, buf, sizeof buf, 0); }
static int a_send_unconnected(bad_env *e, SOCKET h) { (void)h; return send(e->fresh, "x", 1, 0); }
static int a_ioctlsocket_null(bad_env *e, SOCKET h) { (void)h; return ioctlsocket(e->s, FIONBIO, NULL); }
static int a_ioctlsocket_unknown(bad_env *e, SOCKET h)
{
    (void)h;
    u_long v = 0;
    return ioctlsocket(e->s, 0x7654, &v);
}
static int a_wsaioctl_out_null(bad_env *e, SOCKET h)
{
    (void)h;
    DWORD n = 0;
    return WSAIoctl(e->s, FIONREAD, NULL, 0, NULL, sizeof(u_long), &n, NULL, NULL);
}
static int a_wsaioctl_out_short(bad_env *e, SOCKET h)
{
    (void)h;
    u_long v = 0;
    DWORD n = 0;
    return WSAIoctl(e->s, FIONREAD, NULL, 0, &v, 2, &n, NULL, NULL);
}
static int a_wsaioctl_bytes_null(bad_env *e, SOCKET h)
{
    (void)h;
    u_long v = 0;
    return WSAIoctl(e->s, FIONREAD, NULL, 0, &v, sizeof v, NULL, NULL, NULL);
}
static int a_wsaioctl_unknown_guid(bad_env *e, SOCKET h)
{
    (void)h;
    GUID g = {0x12345678, 0x1234, 0x1234, {1, 2, 3, 4, 5, 6, 7, 8}};
    void *fn = NULL;
    DWORD n = 0;
    return WSAIoctl(e->s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof g, &fn, sizeof fn, &n, NULL, NULL);
}
static int a_wsaioctl_guid_short(bad_env *e, SOCKET h)
{
    (void)h;
    GUID g = WSAID_ACCEPTEX;
    void *fn = NULL;
    DWORD n = 0;
    return WSAIoctl(e->s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof g - 1, &fn, sizeof fn, &n, NULL, NULL);
}
static int a_wsaioctl_pointer_short(bad_env *e, SOCKET h)
{
    (void)h;
    GUID g = WSAID_ACCEPTEX;
    void *fn = NULL;
    DWORD n = 0;
    return WSAIoctl(e->s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof g, &fn, sizeof fn - 1, &n, NULL, NULL);
}
static int a_eventselect_bad_event(bad_env *e, SOCKET h)
{
    (void)h;
    return WSAEventSelect(e->s, (WSAEVENT)(uintptr_t)0xdead0, FD_READ);
}
static int a_eventselect_none(bad_env *e, SOCKET h) { (void)h; return WSAEventSelect(e->s, NULL, 0); }
static int a_asyncselect_no_window(bad_env *e, SOCKET h) { (void)h; return WSAAsyncSelect(e->s, NULL, 0, 0); }
static int a_enumevents_no_event(bad_env *e, SOCKET h)
{
    (void)h;
    WSANETWORKEVENTS ne;
    return WSAEnumNetworkEvents(e->s, NULL, &ne);
}
static int a_enumevents_no_result(bad_env *e, SOCKET h) { (void)h; return WSAEnumNetworkEvents(e->s, e->ev, NULL); }
static int a_duplicate_no_info(bad_env *e, SOCKET h) { (void)h; return WSADuplicateSocketW(e->s, GetCurrentProcessId(), NULL); }
static int a_duplicate_no_process(bad_env *e, SOCKET h)
{
    (void)h;
    WSAPROTOCOL_INFOW info;
    return WSADuplicateSocketW(e->s, 0, &info);
}
static int a_select_no_sets(bad_env *e, SOCKET h)
{
    (void)e, (void)h;
    struct timeval tv = {0, 0};
    return select(0, NULL, NULL, NULL, &tv);
}
static int a_select_empty_sets(bad_env *e, SOCKET h)
{
    (void)e, (void)h;
    fd_set r;
    FD_ZERO(&r);
    struct timeval tv = {0, 0};
    return select(0, &r, NULL, NULL, &tv);
}
static int a_select_one_bad_among_good(bad_env *e, SOCKET h)
{
    (void)h;
    fd_set r;
    FD_ZERO(&r);
    FD_SET(e->s, &r);
    FD_SET(e->closed, &r);
    struct timeval tv = {0, 0};
    return select(0, &r, NULL, NULL, &tv);
}
static int a_select_negative_time(bad_env *e, SOCKET h)
{
    (void)h;
    fd_set w;
    FD_ZERO(&w);
    FD_SET(e->s, &w);
    struct timeval tv = {-1, 0};
    return select(0, NULL, &w, NULL, &tv);
}
static int a_overlapped_result_null(bad_env *e, SOCKET h)
{
    (void)h;
    DWORD n = 0, flags = 0;
    return WSAGetOverlappedResult(e->s, NULL, &n, FALSE, &flags) ? 0 : SOCKET_ERROR;
}
static int a_socket_bad_family(bad_env *e, SOCKET h)
{
    (void)e, (void)h;
    SOCKET t = socket(0x7654, SOCK_STREAM, 0);
    if (t != INVALID_SOCKET)
        closesocket(t);
    return t == INVALID_SOCKET ? SOCKET_ERROR : 0;
}
static int a_socket_bad_type(bad_env *e, SOCKET h)
{
    (void)e, (void)h;
    SOCKET t = socket(AF_INET, 0x7654, 0);
    if (t != INVALID_SOCKET)
        closesocket(t);
    return t == INVALID_SOCKET ? SOCKET_ERROR : 0;
}
static int a_socket_bad_protocol(bad_env *e, SOCKET h)
{
    (void)e, (void)h;
    SOCKET t = socket(AF_INET, SOCK_STREAM, IPPROTO_UDP);
    if (t != INVALID_SOCKET)
        closesocket(t);
    return t == INVALID_SOCKET ? SOCKET_ERROR : 0;
}

#define HANDLE_ROW(fn, rc0, e0, rc1, e1, rc2, e2) {#fn, fn, 1, {rc0, rc1, rc2}, {e0, e1, e2}, 0}
#define ARG_ROW(fn, rc0, e0) {#fn, fn, 0, {rc0, 0, 0}, {e0, 0, 0}, 0}
#define DOCUMENTED_ROW(fn, rc0, e0) {#fn, fn, 0, {rc0, 0, 0}, {e0, 0, 0}, 1}
#define FAIL SOCKET_ERROR

/* Rows and results: Wine 8.0's ws2_32. Handle rows: closed, never valid, an
 * event's handle. Documented rows, where Wine's ws2_32 is not Windows:
 * - WSAEnumNetworkEvents with no result structure: Wine's crashes; Windows
 *   documents WSAEFAULT.
 * - SIO_GET_EXTENSION_FUNCTION_POINTER with a GUID or a pointer buffer one
 *   byte short: Wine's answers success (and writes a whole pointer into the
 *   short buffer); Windows documents WSAEFAULT for a buffer too small.
 * Rows where Wine's answer is odd but harmless keep it, as programs under Wine
 * see it: connect with a length of 0 succeeds, a negative select time-out
 * waits no time. */
static const bad_row rows[] = {
#include "conf_bad_input_rows.h"
};

static void env_open(bad_env *e)
{
    conf_tcp_pair(AF_INET, &e->c, &e->s);
    struct sockaddr_storage a;
    int len = sizeof a;
    e->listener = conf_listener(AF_INET, &a, &len);
    e->fresh = socket(AF_INET, SOCK_STREAM, 0);
    len = sizeof a;
    e->udp = conf_udp(AF_INET, &a, &len);
    e->closed = socket(AF_INET, SOCK_STREAM, 0);
    closesocket(e->closed);
    u_long on = 1; /* rows that would wait on these fail at once instead */
    assert_int_equal(ioctlsocket(e->listener, FIONBIO, &on), 0);
    assert_int_equal(ioctlsocket(e->udp, FIONBIO, &on), 0);
    e->bogus = (SOCKET)0xdead0;
    e->ev = WSACreateEvent();
    e->event = (SOCKET)CreateEventW(NULL, FALSE, FALSE, NULL);
    e->window = CreateWindowExW(0, L"STATIC", L"bad input", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    assert_true(e->s != INVALID_SOCKET && e->fresh != INVALID_SOCKET && e->window != NULL);
}

static void env_close(bad_env *e)
{
    closesocket(e->c);
    closesocket(e->s);
    closesocket(e->listener);
    closesocket(e->fresh);
    closesocket(e->udp);
    WSACloseEvent(e->ev);
    CloseHandle((HANDLE)e->event);
    DestroyWindow(e->window);
}

/* The pair still carries data both ways, once what a row left in flight
 * is taken (a send with a length past its buffer may send part of it
 * before it fails, as Wine's does). */
static void env_still_works(bad_env *e)
{
    test_drain_received(e->c, 20);
    test_drain_received(e->s, 20);
    char got[2];
    conf_send_all(e->c, "ok", 2);
    conf_recv_exact(e->s, got, 2);
    conf_send_all(e->s, "ko", 2);
    conf_recv_exact(e->c, got, 2);
    assert_memory_equal(got, "ko", 2);
}

static void every_row_as_ws2_32_answers(void **state)
{
    (void)state;
    bool print = getenv("CONF_BAD_INPUT_PRINT") != NULL;
    int failures = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const bad_row *r = &rows[i];
        if (r->documented && !conf_through_wsphost())
            continue;
        bad_env e;
        env_open(&e);
        SOCKET handles[3] = {e.closed, e.bogus, e.event};
        int runs = r->handle ? 3 : 1;
        int rc[3] = {0}, err[3] = {0};
        for (int k = 0; k < runs; k++) {
            WSASetLastError(0xdead);
            rc[k] = r->call(&e, r->handle ? handles[k] : INVALID_SOCKET);
            err[k] = rc[k] == SOCKET_ERROR ? WSAGetLastError() : 0;
        }
        if (print) {
            if (r->handle)
                printf("    HANDLE_ROW(%s, %d, %d, %d, %d, %d, %d),\n", r->name, rc[0], err[0], rc[1], err[1], rc[2],
                       err[2]);
            else
                printf("    ARG_ROW(%s, %d, %d),\n", r->name, rc[0], err[0]);
            fflush(stdout);
        } else {
            for (int k = 0; k < runs; k++) {
                if (rc[k] != r->rc[k] || (r->rc[k] == SOCKET_ERROR && err[k] != r->err[k])) {
                    printf("%s (%s): got %d error %d, expected %d error %d\n", r->name,
                           r->handle ? (k == 0 ? "closed" : k == 1 ? "never valid" : "event") : "argument", rc[k],
                           err[k], r->rc[k], r->err[k]);
                    failures++;
                }
            }
        }
        env_still_works(&e);
        env_close(&e);
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_as_ws2_32_answers),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

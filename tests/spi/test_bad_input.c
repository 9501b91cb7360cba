/* Bad input on every entry point through ShareLSP: a closed or unknown
 * handle gives WSAENOTSOCK on every call; null pointers and short lengths
 * give the exact Winsock error; nothing crashes and the socket it was tried
 * on (when open) still works afterwards. */
#include "spi.h"

#include <string.h>

#define EXPECT(call, error)                                                                                        \
    do {                                                                                                           \
        WSASetLastError(0);                                                                                        \
        assert_true((call) == SOCKET_ERROR);                                                                       \
        assert_int_equal(WSAGetLastError(), (error));                                                              \
    } while (0)

static void every_call_on_a_closed_handle(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(closesocket(s), 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    int len = sizeof a, opt = 0;
    char buf[4];
    u_long arg = 1;
    WSAPROTOCOL_INFOW info;
    WSANETWORKEVENTS ne;
    HWND w = CreateWindowExW(0, L"STATIC", L"bad", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    WSAEVENT ev = WSACreateEvent();
    EXPECT(bind(s, (struct sockaddr *)&a, sizeof a), WSAENOTSOCK);
    EXPECT(listen(s, 1), WSAENOTSOCK);
    EXPECT(connect(s, (struct sockaddr *)&a, sizeof a), WSAENOTSOCK);
    EXPECT((int)accept(s, NULL, NULL), WSAENOTSOCK);
    EXPECT(send(s, "x", 1, 0), WSAENOTSOCK);
    EXPECT(recv(s, buf, sizeof buf, 0), WSAENOTSOCK);
    EXPECT(sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof a), WSAENOTSOCK);
    EXPECT(recvfrom(s, buf, sizeof buf, 0, NULL, NULL), WSAENOTSOCK);
    len = sizeof opt;
    EXPECT(getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&opt, &len), WSAENOTSOCK);
    EXPECT(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, (char *)&opt, sizeof opt), WSAENOTSOCK);
    len = sizeof a;
    EXPECT(getsockname(s, (struct sockaddr *)&a, &len), WSAENOTSOCK);
    EXPECT(getpeername(s, (struct sockaddr *)&a, &len), WSAENOTSOCK);
    EXPECT(shutdown(s, SD_BOTH), WSAENOTSOCK);
    EXPECT(ioctlsocket(s, FIONBIO, &arg), WSAENOTSOCK);
    EXPECT(WSAEventSelect(s, ev, FD_READ), WSAENOTSOCK);
    EXPECT(WSAAsyncSelect(s, w, WM_USER, FD_READ), WSAENOTSOCK);
    EXPECT(WSAEnumNetworkEvents(s, ev, &ne), WSAENOTSOCK);
    EXPECT(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), WSAENOTSOCK);
    EXPECT(closesocket(s), WSAENOTSOCK);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(s, &r);
    struct timeval tv = {0, 0};
    EXPECT(select(0, &r, NULL, NULL, &tv), WSAENOTSOCK);
    WSACloseEvent(ev);
    DestroyWindow(w);
}

static void null_pointers_and_short_lengths(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    struct sockaddr_in a;
    int len = 4; /* shorter than a sockaddr_in */
    EXPECT(getsockname(s, (struct sockaddr *)&a, &len), WSAEFAULT);
    len = sizeof a;
    EXPECT(getsockname(s, NULL, &len), WSAEFAULT);
    EXPECT(getpeername(s, (struct sockaddr *)&a, NULL), WSAEFAULT);
    SOCKET u = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = {.sin_family = AF_INET};
    EXPECT(bind(u, (struct sockaddr *)&any, 4), WSAEFAULT);
    EXPECT(bind(u, NULL, sizeof any), WSAEFAULT);
    closesocket(u);
    int opt = 0;
    len = 0;
    EXPECT(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&opt, &len), WSAEFAULT);
    EXPECT(setsockopt(s, SOL_SOCKET, SO_RCVBUF, NULL, sizeof opt), WSAEFAULT);
    WSAPROTOCOL_INFOW info;
    len = sizeof info - 1;
    EXPECT(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), WSAEFAULT);
    /* WSASend/WSARecv: a blocking call needs somewhere to put the count. */
    WSABUF b = {1, (char *)"x"};
    DWORD flags = 0;
    EXPECT(WSASend(s, &b, 1, NULL, 0, NULL, NULL), WSAEFAULT);
    EXPECT(WSARecv(s, &b, 1, NULL, &flags, NULL, NULL), WSAEFAULT);
    /* Null pointers the contract answers with WSAEFAULT, which Wine's
     * ws2_32 below would read. */
    SOCKET v = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT(connect(v, NULL, sizeof(struct sockaddr_in)), WSAEFAULT);
    closesocket(v);
    EXPECT(getsockname(s, (struct sockaddr *)&a, NULL), WSAEFAULT);
    EXPECT(WSAEnumNetworkEvents(s, NULL, NULL), WSAEFAULT);
    /* An invalid window for WSAAsyncSelect. */
    EXPECT(WSAAsyncSelect(s, (HWND)(uintptr_t)0x1234, WM_USER, FD_READ), WSAEINVAL);
    /* None of it hurt the socket. */
    char buf[4];
    assert_int_equal(send(c, "ok", 2, 0), 2);
    assert_int_equal(recv(s, buf, sizeof buf, 0), 2);
    assert_int_equal(spi_stats(s).descriptors_open, 1);
    closesocket(c);
    closesocket(s);
}

/* An info that names ShareLSP's entry and nothing else (all other fields
 * zero) is not a request for a socket: WSASocket(FROM_PROTOCOL_INFO) takes
 * family, type and protocol from it, and these are no valid triple.
 * Refused as Wine's ws2_32 refuses it (WSAEINVAL), where ShareLSP used to
 * open a TCP socket with its lower entry's triple. */
static void an_info_naming_only_the_entry_is_refused(void **state)
{
    (void)state;
    WSAPROTOCOL_INFOW info;
    memset(&info, 0, sizeof info);
    info.dwCatalogEntryId = spi_layered_id;
    WSASetLastError(0);
    assert_true(WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0) ==
                INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    /* The entry's own info still opens a socket. */
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int len = sizeof info;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
    closesocket(s);
    SOCKET t = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    assert_true(t != INVALID_SOCKET);
    assert_int_equal(spi_stats(t).descriptors_open, 1);
    closesocket(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_call_on_a_closed_handle),
        cmocka_unit_test(null_pointers_and_short_lengths),
        cmocka_unit_test(an_info_naming_only_the_entry_is_refused),
    };
    return cmocka_run_group_tests(tests, spi_start, spi_stop);
}

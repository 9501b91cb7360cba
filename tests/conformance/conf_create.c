/* WSASocket: how a request is matched against the protocols (a type, a
 * family or a protocol left 0, AF_UNSPEC), the errors of one that matches
 * nothing, and what a WSAPROTOCOL_INFO given with it decides. The table is
 * Wine's sock.c test_WSASocket, checked there against Windows. */
#include "conformance.h"

#include <string.h>

static const struct {
    int family, type, protocol;
    int error;
    int made_family, made_type, made_protocol;
} requests[] = {
    {0xdead, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT, 0, 0, 0},
    {-1, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT, 0, 0, 0},
    {AF_INET, 0xdead, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0, 0, 0},
    {AF_INET, -1, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0, 0, 0},
    {AF_INET, SOCK_STREAM, 0xdead, WSAEPROTONOSUPPORT, 0, 0, 0},
    {AF_INET, SOCK_STREAM, -1, WSAEPROTONOSUPPORT, 0, 0, 0},
    {0xdead, 0xdead, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0, 0, 0},
    {0xdead, SOCK_STREAM, 0xdead, WSAEAFNOSUPPORT, 0, 0, 0},
    {AF_INET, 0xdead, 0xdead, WSAESOCKTNOSUPPORT, 0, 0, 0},
    {0xdead, SOCK_STREAM, IPPROTO_UDP, WSAEAFNOSUPPORT, 0, 0, 0},
    {AF_INET, SOCK_STREAM, 0, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP},
    {AF_INET, SOCK_DGRAM, 0, 0, AF_INET, SOCK_DGRAM, IPPROTO_UDP},
    {AF_INET, 0xdead, 0, WSAESOCKTNOSUPPORT, 0, 0, 0},
    {AF_INET, 0, IPPROTO_TCP, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP},
    {AF_INET, 0, IPPROTO_UDP, 0, AF_INET, SOCK_DGRAM, IPPROTO_UDP},
    {AF_INET, 0, 0xdead, WSAEPROTONOSUPPORT, 0, 0, 0},
    {AF_INET, 0, 0, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP},
    {AF_INET, SOCK_STREAM, IPPROTO_UDP, WSAEPROTONOSUPPORT, 0, 0, 0},
    {AF_INET, SOCK_DGRAM, IPPROTO_TCP, WSAEPROTONOSUPPORT, 0, 0, 0},
    {AF_INET6, 0, IPPROTO_UDP, 0, AF_INET6, SOCK_DGRAM, IPPROTO_UDP},
    {AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP},
    {AF_UNSPEC, SOCK_STREAM, 0xdead, WSAEPROTONOSUPPORT, 0, 0, 0},
    {AF_UNSPEC, 0xdead, IPPROTO_UDP, WSAESOCKTNOSUPPORT, 0, 0, 0},
    {AF_UNSPEC, SOCK_STREAM, 0, WSAEINVAL, 0, 0, 0},
    {AF_UNSPEC, SOCK_DGRAM, 0, WSAEINVAL, 0, 0, 0},
    {AF_UNSPEC, 0xdead, 0, WSAEINVAL, 0, 0, 0},
    {AF_UNSPEC, 0, IPPROTO_TCP, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP},
    {AF_UNSPEC, 0, IPPROTO_UDP, 0, AF_INET, SOCK_DGRAM, IPPROTO_UDP},
    {AF_UNSPEC, 0, 0xdead, WSAEPROTONOSUPPORT, 0, 0, 0},
    {AF_UNSPEC, 0, 0, WSAEINVAL, 0, 0, 0},
};

static void requests_match_as_ws2_32(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
        print_message("request %u: %d %d %d\n", (unsigned)i, requests[i].family, requests[i].type,
                      requests[i].protocol);
        /* A known difference: for (0xdead, SOCK_STREAM, 0xdead) Wine's own
         * says WSAEPROTONOSUPPORT (a todo_wine check of its test); wsphost
         * gives Windows' WSAEAFNOSUPPORT. */
        bool wine_differs = i == 7 && !conf_through_wsphost();
        SetLastError(0xdeadbeef);
        SOCKET s = WSASocketW(requests[i].family, requests[i].type, requests[i].protocol, NULL, 0, 0);
        assert_int_equal(WSAGetLastError(), wine_differs ? WSAEPROTONOSUPPORT : requests[i].error);
        if (requests[i].error != 0) {
            assert_true(s == INVALID_SOCKET);
            continue;
        }
        assert_true(s != INVALID_SOCKET);
        WSAPROTOCOL_INFOW info;
        int len = sizeof info;
        assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
        assert_int_equal(info.iAddressFamily, requests[i].made_family);
        assert_int_equal(info.iSocketType, requests[i].made_type);
        assert_int_equal(info.iProtocol, requests[i].made_protocol);
        assert_int_equal(closesocket(s), 0);
    }
}

/* The TCP over IPv4 entry, as WSAEnumProtocolsA gives it. */
static WSAPROTOCOL_INFOA tcp_entry(void)
{
    int protocols[] = {IPPROTO_TCP, 0};
    WSAPROTOCOL_INFOA infos[16];
    DWORD size = sizeof infos;
    int n = WSAEnumProtocolsA(protocols, infos, &size);
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        if (infos[i].iAddressFamily == AF_INET)
            return infos[i];
    }
    fail_msg("no TCP over IPv4 entry");
    return infos[0];
}

static int type_of(SOCKET s)
{
    int type = 0xdead, len = sizeof type;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len), 0);
    return type;
}

static void an_info_gives_what_the_request_leaves_out(void **state)
{
    (void)state;
    WSAPROTOCOL_INFOA info = tcp_entry();
    SOCKET s = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    assert_true(s != INVALID_SOCKET);
    assert_int_equal(type_of(s), SOCK_STREAM);
    assert_int_equal(closesocket(s), 0);

    /* The info's values, not its entry's: a hand-filled info is taken at its word. */
    info.iAddressFamily = AF_INET;
    info.iSocketType = SOCK_DGRAM;
    info.iProtocol = IPPROTO_UDP;
    SetLastError(0xdeadbeef);
    s = WSASocketA(0, 0, 0, &info, 0, 0);
    assert_true(s != INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(type_of(s), SOCK_DGRAM);
    assert_int_equal(closesocket(s), 0);

    /* What the request gives wins over the info. */
    s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, &info, 0, 0);
    assert_true(s != INVALID_SOCKET);
    assert_int_equal(type_of(s), SOCK_STREAM);
    assert_int_equal(closesocket(s), 0);
}

static void an_info_without_a_family_is_refused(void **state)
{
    (void)state;
    WSAPROTOCOL_INFOA info = tcp_entry();
    info.iAddressFamily = -1;
    info.iSocketType = -1;
    info.iProtocol = -1;
    assert_true(WSASocketA(0, 0, IPPROTO_UDP, &info, 0, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
    info.iAddressFamily = AF_INET;
    assert_true(WSASocketA(0, 0, 0, &info, 0, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAESOCKTNOSUPPORT);
    info.iSocketType = SOCK_STREAM;
    assert_true(WSASocketA(0, 0, 0, &info, 0, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEPROTONOSUPPORT);
    info.iAddressFamily = 0;
    info.iSocketType = 0;
    info.iProtocol = 0;
    assert_true(WSASocketA(0, 0, IPPROTO_UDP, &info, 0, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEAFNOSUPPORT);
    assert_true(WSASocketA(0, 0, 0, &info, 0, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(requests_match_as_ws2_32),
        cmocka_unit_test(an_info_gives_what_the_request_leaves_out),
        cmocka_unit_test(an_info_without_a_family_is_refused),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

/* WSAStartup and WSACleanup: the version agreed, what WSADATA holds, the
 * count of starts, and the calls that involve no socket (gethostname,
 * gethostbyname) working from WSAStartup on, before any socket exists. No
 * group set-up: each test starts Winsock itself. */
#include "conformance.h"

#include <string.h>

static void assert_not_started(void)
{
    WSASetLastError(0xdeadbeef);
    assert_int_equal(WSACleanup(), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
}

static void calls_without_a_socket_work_from_startup(void **state)
{
    (void)state;
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    char name[256];
    assert_int_equal(gethostname(name, sizeof name), 0);
    assert_true(strlen(name) > 0);
    const struct hostent *h = gethostbyname("localhost");
    assert_non_null(h);
    assert_int_equal(h->h_addrtype, AF_INET);
    assert_int_equal(WSACleanup(), 0);
    assert_not_started();
}

static void cleanup_pairs_with_each_startup(void **state)
{
    (void)state;
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    assert_int_equal(WSACleanup(), 0);
    /* One start still stands: the platform's part too. */
    assert_non_null(gethostbyname("localhost"));
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s != INVALID_SOCKET);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(WSACleanup(), 0);
    assert_not_started();
    assert_true(socket(AF_INET, SOCK_STREAM, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSANOTINITIALISED);
}

/* The last WSACleanup with sockets still open ends them; Winsock starts
 * again and works (sock.c test_WithWSAStartup). */
static void cleanup_with_sockets_open(void **state)
{
    (void)state;
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(s != INVALID_SOCKET && u != INVALID_SOCKET);
    assert_int_equal(WSACleanup(), 0);
    assert_not_started();
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(t != INVALID_SOCKET);
    assert_int_equal(closesocket(t), 0);
    assert_int_equal(WSACleanup(), 0);
}

/* Wine's protocol.c test_startup, checked against Windows. */
static void startup_agrees_versions_as_ws2_32(void **state)
{
    (void)state;
    static const struct {
        WORD asked, agreed;
    } versions[] = {
        {MAKEWORD(0, 0), MAKEWORD(2, 2)},    {MAKEWORD(0, 1), MAKEWORD(2, 2)}, {MAKEWORD(1, 0), MAKEWORD(1, 0)},
        {MAKEWORD(1, 1), MAKEWORD(1, 1)},    {MAKEWORD(1, 2), MAKEWORD(1, 1)}, {MAKEWORD(1, 0xff), MAKEWORD(1, 1)},
        {MAKEWORD(2, 0), MAKEWORD(2, 0)},    {MAKEWORD(2, 1), MAKEWORD(2, 1)}, {MAKEWORD(2, 2), MAKEWORD(2, 2)},
        {MAKEWORD(2, 3), MAKEWORD(2, 2)},    {MAKEWORD(2, 0xff), MAKEWORD(2, 2)}, {MAKEWORD(3, 0), MAKEWORD(2, 2)},
        {MAKEWORD(0xff, 0), MAKEWORD(2, 2)},
    };
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        WORD asked = versions[i].asked;
        bool major_1 = LOBYTE(asked) == 1;
        WSADATA data;
        memset(&data, 0xcc, sizeof data);
        data.lpVendorInfo = (char *)0xdeadbeef;
        int expected = LOBYTE(asked) ? 0 : WSAVERNOTSUPPORTED;
        assert_int_equal(WSAStartup(asked, &data), expected);
        assert_int_equal(data.wVersion, versions[i].agreed);
        assert_int_equal(data.wHighVersion, MAKEWORD(2, 2));
        assert_string_equal(data.szDescription, "WinSock 2.0");
        assert_string_equal(data.szSystemStatus, "Running");
        assert_int_equal(data.iMaxSockets, major_1 ? 32767 : 0);
        assert_int_equal(data.iMaxUdpDg, major_1 ? 65467 : 0);
        assert_ptr_equal(data.lpVendorInfo, (char *)0xdeadbeef);
        if (expected == 0)
            assert_int_equal(WSACleanup(), 0);
        assert_not_started();
        /* No WSADATA: refused, and nothing started. */
        assert_int_equal(WSAStartup(asked, NULL), LOBYTE(asked) ? WSAEFAULT : WSAVERNOTSUPPORTED);
        assert_not_started();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calls_without_a_socket_work_from_startup),
        cmocka_unit_test(cleanup_pairs_with_each_startup),
        cmocka_unit_test(cleanup_with_sockets_open),
        cmocka_unit_test(startup_agrees_versions_as_ws2_32),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* A close the lower provider refuses: ShareLSP over failclose.dll (wspbase
 * with a WSPCloseSocket that fails on demand, as Windows' does with
 * WSAEWOULDBLOCK for a lingering non-blocking socket). The error reaches the
 * application, and the descriptor stays as it was: usable, counted, with
 * its registration, and a retry closes it and its lower socket once. */
#define UNICODE
#include "spi.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static GUID failclose_guid = {0x6f1c2a3b, 0x5d4e, 0x4f60, {0x8a, 0x71, 0x92, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7}};
static WSAPROTOCOL_INFOW chain; /* ShareLSP over failclose, UDP over IPv4 */

/* failclose's UDP/IPv4 base entry, from wspbase's, then ShareLSP over it
 * alone: the only chain whose lower provider can refuse a close. */
static int start(void **state)
{
    (void)state;
    return spi_start_over_base(&failclose_guid, L"failclose.dll", SOCK_DGRAM, &chain);
}

typedef struct failclose {
    void (*fail_next)(int error);
    LONG (*closes)(void);
} failclose;

/* failclose's controls; ShareLSP has loaded it once a socket exists. */
static failclose failclose_controls(void)
{
    HMODULE m = GetModuleHandleW(L"failclose.dll");
    assert_non_null(m);
    failclose f = {(void (*)(int))(void (*)(void))GetProcAddress(m, "failclose_fail_next"),
                   (LONG(*)(void))(void (*)(void))GetProcAddress(m, "failclose_closes")};
    assert_non_null(f.fail_next);
    assert_non_null(f.closes);
    return f;
}

/* A UDP socket through the chain, bound to the loopback; its address. */
static SOCKET udp_socket(struct sockaddr_in *addr)
{
    WSAPROTOCOL_INFOW info = chain;
    SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, &info, 0, 0);
    assert_true(s != INVALID_SOCKET);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof *addr;
    assert_int_equal(bind(s, (struct sockaddr *)addr, len), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)addr, &len), 0);
    return s;
}

static void last_close_refused_keeps_the_socket(void **state)
{
    (void)state;
    struct sockaddr_in addr, other;
    SOCKET s = udp_socket(&addr);
    SOCKET sender = udp_socket(&other);
    failclose f = failclose_controls();
    WSAEVENT ev = WSACreateEvent();
    assert_int_equal(WSAEventSelect(s, ev, FD_READ), 0);
    LONG closes = f.closes();

    f.fail_next(WSAEWOULDBLOCK);
    assert_int_equal(closesocket(s), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    assert_int_equal(f.closes(), closes);
    /* Still open, still counted, still registered. */
    assert_int_equal(spi_stats(s).descriptors_open, 1);
    assert_int_equal(sendto(sender, "x", 1, 0, (struct sockaddr *)&addr, sizeof addr), 1);
    assert_int_equal(WaitForSingleObject(ev, 5000), WAIT_OBJECT_0);
    WSANETWORKEVENTS events;
    assert_int_equal(WSAEnumNetworkEvents(s, ev, &events), 0);
    assert_int_equal(events.lNetworkEvents, FD_READ);
    char b;
    assert_int_equal(recv(s, &b, 1, 0), 1);

    assert_int_equal(closesocket(s), 0);
    assert_int_equal(f.closes(), closes + 1);
    assert_int_equal(closesocket(s), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    /* The lower socket is gone: its port is free. */
    WSAPROTOCOL_INFOW info = chain;
    SOCKET again = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, &info, 0, 0);
    assert_true(again != INVALID_SOCKET);
    assert_int_equal(bind(again, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(closesocket(again), 0);
    assert_int_equal(closesocket(sender), 0);
    WSACloseEvent(ev);
}

/* Closing one of two descriptors in a process does not close the lower
 * socket, so nothing can refuse it; the last one's close can. */
static void only_the_last_descriptor_closes_the_lower_socket(void **state)
{
    (void)state;
    struct sockaddr_in addr;
    SOCKET s = udp_socket(&addr);
    failclose f = failclose_controls();
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
    SOCKET t = spi_use_info(&info);
    assert_true(t != INVALID_SOCKET);
    LONG closes = f.closes();

    f.fail_next(WSAEWOULDBLOCK);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(f.closes(), closes);
    assert_int_equal(spi_stats(t).descriptors_open, 1);
    assert_int_equal(closesocket(t), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    assert_int_equal(spi_stats(t).descriptors_open, 1);
    assert_int_equal(sendto(t, "y", 1, 0, (struct sockaddr *)&addr, sizeof addr), 1);
    char b;
    assert_int_equal(recv(t, &b, 1, 0), 1);
    assert_int_equal(closesocket(t), 0);
    assert_int_equal(f.closes(), closes + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(last_close_refused_keeps_the_socket),
        cmocka_unit_test(only_the_last_descriptor_closes_the_lower_socket),
    };
    return cmocka_run_group_tests(tests, start, spi_stop);
}

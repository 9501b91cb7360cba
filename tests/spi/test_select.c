/* select through ShareLSP with a socket of another provider among its own:
 * refused with WSAEINVAL wherever that socket stands, past the 64th too (a
 * program may define FD_SETSIZE larger than the host's). */
#include "spi.h"

#include <stdlib.h>

enum { COUNT = 72 };

/* An fd_set as a program built with FD_SETSIZE 72 declares it. */
typedef struct large_set {
    u_int fd_count;
    SOCKET fd_array[COUNT];
} large_set;

/* A UDP socket of wspbase itself, beside ShareLSP's chains. */
static SOCKET base_udp_socket(void)
{
    DWORD len = 0;
    int err = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    WSAPROTOCOL_INFOW *all = malloc(len);
    int n = WSCEnumProtocols(NULL, all, &len, &err);
    SOCKET s = INVALID_SOCKET;
    for (int i = 0; i < n && s == INVALID_SOCKET; i++) {
        if (all[i].ProtocolChain.ChainLen == BASE_PROTOCOL && all[i].iAddressFamily == AF_INET &&
            all[i].iSocketType == SOCK_DGRAM)
            s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, &all[i], 0, 0);
    }
    free(all);
    assert_true(s != INVALID_SOCKET);
    return s;
}

static void select_refuses_another_provider_anywhere(void **state)
{
    (void)state;
    SOCKET socks[COUNT - 1];
    for (int i = 0; i < COUNT - 1; i++) {
        socks[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        assert_true(socks[i] != INVALID_SOCKET);
    }
    assert_int_equal(spi_stats(socks[0]).descriptors_open, 1); /* a ShareLSP socket */
    SOCKET stranger = base_udp_socket();
    const int places[] = {1, 70};
    for (size_t p = 0; p < sizeof places / sizeof places[0]; p++) {
        large_set w = {.fd_count = COUNT};
        for (int i = 0, k = 0; i < COUNT; i++)
            w.fd_array[i] = i == places[p] ? stranger : socks[k++];
        struct timeval none = {0, 0};
        assert_int_equal(select(0, NULL, (fd_set *)&w, NULL, &none), SOCKET_ERROR);
        assert_int_equal(WSAGetLastError(), WSAEINVAL);
    }
    assert_int_equal(closesocket(stranger), 0);
    for (int i = 0; i < COUNT - 1; i++)
        assert_int_equal(closesocket(socks[i]), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(select_refuses_another_provider_anywhere),
    };
    return cmocka_run_group_tests(tests, spi_start, spi_stop);
}

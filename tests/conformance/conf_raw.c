/* Raw IP sockets: made when the platform lets the process have them, else
 * refused with WSAEACCES (a privilege matter), the same either way through
 * ws2_32 and through wsphost; a request that names only an IP protocol
 * TCP and UDP do not serve is a raw socket. */
#include "conformance.h"

/* The type of the socket made (SO_TYPE), or the error of a refused one. */
static int outcome(int af, int type, int protocol)
{
    SetLastError(0xdeadbeef);
    SOCKET s = WSASocketW(af, type, protocol, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET)
        return WSAGetLastError();
    assert_int_equal(WSAGetLastError(), 0);
    int made = 0, len = sizeof made;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&made, &len), 0);
    assert_int_equal(closesocket(s), 0);
    return made;
}

static void raw_sockets_are_made_or_refused_for_privilege(void **state)
{
    (void)state;
    int v4 = outcome(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    print_message("raw IPv4 socket: %s\n", v4 == SOCK_RAW ? "made" : "refused");
    assert_true(v4 == SOCK_RAW || v4 == WSAEACCES);
    /* The same answer for every raw request of the process. */
    assert_int_equal(outcome(AF_INET, SOCK_RAW, IPPROTO_RAW), v4);
    assert_int_equal(outcome(AF_INET, 0, IPPROTO_ICMP), v4);
    /* (What SO_TYPE reads for a raw IPv6 socket is the platform's: Wine
     * says 0. Only whether it is made is compared.) */
    int v6 = outcome(AF_INET6, SOCK_RAW, IPPROTO_RAW);
    assert_int_equal(v6 == WSAEACCES, v4 == WSAEACCES);
    assert_true(v6 < WSABASEERR || v6 == WSAEACCES);
    /* TCP and UDP keep their own entries. */
    assert_int_equal(outcome(AF_INET, 0, IPPROTO_TCP), SOCK_STREAM);
    assert_int_equal(outcome(AF_INET, 0, IPPROTO_UDP), SOCK_DGRAM);
    assert_int_equal(outcome(AF_INET, SOCK_RAW, 256), WSAEPROTONOSUPPORT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(raw_sockets_are_made_or_refused_for_privilege),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

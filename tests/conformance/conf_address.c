/* Address strings: WSAStringToAddressW and WSAAddressToStringW, IPv4 and
 * IPv6, and the errors of a short buffer and a malformed string. */
#include "conformance.h"

#include <string.h>
#include <wchar.h>

static void ipv4_round_trip(void **state)
{
    (void)state;
    struct sockaddr_in a;
    int len = sizeof a;
    WCHAR text[] = L"127.0.0.1:8080";
    assert_int_equal(WSAStringToAddressW(text, AF_INET, NULL, (struct sockaddr *)&a, &len), 0);
    assert_int_equal(a.sin_family, AF_INET);
    assert_int_equal(ntohs(a.sin_port), 8080);
    assert_int_equal(ntohl(a.sin_addr.s_addr), INADDR_LOOPBACK);
    WCHAR out[64];
    DWORD out_len = 64;
    assert_int_equal(WSAAddressToStringW((struct sockaddr *)&a, sizeof a, NULL, out, &out_len), 0);
    assert_true(wcscmp(out, L"127.0.0.1:8080") == 0);
    assert_int_equal(out_len, wcslen(out) + 1);
}

static void ipv6_round_trip(void **state)
{
    (void)state;
    struct sockaddr_in6 a;
    int len = sizeof a;
    WCHAR text[] = L"[::1]:443";
    assert_int_equal(WSAStringToAddressW(text, AF_INET6, NULL, (struct sockaddr *)&a, &len), 0);
    assert_int_equal(a.sin6_family, AF_INET6);
    assert_int_equal(ntohs(a.sin6_port), 443);
    assert_int_equal(a.sin6_addr.s6_addr[15], 1);
    WCHAR out[64];
    DWORD out_len = 64;
    assert_int_equal(WSAAddressToStringW((struct sockaddr *)&a, sizeof a, NULL, out, &out_len), 0);
    assert_true(wcscmp(out, L"[::1]:443") == 0);
}

static void errors(void **state)
{
    (void)state;
    struct sockaddr_in a;
    int len = sizeof a;
    WCHAR bad[] = L"not an address";
    assert_int_equal(WSAStringToAddressW(bad, AF_INET, NULL, (struct sockaddr *)&a, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    WCHAR text[] = L"10.1.2.3";
    len = sizeof a;
    assert_int_equal(WSAStringToAddressW(text, AF_INET, NULL, (struct sockaddr *)&a, &len), 0);
    WCHAR out[4];
    DWORD out_len = 4; /* too short for "10.1.2.3" */
    assert_int_equal(WSAAddressToStringW((struct sockaddr *)&a, sizeof a, NULL, out, &out_len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(out_len, 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv4_round_trip),
        cmocka_unit_test(ipv6_round_trip),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

/* WSAConnectByName: a numeric host or localhost (there is no DNS here),
 * the addresses reported, and the errors of its arguments. */
#include "conformance.h"

#include <stdio.h>
#include <string.h>

static SOCKET listener;
static char port[8];
static struct sockaddr_in listening;

static int start(void **state)
{
    if (conf_start(state) != 0)
        return 1;
    struct sockaddr_storage a;
    int len = sizeof a;
    listener = conf_listener(AF_INET, &a, &len);
    memcpy(&listening, &a, sizeof listening);
    snprintf(port, sizeof port, "%u", ntohs(listening.sin_port));
    return 0;
}

static int stop(void **state)
{
    closesocket(listener);
    return conf_stop(state);
}

static void accept_one(void)
{
    SOCKET a = accept(listener, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    closesocket(a);
}

static void connects_and_reports_the_addresses(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in local, remote, name, peer;
    memset(&local, 0xcc, sizeof local);
    memset(&remote, 0xcc, sizeof remote);
    DWORD local_len = sizeof local, remote_len = sizeof remote;
    assert_true(WSAConnectByNameA(s, "127.0.0.1", port, &local_len, (struct sockaddr *)&local, &remote_len,
                                  (struct sockaddr *)&remote, NULL, NULL));
    int name_len = sizeof name, peer_len = sizeof peer;
    assert_int_equal(getsockname(s, (struct sockaddr *)&name, &name_len), 0);
    assert_int_equal(getpeername(s, (struct sockaddr *)&peer, &peer_len), 0);
    assert_int_equal(local_len, sizeof local);
    assert_int_equal(remote_len, sizeof remote);
    assert_int_equal(local.sin_family, AF_INET);
    assert_int_equal(local.sin_port, 0);
    assert_memory_equal(&local.sin_addr, &name.sin_addr, sizeof local.sin_addr);
    assert_memory_equal(&remote, &peer, sizeof remote);
    assert_int_equal(remote.sin_port, listening.sin_port);
    accept_one();
    closesocket(s);
}

static void connects_by_wide_name(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WCHAR wide_port[8];
    MultiByteToWideChar(CP_ACP, 0, port, -1, wide_port, 8);
    assert_true(WSAConnectByNameW(s, L"localhost", wide_port, NULL, NULL, NULL, NULL, NULL, NULL));
    struct sockaddr_in peer;
    int peer_len = sizeof peer;
    assert_int_equal(getpeername(s, (struct sockaddr *)&peer, &peer_len), 0);
    assert_int_equal(peer.sin_port, listening.sin_port);
    accept_one();
    closesocket(s);
}

static void short_buffers_are_a_fault(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in local, remote;
    DWORD local_len = 3, remote_len = 3;
    assert_false(WSAConnectByNameA(s, "127.0.0.1", port, &local_len, (struct sockaddr *)&local, &remote_len,
                                   (struct sockaddr *)&remote, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(local_len, 3);
    assert_int_equal(remote_len, 3);
    accept_one(); /* connected all the same */
    closesocket(s);
}

static void bad_arguments(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_false(WSAConnectByNameA(s, NULL, port, NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_false(WSAConnectByNameA(s, "127.0.0.1", NULL, NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_false(WSAConnectByNameW(s, NULL, L"80", NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    WSAOVERLAPPED reserved;
    memset(&reserved, 0, sizeof reserved);
    assert_false(WSAConnectByNameA(s, "127.0.0.1", port, NULL, NULL, NULL, NULL, NULL, &reserved));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    closesocket(s);
    /* Checked before the socket. */
    assert_false(WSAConnectByNameA(s, "127.0.0.1", NULL, NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_false(WSAConnectByNameA(s, "127.0.0.1", port, NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    /* Only a stream socket connects. */
    SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_false(WSAConnectByNameA(u, "127.0.0.1", port, NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connects_and_reports_the_addresses),
        cmocka_unit_test(connects_by_wide_name),
        cmocka_unit_test(short_buffers_are_a_fault),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

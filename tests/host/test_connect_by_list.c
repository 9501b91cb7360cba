/* WSAConnectByList: the first address that answers wins, the addresses are
 * reported as WSAConnectByName reports them, bad arguments are WSAEINVAL.
 * Wine's ws2_32 does not export it, so this is no conformance program. */
#include "host_test.h"

#include "unit.h"

#include <string.h>

static SOCKET listen_on(struct sockaddr_in *a)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_true(l != INVALID_SOCKET);
    *a = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof *a;
    assert_int_equal(bind(l, (struct sockaddr *)a, sizeof *a), 0);
    assert_int_equal(listen(l, 1), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)a, &len), 0);
    return l;
}

/* A loopback address nobody listens on: a port that was free a moment ago. */
static struct sockaddr_in refused_address(void)
{
    struct sockaddr_in a;
    SOCKET l = listen_on(&a);
    closesocket(l);
    return a;
}

static void the_first_address_that_answers_is_connected(void **state)
{
    (void)state;
    struct sockaddr_in good, bad = refused_address();
    SOCKET l = listen_on(&good);
    BYTE storage[sizeof(SOCKET_ADDRESS_LIST) + sizeof(SOCKET_ADDRESS)];
    SOCKET_ADDRESS_LIST *list = (SOCKET_ADDRESS_LIST *)storage;
    list->iAddressCount = 2;
    /* Wine's sockets cannot connect again once refused (WSAECONNABORTED), so
     * the one that answers comes first here. */
    list->Address[0] = (SOCKET_ADDRESS){.lpSockaddr = (struct sockaddr *)&good, .iSockaddrLength = sizeof good};
    list->Address[1] = (SOCKET_ADDRESS){.lpSockaddr = (struct sockaddr *)&bad, .iSockaddrLength = sizeof bad};
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in local, remote;
    DWORD local_len = sizeof local, remote_len = sizeof remote;
    assert_true(WSAConnectByList(s, list, &local_len, (struct sockaddr *)&local, &remote_len,
                                 (struct sockaddr *)&remote, NULL, NULL));
    assert_int_equal(remote_len, sizeof remote);
    assert_memory_equal(&remote, &good, sizeof remote);
    assert_int_equal(local_len, sizeof local);
    assert_int_equal(local.sin_port, 0);
    assert_int_equal(local.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    SOCKET a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    closesocket(a);
    closesocket(s);
    closesocket(l);
}

static void no_address_answers(void **state)
{
    (void)state;
    struct sockaddr_in bad = refused_address();
    SOCKET_ADDRESS_LIST list = {.iAddressCount = 1,
                                .Address = {{.lpSockaddr = (struct sockaddr *)&bad, .iSockaddrLength = sizeof bad}}};
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_false(WSAConnectByList(s, &list, NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAECONNREFUSED);
    closesocket(s);
}

static void bad_arguments(void **state)
{
    (void)state;
    struct sockaddr_in a = refused_address();
    SOCKET_ADDRESS_LIST list = {.iAddressCount = 1,
                                .Address = {{.lpSockaddr = (struct sockaddr *)&a, .iSockaddrLength = sizeof a}}};
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_false(WSAConnectByList(s, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    WSAOVERLAPPED reserved;
    memset(&reserved, 0, sizeof reserved);
    assert_false(WSAConnectByList(s, &list, NULL, NULL, NULL, NULL, NULL, &reserved));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    list.iAddressCount = 0;
    assert_false(WSAConnectByList(s, &list, NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    list.iAddressCount = 1;
    list.Address[0].iSockaddrLength = 3;
    assert_false(WSAConnectByList(s, &list, NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(s);
    list.Address[0].iSockaddrLength = sizeof a;
    assert_false(WSAConnectByList(s, &list, NULL, NULL, NULL, NULL, NULL, NULL));
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_first_address_that_answers_is_connected),
        cmocka_unit_test(no_address_answers),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, host_test_start, host_test_stop);
}

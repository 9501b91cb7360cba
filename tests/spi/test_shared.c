/* ShareLSP in one process: sockets go through it, state is shared by a
 * socket's descriptors (R1, R2), closing one frees only it (R4), duplicate
 * infos work once and forged ones are refused (R7), and bad input gets exact
 * errors. */
#include "spi.h"

#include <string.h>

static void sockets_go_through_sharelsp(void **state)
{
    (void)state;
    const int families[] = {AF_INET, AF_INET6};
    const int types[] = {SOCK_STREAM, SOCK_DGRAM};
    for (int f = 0; f < 2; f++) {
        for (int t = 0; t < 2; t++) {
            SOCKET s = socket(families[f], types[t], 0);
            assert_true(s != INVALID_SOCKET);
            sharelsp_stats st = spi_stats(s);
            assert_int_equal(st.descriptors_open, 1);
            assert_int_equal(st.bytes_sent, 0);
            WSAPROTOCOL_INFOW info;
            int len = sizeof info;
            assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
            assert_int_equal(info.ProtocolChain.ChainLen, 2);
            assert_int_equal(info.ProtocolChain.ChainEntries[0], spi_layered_id);
            assert_int_equal(info.iAddressFamily, families[f]);
            assert_int_equal(info.iSocketType, types[t]);
            assert_int_equal(info.dwServiceFlags1 & XP1_IFS_HANDLES, 0);
            assert_int_equal(closesocket(s), 0);
        }
    }
}

static void counters_are_exact(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    char buf[64] = {0};
    assert_int_equal(send(c, buf, 10, 0), 10);
    assert_int_equal(send(c, buf, 20, 0), 20);
    assert_int_equal(send(c, buf, 30, 0), 30);
    int got = 0;
    while (got < 60) {
        int n = recv(s, buf, sizeof buf, 0);
        assert_true(n > 0);
        got += n;
    }
    assert_int_equal(got, 60);
    sharelsp_stats cs = spi_stats(c), ss = spi_stats(s);
    assert_int_equal(cs.bytes_sent, 60);
    assert_int_equal(cs.calls_sent, 3);
    assert_int_equal(cs.bytes_received, 0);
    assert_int_equal(ss.bytes_received, 60);
    assert_true(ss.calls_received >= 1 && ss.calls_received <= 3);
    assert_int_equal(ss.bytes_sent, 0);
    closesocket(c);
    closesocket(s);
}

static SOCKET duplicate_here(SOCKET s)
{
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
    SOCKET d = spi_use_info(&info);
    assert_true(d != INVALID_SOCKET);
    return d;
}

static void descriptors_share_tag_counters_and_options(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET6, &c, &a);
    SOCKET b = duplicate_here(a);
    assert_true(b != a);
    spi_set_tag(a, "set through A");
    char tag[SHARELSP_TAG_MAX + 1];
    spi_get_tag(b, tag, sizeof tag);
    assert_string_equal(tag, "set through A");
    assert_int_equal(send(b, "12345", 5, 0), 5);
    assert_int_equal(send(a, "678", 3, 0), 3);
    sharelsp_stats sa = spi_stats(a), sb = spi_stats(b);
    assert_memory_equal(&sa, &sb, sizeof sa);
    assert_int_equal(sa.bytes_sent, 8);
    assert_int_equal(sa.calls_sent, 2);
    assert_int_equal(sa.descriptors_open, 2);
    /* Other levels go to the one lower socket. */
    struct linger set = {1, 9}, got;
    int len = sizeof got;
    assert_int_equal(setsockopt(a, SOL_SOCKET, SO_LINGER, (const char *)&set, sizeof set), 0);
    assert_int_equal(getsockopt(b, SOL_SOCKET, SO_LINGER, (char *)&got, &len), 0);
    assert_int_equal(got.l_linger, 9);
    closesocket(a);
    closesocket(b);
    closesocket(c);
}

static void closing_one_descriptor_frees_only_it(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    SOCKET b = duplicate_here(a);
    assert_int_equal(closesocket(a), 0);
    assert_int_equal(closesocket(a), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal(spi_stats(b).descriptors_open, 1);
    char buf[8];
    assert_int_equal(send(b, "alive", 5, 0), 5);
    assert_int_equal(recv(c, buf, sizeof buf, 0), 5);
    assert_int_equal(send(c, "ok", 2, 0), 2);
    assert_int_equal(recv(b, buf, sizeof buf, 0), 2);
    /* The last descriptor's close ends the connection. */
    assert_int_equal(closesocket(b), 0);
    assert_int_equal(recv(c, buf, sizeof buf, 0), 0);
    closesocket(c);
}

static void duplicate_info_works_once(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
    WSAPROTOCOL_INFOW again = info;
    SOCKET d = spi_use_info(&info);
    assert_true(d != INVALID_SOCKET);
    assert_true(spi_use_info(&again) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(spi_stats(s).descriptors_open, 2);
    closesocket(d);
    closesocket(s);
}

static void forged_and_misdirected_infos_are_refused(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
    /* The reference ShareLSP keeps in dwProviderReserved: any other value is
     * refused — a near miss, a different nonce, a ticket handle that names
     * nothing, one that names some other kernel object. */
    HANDLE unrelated = CreateEventW(NULL, TRUE, FALSE, NULL);
    const DWORD forged[] = {
        info.dwProviderReserved + 1,
        info.dwProviderReserved ^ 0x10000,
        0x80000000u | 0x7ff0,
        0x80000000u | (DWORD)(uintptr_t)unrelated,
    };
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        WSAPROTOCOL_INFOW f = info;
        f.dwProviderReserved = forged[i];
        assert_true(spi_use_info(&f) == INVALID_SOCKET);
        assert_int_equal(WSAGetLastError(), WSAEINVAL);
    }
    /* The unrelated object was not touched (a refusal closes nothing). */
    assert_true(SetEvent(unrelated));
    CloseHandle(unrelated);
    /* The refusals used nothing up: the real info still works, once.
     * (An info meant for another process is tested in test_processes.) */
    SOCKET d = spi_use_info(&info);
    assert_true(d != INVALID_SOCKET);
    assert_int_equal(spi_stats(s).descriptors_open, 2);
    closesocket(d);
    closesocket(s);
}

/* An info into this process holds the socket, as Winsock's does, but is not
 * a descriptor: descriptors_open counts it once it is used. */
static void pending_info_holds_the_socket(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    spi_set_tag(s, "held");
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
    assert_int_equal(spi_stats(s).descriptors_open, 1);
    assert_int_equal(closesocket(s), 0);
    SOCKET d = spi_use_info(&info);
    if (d == INVALID_SOCKET)
        fail_msg("WSASocketW from the info after closesocket: %d", WSAGetLastError());
    char tag[SHARELSP_TAG_MAX + 1];
    spi_get_tag(d, tag, sizeof tag);
    assert_string_equal(tag, "held");
    assert_int_equal(spi_stats(d).descriptors_open, 1);
    char buf[8];
    assert_int_equal(send(d, "kept", 4, 0), 4);
    assert_int_equal(recv(c, buf, sizeof buf, 0), 4);
    /* Used: it works once, and the socket ends with its last descriptor. */
    assert_true(spi_use_info(&info) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(closesocket(d), 0);
    assert_int_equal(recv(c, buf, sizeof buf, 0), 0);
    closesocket(c);
}

static void bad_input_gets_exact_errors(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    char tag[80];
    int len;
    memset(tag, 'x', sizeof tag);
    assert_int_equal(setsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, SHARELSP_TAG_MAX + 1), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(setsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, SHARELSP_TAG_MAX), 0);
    len = 10; /* shorter than the tag */
    assert_int_equal(getsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(getsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    sharelsp_stats st;
    len = sizeof st - 1;
    assert_int_equal(getsockopt(s, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(setsockopt(s, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, sizeof st), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    len = 4;
    assert_int_equal(getsockopt(s, SOL_SHARELSP, 99, tag, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOPROTOOPT);
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    /* An overlapped receive on a socket that is not connected fails at once. */
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    WSABUF b = {1, tag};
    DWORD got, flags = 0;
    assert_int_equal(WSARecv(s, &b, 1, &got, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTCONN);
    WSACloseEvent(ov.hEvent);
    /* A closed handle. */
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(send(s, "x", 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal(getsockopt(s, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sockets_go_through_sharelsp),
        cmocka_unit_test(counters_are_exact),
        cmocka_unit_test(descriptors_share_tag_counters_and_options),
        cmocka_unit_test(closing_one_descriptor_frees_only_it),
        cmocka_unit_test(duplicate_info_works_once),
        cmocka_unit_test(forged_and_misdirected_infos_are_refused),
        cmocka_unit_test(pending_info_holds_the_socket),
        cmocka_unit_test(bad_input_gets_exact_errors),
    };
    return cmocka_run_group_tests(tests, spi_start, spi_stop);
}

/* SO_OPENTYPE: ws2_32's own option, the calling thread's, read and set
 * through any socket handle (even none), and socket() honouring it: a
 * thread that asks for synchronous sockets gets ones that work. */
#include "conformance.h"

#include <mswsock.h>

#include <string.h>

static int opentype(void)
{
    int value = 0xdead, len = sizeof value;
    SetLastError(0xdeadbeef);
    assert_int_equal(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len), 0);
    assert_int_equal(WSAGetLastError(), 0);
    assert_int_equal(len, sizeof value);
    return value;
}

static void set_opentype(int value)
{
    SetLastError(0xdeadbeef);
    assert_int_equal(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (const char *)&value, sizeof value), 0);
    assert_int_equal(WSAGetLastError(), 0);
}

static DWORD WINAPI opentype_of_a_new_thread(LPVOID result)
{
    *(int *)result = opentype();
    return 0;
}

static void opentype_is_the_threads(void **state)
{
    (void)state;
    assert_int_equal(opentype(), 0);
    set_opentype(SO_SYNCHRONOUS_NONALERT);
    assert_int_equal(opentype(), SO_SYNCHRONOUS_NONALERT);
    int other = 0xdead;
    HANDLE t = CreateThread(NULL, 0, opentype_of_a_new_thread, &other, 0, NULL);
    assert_non_null(t);
    assert_int_equal(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    assert_int_equal(other, 0);
    set_opentype(0);
    assert_int_equal(opentype(), 0);
}

static void opentype_buffers_are_checked(void **state)
{
    (void)state;
    int value = SO_SYNCHRONOUS_ALERT, len = 2;
    assert_int_equal(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    len = sizeof value;
    assert_int_equal(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, NULL, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (const char *)&value, 2), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, NULL, sizeof value), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (const char *)1, sizeof value), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    /* Nothing was set. */
    assert_int_equal(opentype(), 0);
}

/* ws2_32 compares the lengths unsigned: a negative one is large enough. */
static void a_negative_length_reads_as_large(void **state)
{
    (void)state;
    int value = SO_SYNCHRONOUS_ALERT, len = -1;
    assert_int_equal(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (const char *)&value, -1), 0);
    value = 0xdead;
    assert_int_equal(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&value, &len), 0);
    assert_int_equal(len, sizeof value);
    assert_int_equal(value, SO_SYNCHRONOUS_ALERT);
    set_opentype(0);
}

static void synchronous_sockets_work(void **state)
{
    (void)state;
    set_opentype(SO_SYNCHRONOUS_NONALERT);
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    conf_send_all(c, "synchronous", 11);
    char buf[11];
    conf_recv_exact(s, buf, sizeof buf);
    assert_memory_equal(buf, "synchronous", 11);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    set_opentype(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opentype_is_the_threads),
        cmocka_unit_test(opentype_buffers_are_checked),
        cmocka_unit_test(a_negative_length_reads_as_large),
        cmocka_unit_test(synchronous_sockets_work),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

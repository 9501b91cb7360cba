/* What has no proc table entry reaches the provider as ws2_32 hands it to a
 * non-IFS provider: WSASendMsg as WSPIoctl(SIO_EXT_SENDMSG) with a
 * WSASENDMSG carrying the request's WSAOVERLAPPED and routine (the ioctl
 * itself not overlapped), WSAPoll as WSPIoctl(SIO_EXT_POLL) with one
 * WSAPOLLDATA as input and output, on the first socket. WSAJoinLeaf and
 * WSAGetQOSByName go to the provider's entries. recorder.dll records what
 * it is asked. */
#include "host_test.h"

#include "recorder.h"
#include "unit.h"

#include <mswsock.h>
#include <stddef.h>
#include <string.h>

static WSAPROTOCOL_INFOW recorder_info;

static void recorded(recorder_call *out)
{
    void (*last)(recorder_call *) =
        (void (*)(recorder_call *))(void (*)(void))GetProcAddress(GetModuleHandleW(L"recorder.dll"), "recorder_last");
    assert_non_null(last);
    last(out);
}

static SOCKET recorder_socket(void)
{
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &recorder_info, 0, 0);
    assert_true(s != INVALID_SOCKET);
    return s;
}

static void CALLBACK never_run(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)error, (void)bytes, (void)ov, (void)flags;
}

static void send_msg_is_an_ioctl(void **state)
{
    (void)state;
    SOCKET s = recorder_socket();
    WSAMSG m;
    memset(&m, 0, sizeof m);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    DWORD sent = 0;
    assert_int_equal(WSASendMsg(s, &m, MSG_DONTROUTE, &sent, &ov, never_run), 0);
    assert_int_equal(sent, 42);
    recorder_call c;
    recorded(&c);
    assert_int_equal(c.socket, s);
    assert_int_equal(c.code, SIO_EXT_SENDMSG);
    assert_int_equal(c.in_length, sizeof(WSASENDMSG));
    assert_null(c.out);
    assert_int_equal(c.out_length, 0);
    assert_non_null(c.returned);
    assert_null(c.overlapped);
    assert_null(c.routine);
    assert_non_null(c.thread);
    WSASENDMSG carried;
    memcpy(&carried, c.in_copy, sizeof carried);
    assert_ptr_equal(carried.lpMsg, &m);
    assert_int_equal(carried.dwFlags, MSG_DONTROUTE);
    assert_ptr_equal(carried.lpNumberOfBytesSent, &sent);
    assert_ptr_equal(carried.lpOverlapped, &ov);
    assert_ptr_equal((void *)carried.lpCompletionRoutine, (void *)never_run);
    closesocket(s);
}

static void poll_is_an_ioctl_on_the_first_socket(void **state)
{
    (void)state;
    SOCKET a = recorder_socket(), b = recorder_socket();
    WSAPOLLFD fds[3] = {{.fd = (SOCKET)0x7ff0, .events = POLLRDNORM, .revents = 0x7fff},
                        {.fd = a, .events = POLLRDNORM, .revents = 0x7fff},
                        {.fd = b, .events = POLLWRNORM, .revents = 0x7fff}};
    assert_int_equal(WSAPoll(fds, 3, 1234), 1);
    assert_int_equal(fds[0].revents, POLLNVAL);
    assert_int_equal(fds[1].revents, 0);
    assert_int_equal(fds[2].revents, POLLWRNORM);
    recorder_call c;
    recorded(&c);
    const DWORD size = offsetof(WSAPOLLDATA, fdArray) + 2 * sizeof(WSAPOLLFD);
    assert_int_equal(c.socket, a);
    assert_int_equal(c.code, SIO_EXT_POLL);
    assert_ptr_equal(c.in, c.out);
    assert_int_equal(c.in_length, size);
    assert_int_equal(c.out_length, size);
    assert_non_null(c.returned);
    assert_null(c.overlapped);
    assert_null(c.routine);
    assert_non_null(c.thread);
    /* Only the known sockets, in their order, with the timeout. */
    const WSAPOLLDATA *asked = (const WSAPOLLDATA *)c.in_copy;
    assert_int_equal(asked->fds, 2);
    assert_int_equal(asked->timeout, 1234);
    assert_int_equal(asked->fdArray[0].fd, a);
    assert_int_equal(asked->fdArray[0].events, POLLRDNORM);
    assert_int_equal(asked->fdArray[1].fd, b);
    assert_int_equal(asked->fdArray[1].events, POLLWRNORM);
    closesocket(a);
    closesocket(b);
}

/* Passed to the provider as they are; the leaf is a socket of the host's. */
static void join_leaf_and_qos_reach_the_provider(void **state)
{
    (void)state;
    SOCKET s = recorder_socket();
    struct sockaddr_in to = {.sin_family = AF_INET};
    SOCKET leaf = WSAJoinLeaf(s, (struct sockaddr *)&to, sizeof to, NULL, NULL, NULL, NULL, JL_BOTH);
    assert_true(leaf != INVALID_SOCKET);
    assert_true(leaf != s);
    assert_int_equal(closesocket(leaf), 0);
    QOS qos;
    WSABUF name = {0};
    assert_true(WSAGetQOSByName(s, &name, &qos));
    closesocket(s);
    assert_true(WSAJoinLeaf(s, (struct sockaddr *)&to, sizeof to, NULL, NULL, NULL, NULL, JL_BOTH) ==
                INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_false(WSAGetQOSByName(s, &name, &qos));
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
}

static int start(void **state)
{
    if (host_test_start(state) != 0)
        return 1;
    WCHAR path[MAX_PATH];
    host_test_beside_exe(path, L"recorder.dll");
    GUID g = {0x5e1d0c3b, 0x3333, 0x4a6b, {0x9c, 0x7d, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab}};
    recorder_info = host_test_install(L"recorder", path, &g);
    return IsEqualGUID(&recorder_info.ProviderId, &g) ? 0 : 1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(send_msg_is_an_ioctl),
        cmocka_unit_test(poll_is_an_ioctl_on_the_first_socket),
        cmocka_unit_test(join_leaf_and_qos_reach_the_provider),
    };
    return cmocka_run_group_tests(tests, start, host_test_stop);
}

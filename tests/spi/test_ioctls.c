/* The ioctls ShareLSP answers itself or translates: the handles ws2_32 and
 * programs ask a provider for (SIO_BSP_HANDLE*, SIO_BASE_HANDLE), and the
 * forms in which ws2_32 hands WSASendMsg and WSAPoll to a provider that is
 * not IFS (SIO_EXT_SENDMSG, SIO_EXT_POLL). */
#include "spi.h"

#include <mswsock.h>
#include <stddef.h>
#include <string.h>

static SOCKET handle_for(SOCKET s, DWORD code, int *err)
{
    SOCKET h = (SOCKET)0xdeadbeef;
    DWORD size = 0xdeadbeef;
    *err = 0;
    if (WSAIoctl(s, code, NULL, 0, &h, sizeof h, &size, NULL, NULL) != 0)
        *err = WSAGetLastError();
    else
        assert_int_equal(size, sizeof h);
    return h;
}

/* select and WSAPoll must come to ShareLSP: the BSP handles are its own. The
 * base handle is the base provider's, which a layered provider passes on. */
static void bsp_handles_are_sharelsps_base_handle_is_the_bases(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int err = 0;
    assert_true(handle_for(s, SIO_BSP_HANDLE, &err) == s);
    assert_int_equal(err, 0);
    assert_true(handle_for(s, SIO_BSP_HANDLE_SELECT, &err) == s);
    assert_true(handle_for(s, SIO_BSP_HANDLE_POLL, &err) == s);
    SOCKET base = handle_for(s, SIO_BASE_HANDLE, &err);
    assert_int_equal(err, 0);
    assert_true(base != s && base != (SOCKET)0xdeadbeef && base != INVALID_SOCKET);
    /* Too small a buffer, or no byte count: WSAEFAULT, nothing written. */
    SOCKET h = (SOCKET)0x1234;
    DWORD size = 0;
    assert_int_equal(WSAIoctl(s, SIO_BSP_HANDLE_SELECT, NULL, 0, &h, sizeof h - 1, &size, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_true(h == (SOCKET)0x1234);
    /* With a WSAOVERLAPPED: answered at once, and signalled. */
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    assert_int_equal(WSAIoctl(s, SIO_BSP_HANDLE_POLL, NULL, 0, &h, sizeof h, &size, &ov, NULL), 0);
    assert_true(h == s);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    DWORD bytes = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

/* SIO_EXT_SENDMSG: the message goes out on the lower socket and counts as
 * sent, at once or overlapped. */
static void ext_sendmsg_sends_and_counts(void **state)
{
    (void)state;
    SOCKET rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof addr;
    assert_int_equal(bind(rx, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(getsockname(rx, (struct sockaddr *)&addr, &len), 0);
    char data[] = "hello";
    WSABUF buf = {5, data};
    WSAMSG msg = {.name = (struct sockaddr *)&addr, .namelen = len, .lpBuffers = &buf, .dwBufferCount = 1};
    DWORD sent = 0, got = 0;
    WSASENDMSG m = {.lpMsg = &msg, .dwFlags = 0, .lpNumberOfBytesSent = &sent};
    assert_int_equal(WSAIoctl(tx, SIO_EXT_SENDMSG, &m, sizeof m, NULL, 0, &got, NULL, NULL), 0);
    assert_int_equal(sent, 5);
    char in[16];
    assert_int_equal(recv(rx, in, sizeof in, 0), 5);
    assert_memory_equal(in, "hello", 5);
    assert_int_equal(spi_stats(tx).bytes_sent, 5);
    /* Overlapped, with an event. */
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    m.lpOverlapped = &ov;
    m.lpNumberOfBytesSent = NULL;
    int rc = WSAIoctl(tx, SIO_EXT_SENDMSG, &m, sizeof m, NULL, 0, &got, NULL, NULL);
    assert_true(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    DWORD bytes = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(tx, &ov, &bytes, TRUE, &flags));
    assert_int_equal(bytes, 5);
    assert_int_equal(recv(rx, in, sizeof in, 0), 5);
    assert_int_equal(spi_stats(tx).bytes_sent, 10);
    /* A short input buffer: WSAEFAULT, nothing sent. */
    assert_int_equal(WSAIoctl(tx, SIO_EXT_SENDMSG, &m, sizeof m - 1, NULL, 0, &got, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(spi_stats(tx).bytes_sent, 10);
    WSACloseEvent(ov.hEvent);
    closesocket(tx);
    closesocket(rx);
}

/* SIO_EXT_POLL: ShareLSP's sockets are polled through their lower sockets;
 * the array keeps the program's handles and gets the events; a handle that
 * is not a socket is POLLNVAL, uncounted; none at all is WSAENOTSOCK. */
static void ext_poll_translates_the_sockets(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    assert_int_equal(send(c, "x", 1, 0), 1);
    Sleep(100);
    union {
        WSAPOLLDATA data;
        char room[offsetof(WSAPOLLDATA, fdArray) + 3 * sizeof(WSAPOLLFD)];
    } p;
    memset(&p, 0, sizeof p);
    p.data.fds = 3;
    p.data.timeout = 1000;
    p.data.fdArray[0].fd = s;
    p.data.fdArray[0].events = POLLRDNORM;
    p.data.fdArray[1].fd = c;
    p.data.fdArray[1].events = POLLRDNORM;
    p.data.fdArray[2].fd = (SOCKET)0x7ff0; /* not a socket */
    p.data.fdArray[2].events = POLLRDNORM;
    DWORD got = 0;
    assert_int_equal(WSAIoctl(s, SIO_EXT_POLL, &p, sizeof p, &p, sizeof p, &got, NULL, NULL), 0);
    assert_int_equal(p.data.result, 1); /* POLLNVAL is not counted, as with ws2_32 */
    assert_true(p.data.fdArray[0].fd == s && p.data.fdArray[1].fd == c);
    assert_int_equal(p.data.fdArray[0].revents, POLLRDNORM);
    assert_int_equal(p.data.fdArray[1].revents, 0);
    assert_int_equal(p.data.fdArray[2].revents, POLLNVAL);
    p.data.fds = 1;
    p.data.fdArray[0].fd = (SOCKET)0x7ff0;
    assert_int_equal(WSAIoctl(s, SIO_EXT_POLL, &p, sizeof p, &p, sizeof p, &got, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    /* An array longer than the buffers: WSAEFAULT. */
    p.data.fds = 4;
    assert_int_equal(WSAIoctl(s, SIO_EXT_POLL, &p, sizeof p, &p, sizeof p, &got, NULL, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(c);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bsp_handles_are_sharelsps_base_handle_is_the_bases),
        cmocka_unit_test(ext_sendmsg_sends_and_counts),
        cmocka_unit_test(ext_poll_translates_the_sockets),
    };
    return cmocka_run_group_tests(tests, spi_start, spi_stop);
}

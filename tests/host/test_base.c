/* wspbase as ws2_32 (here wsphost) asks it for what has no WSP entry point:
 * WSAPoll as WSPIoctl(SIO_EXT_POLL), WSASendMsg as WSPIoctl(SIO_EXT_SENDMSG);
 * and its duplicate info, which carries the handle where MSAFD does
 * (dwProviderReserved) and where Wine does (dwServiceFlags3, marked in
 * dwServiceFlags4), restored from either. Bad input gets a clear error and
 * changes nothing. */
#include "host_test.h"

#include "unit.h"

#include <mswsock.h>
#include <stddef.h>
#include <string.h>

enum { POLL_SIZE = offsetof(WSAPOLLDATA, fdArray) + 2 * sizeof(WSAPOLLFD) };

typedef union poll_buffer {
    WSAPOLLDATA data;
    BYTE bytes[POLL_SIZE];
} poll_buffer;

static void tcp_pair(SOCKET *client, SOCKET *server)
{
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_true(listener != INVALID_SOCKET);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof a;
    assert_int_equal(bind(listener, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(listener, 1), 0);
    assert_int_equal(getsockname(listener, (struct sockaddr *)&a, &len), 0);
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_int_equal(connect(*client, (struct sockaddr *)&a, sizeof a), 0);
    *server = accept(listener, NULL, NULL);
    assert_true(*server != INVALID_SOCKET);
    closesocket(listener);
}

static int ext_poll(SOCKET s, poll_buffer *b, DWORD in, DWORD out, DWORD *returned, WSAOVERLAPPED *ov)
{
    return WSAIoctl(s, SIO_EXT_POLL, b, in, b, out, returned, ov, NULL);
}

static void ext_poll_fills_the_data(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    assert_int_equal(send(c, "x", 1, 0), 1);
    poll_buffer b;
    memset(&b, 0, sizeof b);
    b.data.fds = 2;
    b.data.timeout = 5000;
    b.data.fdArray[0] = (WSAPOLLFD){.fd = s, .events = POLLRDNORM};
    b.data.fdArray[1] = (WSAPOLLFD){.fd = c, .events = POLLWRNORM};
    DWORD returned = 0;
    assert_int_equal(ext_poll(c, &b, POLL_SIZE, POLL_SIZE, &returned, NULL), 0);
    assert_int_equal(b.data.result, 2);
    assert_int_equal(b.data.fdArray[0].revents, POLLRDNORM);
    assert_int_equal(b.data.fdArray[1].revents, POLLWRNORM);
    assert_int_equal(returned, POLL_SIZE);
    closesocket(c);
    closesocket(s);
}

static void ext_poll_refuses_bad_input(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    poll_buffer b, before;
    memset(&b, 0, sizeof b);
    b.data.result = 77;
    b.data.fds = 2;
    b.data.fdArray[0] = (WSAPOLLFD){.fd = s, .events = POLLRDNORM, .revents = 0x55};
    b.data.fdArray[1] = (WSAPOLLFD){.fd = c, .events = POLLWRNORM, .revents = 0x55};
    before = b;
    DWORD returned = 1234;
    /* Shorter than its header, or than the sockets it counts. */
    assert_int_equal(ext_poll(c, &b, offsetof(WSAPOLLDATA, fdArray) - 1, POLL_SIZE, &returned, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(ext_poll(c, &b, POLL_SIZE - 1, POLL_SIZE, &returned, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(ext_poll(c, &b, POLL_SIZE, POLL_SIZE - 1, &returned, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    /* Overlapped: ws2_32 never asks so. */
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    assert_int_equal(ext_poll(c, &b, POLL_SIZE, POLL_SIZE, &returned, &ov), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_memory_equal(&b, &before, sizeof b);
    /* A handle that is not one of the provider's sockets: a layer above
     * would have passed its own handles down. */
    b.data.fdArray[1].fd = (SOCKET)CreateEventW(NULL, FALSE, FALSE, NULL);
    assert_int_equal(ext_poll(c, &b, POLL_SIZE, POLL_SIZE, &returned, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(b.data.result, 77);
    assert_int_equal(b.data.fdArray[0].revents, 0x55);
    CloseHandle((HANDLE)b.data.fdArray[1].fd);
    /* No socket at all. */
    b.data.fds = 0;
    assert_int_equal(ext_poll(c, &b, POLL_SIZE, POLL_SIZE, &returned, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(returned, 1234);
    closesocket(c);
    closesocket(s);
}

static SOCKET udp_bound(struct sockaddr_in *a)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_true(s != INVALID_SOCKET);
    *a = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof *a;
    assert_int_equal(bind(s, (struct sockaddr *)a, sizeof *a), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)a, &len), 0);
    return s;
}

static void ext_send_msg_sends(void **state)
{
    (void)state;
    struct sockaddr_in a, b;
    SOCKET from = udp_bound(&a), to = udp_bound(&b);
    char text[] = "hello";
    WSABUF buffer = {.len = 5, .buf = text};
    WSAMSG m = {.name = (struct sockaddr *)&b, .namelen = sizeof b, .lpBuffers = &buffer, .dwBufferCount = 1};
    DWORD sent = 0, returned = 0;
    WSASENDMSG request = {.lpMsg = &m, .lpNumberOfBytesSent = &sent};
    assert_int_equal(WSAIoctl(from, SIO_EXT_SENDMSG, &request, sizeof request, NULL, 0, &returned, NULL, NULL), 0);
    assert_int_equal(sent, 5);
    char got[8];
    assert_int_equal(recv(to, got, sizeof got, 0), 5);
    assert_memory_equal(got, "hello", 5);

    /* Short, or overlapped itself (the send's own WSAOVERLAPPED travels
     * inside): refused, nothing sent. */
    sent = 0;
    assert_int_equal(WSAIoctl(from, SIO_EXT_SENDMSG, &request, sizeof request - 1, NULL, 0, &returned, NULL, NULL),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    assert_int_equal(WSAIoctl(from, SIO_EXT_SENDMSG, NULL, sizeof request, NULL, 0, &returned, NULL, NULL),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    assert_int_equal(WSAIoctl(from, SIO_EXT_SENDMSG, &request, sizeof request, NULL, 0, &returned, &ov, NULL),
                     SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(sent, 0);
    u_long pending = 1;
    assert_int_equal(ioctlsocket(to, FIONREAD, &pending), 0);
    assert_int_equal(pending, 0);
    closesocket(from);
    closesocket(to);
}

/* The duplicate info of client, into this process. */
static WSAPROTOCOL_INFOW duplicate_info(SOCKET client)
{
    WSAPROTOCOL_INFOW info;
    memset(&info, 0, sizeof info);
    assert_int_equal(WSADuplicateSocketW(client, GetCurrentProcessId(), &info), 0);
    assert_int_not_equal(info.dwProviderReserved, 0);
    assert_int_equal(info.dwProviderReserved, info.dwServiceFlags3);
    return info;
}

/* The socket the info opens is the client's connection: what it sends, the
 * server receives, and its peer is the client's. */
static void opens_the_connection(WSAPROTOCOL_INFOW *info, SOCKET client, SOCKET server)
{
    SOCKET d = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, 0);
    assert_true(d != INVALID_SOCKET);
    assert_true(d != client);
    struct sockaddr_in a, b;
    int alen = sizeof a, blen = sizeof b;
    assert_int_equal(getpeername(d, (struct sockaddr *)&a, &alen), 0);
    assert_int_equal(getpeername(client, (struct sockaddr *)&b, &blen), 0);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(send(d, "d", 1, 0), 1);
    char got;
    assert_int_equal(recv(server, &got, 1, 0), 1);
    assert_int_equal(got, 'd');
    assert_int_equal(closesocket(d), 0);
}

static void duplicate_by_provider_reserved_only(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    /* As an LSP that keeps only the provider's own field passes it down:
     * on the catalog entry's info. */
    WSAPROTOCOL_INFOW info = duplicate_info(c);
    info.dwServiceFlags3 = 0;
    info.dwServiceFlags4 = 0;
    opens_the_connection(&info, c, s);
    closesocket(c);
    closesocket(s);
}

static void duplicate_by_wine_fields_only(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    WSAPROTOCOL_INFOW info = duplicate_info(c);
    info.dwProviderReserved = 0;
    opens_the_connection(&info, c, s);
    closesocket(c);
    closesocket(s);
}

static void duplicate_naming_no_socket_is_refused(void **state)
{
    (void)state;
    SOCKET c, s;
    tcp_pair(&c, &s);
    WSAPROTOCOL_INFOW info = duplicate_info(c);
    HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
    info.dwServiceFlags3 = 0;
    info.dwServiceFlags4 = 0;
    info.dwProviderReserved = (DWORD)(ULONG_PTR)event;
    assert_true(WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0) ==
                INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    CloseHandle(event);
    closesocket(c);
    closesocket(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ext_poll_fills_the_data),
        cmocka_unit_test(ext_poll_refuses_bad_input),
        cmocka_unit_test(ext_send_msg_sends),
        cmocka_unit_test(duplicate_by_provider_reserved_only),
        cmocka_unit_test(duplicate_by_wine_fields_only),
        cmocka_unit_test(duplicate_naming_no_socket_is_refused),
    };
    return cmocka_run_group_tests(tests, host_test_start, host_test_stop);
}

/* The packets a base provider's socket posts to its port once it skips the
 * port on success (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS), which ShareLSP
 * sets on the lower sockets it binds and relies on (src/lsp/lower_io.h): a
 * request done in its call posts none, one refused in its call none, one
 * that pends exactly one, whether it then succeeds or fails. Checked on
 * Wine's own sockets (faulty.dll's, which pass to wspbase) and on faulty's
 * requests that pend then fail, which must complete as Wine's do: the
 * fault sweep (test_faults.c) runs ShareLSP over them. No ShareLSP here:
 * the sockets are faulty's, made with its own catalog entry. */
#define UNICODE
#include "faults.h"

#include <string.h>

static GUID faulty_guid = {0x3c0d4e1f, 0x2a5b, 0x4c6d, {0x9e, 0x8f, 0x70, 0x61, 0x52, 0x43, 0x34, 0x25}};
static WSAPROTOCOL_INFOW chain;

enum { PACKETS_KEY = 0x51 };

static int start(void **state)
{
    (void)state;
    return spi_start_over_base(&faulty_guid, L"faulty.dll", SOCK_STREAM, &chain);
}

/* faulty's own TCP/IPv4 entry. */
static WSAPROTOCOL_INFOW packets_faulty_entry(void)
{
    WSAPROTOCOL_INFOW all[64], found = {0};
    DWORD size = sizeof all;
    int n = WSAEnumProtocolsW(NULL, all, &size);
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        if (IsEqualGUID(&all[i].ProviderId, &faulty_guid) && all[i].ProtocolChain.ChainLen == BASE_PROTOCOL)
            found = all[i];
    }
    assert_int_not_equal(found.dwCatalogEntryId, 0);
    return found;
}

/* A connected pair of faulty's sockets (ShareLSP not in it), the first
 * bound to a port of its own that skips on success. */
static HANDLE packets_pair(SOCKET *c, SOCKET *s)
{
    WSAPROTOCOL_INFOW base = packets_faulty_entry();
    u_short port = 0;
    SOCKET l = spi_listener(&port);
    *c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, &base, 0, WSA_FLAG_OVERLAPPED);
    assert_true(*c != INVALID_SOCKET);
    struct sockaddr_in to = spi_loopback(port);
    assert_int_equal(connect(*c, (struct sockaddr *)&to, sizeof to), 0);
    *s = accept(l, NULL, NULL);
    assert_true(*s != INVALID_SOCKET);
    assert_int_equal(closesocket(l), 0);
    HANDLE completion = CreateIoCompletionPort((HANDLE)*c, NULL, PACKETS_KEY, 0);
    assert_non_null(completion);
    assert_true(SetFileCompletionNotificationModes((HANDLE)*c, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    return completion;
}

/* The next packet within ms: its OVERLAPPED (NULL: none came), byte count
 * and error. */
static LPOVERLAPPED packets_next(HANDLE completion, DWORD ms, DWORD *bytes, DWORD *error)
{
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    *bytes = 0;
    *error = GetQueuedCompletionStatus(completion, bytes, &key, &got, ms) ? 0 : GetLastError();
    if (got != NULL)
        assert_int_equal(key, PACKETS_KEY);
    return got;
}

/* No packet within 200 ms. */
static void packets_none(HANDLE completion)
{
    DWORD bytes = 0, error = 0;
    assert_null(packets_next(completion, 200, &bytes, &error));
    assert_int_equal(error, WAIT_TIMEOUT);
}

static void packets_pair_close(HANDLE completion, SOCKET c, SOCKET s)
{
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(closesocket(s), 0);
    CloseHandle(completion);
}

static faulty_controls packets_faulty(void)
{
    faulty_controls f;
    assert_true(faulty_controls_find(&f));
    return f;
}

static void done_at_once_posts_nothing(void **state)
{
    (void)state;
    SOCKET c, s;
    HANDLE completion = packets_pair(&c, &s);
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    WSABUF buf = {.len = 1, .buf = "a"};
    DWORD sent = 0, bytes = 0, flags = 0;
    assert_int_equal(WSASend(c, &buf, 1, &sent, 0, &ov, NULL), 0);
    assert_int_equal(sent, 1);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 1);
    packets_none(completion);
    WSACloseEvent(ov.hEvent);
    packets_pair_close(completion, c, s);
}

static void refused_at_once_posts_nothing(void **state)
{
    (void)state;
    SOCKET c, s;
    HANDLE completion = packets_pair(&c, &s);
    faulty_controls f = packets_faulty();
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    WSABUF buf = {.len = 1, .buf = "a"};
    f.arm("WSPSend", 1, FAULT_NOW, FALSE);
    assert_int_equal(WSASend(c, &buf, 1, NULL, 0, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), FAULT_NOW);
    f.clear();
    packets_none(completion);
    WSACloseEvent(ov.hEvent);
    packets_pair_close(completion, c, s);
}

static void a_pending_receive_posts_once(void **state)
{
    (void)state;
    SOCKET c, s;
    HANDLE completion = packets_pair(&c, &s);
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    char got[4] = {0};
    WSABUF buf = {.len = sizeof got, .buf = got};
    DWORD bytes = 0, error = 0, flags = 0;
    assert_int_equal(WSARecv(c, &buf, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(send(s, "xyz", 3, 0), 3);
    assert_ptr_equal(packets_next(completion, 5000, &bytes, &error), &ov);
    assert_int_equal(error, 0);
    assert_int_equal(bytes, 3);
    assert_memory_equal(got, "xyz", 3);
    packets_none(completion);
    WSACloseEvent(ov.hEvent);
    packets_pair_close(completion, c, s);
}

/* faulty's request that pends then fails: one packet with the error (a
 * socket request's WSAECONNRESET reads ERROR_NETNAME_DELETED from the
 * port), its event set, its status read back as the error; and none for a
 * request whose event's low bit asks for none. */
static void a_pending_failure_posts_once(void **state)
{
    (void)state;
    SOCKET c, s;
    HANDLE completion = packets_pair(&c, &s);
    faulty_controls f = packets_faulty();
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    WSABUF buf = {.len = 1, .buf = "a"};
    DWORD bytes = 0, error = 0, flags = 0;
    LONG fired = f.fired();
    f.arm("WSPSend", 1, FAULT_LATER, TRUE);
    assert_int_equal(WSASend(c, &buf, 1, NULL, 0, &ov, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_ptr_equal(packets_next(completion, 5000, &bytes, &error), &ov);
    assert_int_equal(error, ERROR_NETNAME_DELETED);
    assert_int_equal(bytes, 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    assert_false(WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags));
    assert_int_equal(WSAGetLastError(), FAULT_LATER);
    packets_none(completion);

    WSAOVERLAPPED quiet = {.hEvent = (HANDLE)((uintptr_t)WSACreateEvent() | 1)};
    HANDLE event = (HANDLE)((uintptr_t)quiet.hEvent & ~(uintptr_t)1);
    f.arm("WSPSend", 1, FAULT_LATER, TRUE);
    assert_int_equal(WSASend(c, &buf, 1, NULL, 0, &quiet, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(WaitForSingleObject(event, 5000), WAIT_OBJECT_0);
    packets_none(completion);
    assert_int_equal(f.fired(), fired + 2);
    WSACloseEvent(event);
    WSACloseEvent(ov.hEvent);
    packets_pair_close(completion, c, s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(done_at_once_posts_nothing),
        cmocka_unit_test(refused_at_once_posts_nothing),
        cmocka_unit_test(a_pending_receive_posts_once),
        cmocka_unit_test(a_pending_failure_posts_once),
    };
    return cmocka_run_group_tests(tests, start, spi_stop);
}

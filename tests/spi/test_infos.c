/* The lifetime of a duplicate info across processes (R7): every info is
 * distinct even when the target reuses handle values, so a used info opens
 * nothing (and uses up nothing); an info into this process holds the socket
 * until it is used or Winsock is cleaned up; and a duplication that fails
 * leaves nothing in the target. */
#include "spi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHILD_OK = 0, CHILD_NO_PIPE = 20, CHILD_PROTOCOL, CHILD_SOCKET, CHILD_CLOSE };

/* --- a used info, replayed after the target reused its handle values --- */

enum { REPLAY_ROUNDS = 8 };

typedef struct replay_report {
    int replay_error;  /* what replaying the previous round's info gave; 0: it opened a socket */
    int genuine_error; /* what this round's info gave; 0: it opened its socket */
    char tag[SHARELSP_TAG_MAX + 1];
} replay_report;

static int child_replay(DWORD parent)
{
    HANDLE pipe = INVALID_HANDLE_VALUE;
    if (!spi_child_pipe(parent, &pipe))
        return CHILD_NO_PIPE;
    WSAPROTOCOL_INFOW previous;
    for (int round = 0; round < REPLAY_ROUNDS; round++) {
        WSAPROTOCOL_INFOW info;
        DWORD n = 0;
        if (!ReadFile(pipe, &info, sizeof info, &n, NULL) || n != sizeof info)
            return CHILD_PROTOCOL;
        replay_report r = {0};
        if (round > 0) {
            WSAPROTOCOL_INFOW replay = previous;
            SOCKET s = spi_use_info(&replay);
            r.replay_error = s == INVALID_SOCKET ? WSAGetLastError() : 0;
            if (s != INVALID_SOCKET)
                closesocket(s);
        }
        previous = info;
        SOCKET s = spi_use_info(&info);
        r.genuine_error = s == INVALID_SOCKET ? WSAGetLastError() : 0;
        int len = SHARELSP_TAG_MAX;
        if (s != INVALID_SOCKET && getsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, r.tag, &len) == 0)
            r.tag[len] = '\0';
        /* Closing frees the handle values the next duplication will get. */
        if (s != INVALID_SOCKET && closesocket(s) != 0)
            return CHILD_CLOSE;
        if (!WriteFile(pipe, &r, sizeof r, &n, NULL))
            return CHILD_PROTOCOL;
    }
    CloseHandle(pipe);
    return WSACleanup() == 0 ? CHILD_OK : CHILD_CLOSE;
}

static void used_info_opens_nothing_when_handles_repeat(void **state)
{
    (void)state;
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("replay", 0, &pi, &pipe);
    DWORD previous_reference = 0;
    int repeated = 0;
    for (int round = 0; round < REPLAY_ROUNDS; round++) {
        SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
        assert_true(s != INVALID_SOCKET);
        char tag[16];
        snprintf(tag, sizeof tag, "round %d", round);
        spi_set_tag(s, tag);
        WSAPROTOCOL_INFOW info;
        assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info), 0);
        repeated += round > 0 && info.dwProviderReserved == previous_reference;
        previous_reference = info.dwProviderReserved;
        DWORD n = 0;
        assert_true(WriteFile(pipe, &info, sizeof info, &n, NULL));
        replay_report r;
        assert_true(ReadFile(pipe, &r, sizeof r, &n, NULL));
        assert_int_equal(n, sizeof r);
        if (round > 0)
            assert_int_equal(r.replay_error, WSAEINVAL);
        assert_int_equal(r.genuine_error, 0);
        assert_string_equal(r.tag, tag);
        assert_int_equal(closesocket(s), 0);
    }
    assert_int_equal(spi_child_wait(&pi, pipe), CHILD_OK);
    /* The case that matters happened: a ticket got its predecessor's handle. */
    assert_true(repeated > 0);
}

/* --- an info into the child's own process, never used --- */

static int child_pending(DWORD parent, unsigned short port)
{
    HANDLE pipe = INVALID_HANDLE_VALUE;
    if (!spi_child_pipe(parent, &pipe))
        return CHILD_NO_PIPE;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    if (s == INVALID_SOCKET || connect(s, (struct sockaddr *)&to, sizeof to) != 0)
        return CHILD_SOCKET;
    WSAPROTOCOL_INFOW info;
    if (WSADuplicateSocketW(s, GetCurrentProcessId(), &info) != 0 || closesocket(s) != 0)
        return CHILD_SOCKET;
    char step = 'p';
    DWORD n = 0;
    if (!WriteFile(pipe, &step, 1, &n, NULL) || !ReadFile(pipe, &step, 1, &n, NULL))
        return CHILD_PROTOCOL;
    /* The info is never used: cleanup releases what it holds. */
    if (WSACleanup() != 0)
        return CHILD_CLOSE;
    step = 'c';
    if (!WriteFile(pipe, &step, 1, &n, NULL) || !ReadFile(pipe, &step, 1, &n, NULL))
        return CHILD_PROTOCOL;
    CloseHandle(pipe);
    return CHILD_OK;
}

static void pending_info_lives_until_cleanup(void **state)
{
    (void)state;
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof addr;
    assert_int_equal(bind(l, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(l, 1), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&addr, &len), 0);
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("pending", ntohs(addr.sin_port), &pi, &pipe);
    SOCKET a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    char step = 0;
    DWORD n = 0;
    assert_true(ReadFile(pipe, &step, 1, &n, NULL));
    assert_int_equal(step, 'p');
    /* The child closed its only descriptor; its pending info holds the
     * connection: nothing to read, no end. */
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(a, &readable);
    struct timeval moment = {0, 300 * 1000};
    assert_int_equal(select(0, &readable, NULL, NULL, &moment), 0);
    assert_true(WriteFile(pipe, &step, 1, &n, NULL));
    assert_true(ReadFile(pipe, &step, 1, &n, NULL));
    assert_int_equal(step, 'c');
    /* The child's WSACleanup ended it, while the child still lives: the
     * info's hold is dropped in table_close_all. (Wine's own WSACleanup
     * closes every socket below too, so that a hold never dropped would be
     * a leak in the child, not an open connection: unit.test_table's
     * close_all_drops_pending_duplications is the test for that.) */
    DWORD timeout = 3000;
    assert_int_equal(setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout), 0);
    char buf[4];
    int got = recv(a, buf, sizeof buf, 0);
    if (got != 0)
        fail_msg("recv after the child's WSACleanup: %d, error %d", got, WSAGetLastError());
    assert_true(WriteFile(pipe, &step, 1, &n, NULL));
    assert_int_equal(spi_child_wait(&pi, pipe), CHILD_OK);
    closesocket(a);
    closesocket(l);
}

/* --- a duplication into another process that fails part way --- */

static int child_idle(DWORD parent)
{
    HANDLE pipe = INVALID_HANDLE_VALUE;
    if (!spi_child_pipe(parent, &pipe))
        return CHILD_NO_PIPE;
    char step = 0;
    DWORD n = 0;
    if (!ReadFile(pipe, &step, 1, &n, NULL))
        return CHILD_PROTOCOL;
    CloseHandle(pipe);
    return WSACleanup() == 0 ? CHILD_OK : CHILD_CLOSE;
}

typedef HANDLE(WINAPI *create_mapping_fn)(HANDLE, LPSECURITY_ATTRIBUTES, DWORD, DWORD, DWORD, LPCWSTR);
typedef BOOL(WINAPI *duplicate_handle_fn)(HANDLE, HANDLE, HANDLE, LPHANDLE, DWORD, BOOL, DWORD);

/* Which call of sharelsp.dll's to fail: the nth section it creates, or the
 * nth handle it duplicates into another process (0: none). */
static LONG fail_mapping_at, fail_duplication_at;
static volatile LONG mappings, duplications;
static create_mapping_fn real_create_mapping;
static duplicate_handle_fn real_duplicate_handle;

static HANDLE WINAPI failing_create_mapping(HANDLE file, LPSECURITY_ATTRIBUTES sa, DWORD protect, DWORD high,
                                            DWORD low, LPCWSTR name)
{
    if (InterlockedIncrement(&mappings) == fail_mapping_at) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    return real_create_mapping(file, sa, protect, high, low, name);
}

static BOOL WINAPI failing_duplicate_handle(HANDLE from_process, HANDLE handle, HANDLE to_process, LPHANDLE out,
                                            DWORD access, BOOL inherit, DWORD options)
{
    bool into_another = to_process != NULL && GetProcessId(to_process) != GetCurrentProcessId();
    if (into_another && InterlockedIncrement(&duplications) == fail_duplication_at) {
        SetLastError(ERROR_NO_SYSTEM_RESOURCES);
        return FALSE;
    }
    return real_duplicate_handle(from_process, handle, to_process, out, access, inherit, options);
}

static void failed_duplication_leaves_nothing_in_the_target(void **state)
{
    (void)state;
    HMODULE lsp = GetModuleHandleW(L"sharelsp.dll");
    assert_non_null(lsp);
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("idle", 0, &pi, &pipe);
    const struct {
        LONG mapping, duplication; /* the call that fails */
        int error;
    } faults[] = {
        {1, 0, WSAENOBUFS}, /* the block's section */
        {2, 0, WSAENOBUFS}, /* the ticket's section */
        {0, 1, WSAEINVAL},  /* the block's handle into the target */
        {0, 2, WSAEINVAL},  /* the ticket's handle into the target */
    };
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        SOCKET c, s;
        spi_tcp_pair(AF_INET, &c, &s);
        mappings = duplications = 0;
        fail_mapping_at = faults[i].mapping;
        fail_duplication_at = faults[i].duplication;
        real_create_mapping = spi_patch_import(lsp, "CreateFileMappingW", (void *)failing_create_mapping);
        real_duplicate_handle = spi_patch_import(lsp, "DuplicateHandle", (void *)failing_duplicate_handle);
        assert_non_null(real_create_mapping);
        assert_non_null(real_duplicate_handle);
        WSAPROTOCOL_INFOW info;
        int r = WSADuplicateSocketW(s, pi.dwProcessId, &info);
        int error = WSAGetLastError();
        spi_patch_import(lsp, "CreateFileMappingW", (void *)real_create_mapping);
        spi_patch_import(lsp, "DuplicateHandle", (void *)real_duplicate_handle);
        assert_int_equal(r, SOCKET_ERROR);
        assert_int_equal(error, faults[i].error);
        /* Nothing holds the connection but our descriptor: no duplicate of
         * the lower socket was left in the target. (Wine's
         * GetProcessHandleCount gives 0 for another process, so the handle
         * count cannot be compared.) */
        assert_int_equal(closesocket(s), 0);
        DWORD timeout = 3000;
        assert_int_equal(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout), 0);
        char buf[4];
        int got = recv(c, buf, sizeof buf, 0);
        if (got != 0)
            fail_msg("fault %u: recv after the last close: %d, error %d", (unsigned)i, got, WSAGetLastError());
        closesocket(c);
    }
    char step = 'q';
    DWORD n = 0;
    assert_true(WriteFile(pipe, &step, 1, &n, NULL));
    assert_int_equal(spi_child_wait(&pi, pipe), CHILD_OK);
}

int main(int argc, char **argv)
{
    if (argc == 4) {
        DWORD parent = (DWORD)strtoul(argv[2], NULL, 10);
        if (strcmp(argv[1], "replay") == 0)
            return child_replay(parent);
        if (strcmp(argv[1], "pending") == 0)
            return child_pending(parent, (unsigned short)strtoul(argv[3], NULL, 10));
        if (strcmp(argv[1], "idle") == 0)
            return child_idle(parent);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(used_info_opens_nothing_when_handles_repeat),
        cmocka_unit_test(pending_info_lives_until_cleanup),
        cmocka_unit_test(failed_duplication_leaves_nothing_in_the_target),
    };
    return cmocka_run_group_tests(tests, spi_start, spi_stop);
}

/* SO_OPENTYPE decides what socket() asks of the provider: overlapped sockets
 * (WSA_FLAG_OVERLAPPED in WSPSocket's dwFlags) while the calling thread's
 * option is 0, the default, and none once the thread has set it. Seen from
 * test_provider.dll, which keeps the dwFlags of its last WSPSocket. */
#include "host_test.h"

#include "unit.h"

#include <mswsock.h>

#include <stdlib.h>
#include <string.h>

typedef LONG(WINAPI *socket_flags_fn)(void);

/* A SOCK_SEQPACKET entry over IPv4, which no other entry serves, so that
 * socket(AF_INET, SOCK_SEQPACKET, 0) reaches test_provider.dll. */
static void install_seqpacket_entry(void)
{
    DWORD len = 0;
    int err = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    WSAPROTOCOL_INFOW *list = malloc(len);
    assert_non_null(list);
    assert_true(WSCEnumProtocols(NULL, list, &len, &err) >= 1);
    WSAPROTOCOL_INFOW info = list[0];
    free(list);
    wcscpy(info.szProtocol, L"good");
    info.iSocketType = SOCK_SEQPACKET;
    info.iProtocol = 0;
    GUID g = {0x5e1d0c3b, 0x3333, 0x4a6b, {0x9c, 0x7d, 0x01, 0x23, 0x45, 0x67, 0x89, 0x01}};
    WCHAR provider[MAX_PATH];
    host_test_beside_exe(provider, L"test_provider.dll");
    assert_int_equal(WSCInstallProvider(&g, provider, &info, 1, &err), 0);
}

/* The dwFlags of test_provider.dll's last WSPSocket. */
static LONG last_socket_flags(void)
{
    socket_flags_fn flags =
        (socket_flags_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"test_provider.dll"),
                                                         "test_provider_socket_flags");
    assert_non_null(flags);
    return flags();
}

/* socket() through test_provider.dll; the dwFlags it was given. */
static LONG flags_socket_gives(void)
{
    assert_true(socket(AF_INET, SOCK_SEQPACKET, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEOPNOTSUPP);
    return last_socket_flags();
}

static void set_opentype(int value)
{
    assert_int_equal(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (const char *)&value, sizeof value), 0);
}

static DWORD WINAPI flags_in_a_new_thread(LPVOID result)
{
    *(LONG *)result = flags_socket_gives();
    return 0;
}

static void socket_follows_the_threads_opentype(void **state)
{
    (void)state;
    install_seqpacket_entry();
    assert_int_equal(flags_socket_gives(), WSA_FLAG_OVERLAPPED);
    set_opentype(SO_SYNCHRONOUS_NONALERT);
    assert_int_equal(flags_socket_gives(), 0);
    set_opentype(SO_SYNCHRONOUS_ALERT);
    assert_int_equal(flags_socket_gives(), 0);

    /* Another thread's option is its own: still 0 there. */
    LONG other = -1;
    HANDLE t = CreateThread(NULL, 0, flags_in_a_new_thread, &other, 0, NULL);
    assert_non_null(t);
    assert_int_equal(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    assert_int_equal(other, WSA_FLAG_OVERLAPPED);

    /* WSASocket takes the program's flags whatever the option says. */
    assert_true(WSASocketW(AF_INET, SOCK_SEQPACKET, 0, NULL, 0, WSA_FLAG_OVERLAPPED) == INVALID_SOCKET);
    assert_int_equal(last_socket_flags(), WSA_FLAG_OVERLAPPED);

    set_opentype(0);
    assert_int_equal(flags_socket_gives(), WSA_FLAG_OVERLAPPED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(socket_follows_the_threads_opentype),
    };
    return cmocka_run_group_tests(tests, host_test_start, host_test_stop);
}

/* Stacking: a minimal pass-through LSP (passthru.dll, tests only) layered
 * above ShareLSP over TCP/IPv4. Both start, traffic flows through both, and
 * the duplicate and close rules still hold. And ShareLSP installed over
 * itself: that chain is refused cleanly, the others keep working. */
#define UNICODE
#include "spi.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define SOL_PASSTHRU 0x5054
#define PASSTHRU_SO_CALLS 1

/* Installs the DLL named (beside this program) as a layer over ShareLSP's
 * TCP/IPv4 chain, under the provider GUID given. */
static int install_over_sharelsp(GUID *provider, WCHAR *name)
{
    GUID sharelsp = SHARELSP_PROVIDER_GUID_INIT;
    DWORD len = 0;
    int err = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    WSAPROTOCOL_INFOW *all = malloc(len);
    int n = WSCEnumProtocols(NULL, all, &len, &err);
    WSAPROTOCOL_INFOW chain;
    bool found = false;
    for (int i = 0; i < n && !found; i++) {
        found = IsEqualGUID(&all[i].ProviderId, &sharelsp) && all[i].ProtocolChain.ChainLen == 2 &&
                all[i].iAddressFamily == AF_INET && all[i].iSocketType == SOCK_STREAM;
        if (found)
            chain = all[i];
    }
    free(all);
    if (!found)
        return 1;
    WCHAR dll[MAX_PATH];
    GetModuleFileNameW(NULL, dll, MAX_PATH);
    wcscpy(wcsrchr(dll, L'\\') + 1, name);
    DWORD layered = 0;
#ifdef _WIN64
    return WSCInstallProviderAndChains64_32(provider, dll, dll, name, 0, &chain, 1, &layered, &err) != 0;
#else /* a 32-bit process has one catalog, its own */
    return WSCInstallProviderAndChains(provider, dll, name, 0, &chain, 1, &layered, &err) != 0;
#endif
}

static int start(void **state)
{
    GUID passthru = {0x9a1b2c3d, 0x4e5f, 0x4a6b, {0x9c, 0x7d, 0x01, 0x23, 0x45, 0x67, 0x89, 0xcd}};
    return spi_start(state) != 0 || install_over_sharelsp(&passthru, (WCHAR[]){L"passthru.dll"}) != 0;
}

/* ShareLSP a second time, under another GUID, over its own chain. */
static int start_twice(void **state)
{
    GUID again = {0x5ea21e55, 0x7a0c, 0x4d1e, {0x8b, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}};
    return spi_start(state) != 0 || install_over_sharelsp(&again, (WCHAR[]){L"sharelsp.dll"}) != 0;
}

static LONG passthru_calls(SOCKET s)
{
    LONG n = -1;
    int len = sizeof n;
    assert_int_equal(getsockopt(s, SOL_PASSTHRU, PASSTHRU_SO_CALLS, (char *)&n, &len), 0);
    return n;
}

static void both_providers_carry_the_socket(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s != INVALID_SOCKET);
    WSAPROTOCOL_INFOW info;
    int len = sizeof info;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
    assert_int_equal(info.ProtocolChain.ChainLen, 3); /* passthru, ShareLSP, wspbase */
    assert_int_equal(spi_stats(s).descriptors_open, 1);
    assert_true(passthru_calls(s) > 0);
    closesocket(s);
}

static void traffic_flows_through_both(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    LONG before = passthru_calls(c);
    assert_int_equal(send(c, "stacked", 7, 0), 7);
    char buf[16];
    assert_int_equal(recv(s, buf, sizeof buf, 0), 7);
    assert_memory_equal(buf, "stacked", 7);
    assert_true(passthru_calls(c) >= before + 2);
    assert_int_equal(spi_stats(c).bytes_sent, 7);
    assert_int_equal(spi_stats(s).bytes_received, 7);
    closesocket(c);
    closesocket(s);
}

static void duplicate_and_close_still_hold(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(a, GetCurrentProcessId(), &info), 0);
    WSAPROTOCOL_INFOW again = info;
    SOCKET b = spi_use_info(&info);
    assert_true(b != INVALID_SOCKET);
    assert_true(spi_use_info(&again) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    spi_set_tag(a, "under passthru");
    char tag[SHARELSP_TAG_MAX + 1];
    spi_get_tag(b, tag, sizeof tag);
    assert_string_equal(tag, "under passthru");
    assert_int_equal(spi_stats(b).descriptors_open, 2);
    assert_int_equal(closesocket(a), 0);
    char buf[8];
    assert_int_equal(send(b, "ok", 2, 0), 2);
    assert_int_equal(recv(c, buf, sizeof buf, 0), 2);
    assert_int_equal(closesocket(b), 0);
    assert_int_equal(recv(c, buf, sizeof buf, 0), 0);
    closesocket(c);
}

typedef struct socket_call {
    int type;
    SOCKET made;
    int error;
} socket_call;

static DWORD WINAPI make_socket(LPVOID param)
{
    socket_call *call = param;
    call->made = socket(AF_INET, call->type, 0);
    call->error = call->made == INVALID_SOCKET ? WSAGetLastError() : 0;
    return 0;
}

/* The chain naming sharelsp.dll twice is refused at once with
 * WSAEPROVIDERFAILEDINIT (before: WSPStartup loaded itself as its lower
 * provider and deadlocked on its own lock); UDP, whose chain names it once,
 * is unaffected. */
static void sharelsp_over_itself_is_refused(void **state)
{
    (void)state;
    socket_call tcp = {SOCK_STREAM, INVALID_SOCKET, 0};
    HANDLE thread = CreateThread(NULL, 0, make_socket, &tcp, 0, NULL);
    assert_non_null(thread);
    if (WaitForSingleObject(thread, 20000) != WAIT_OBJECT_0) {
        print_error("socket() through ShareLSP over ShareLSP did not return\n");
        TerminateProcess(GetCurrentProcess(), 3);
    }
    CloseHandle(thread);
    assert_true(tcp.made == INVALID_SOCKET);
    assert_int_equal(tcp.error, WSAEPROVIDERFAILEDINIT);
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(udp != INVALID_SOCKET);
    assert_int_equal(spi_stats(udp).descriptors_open, 1);
    assert_int_equal(closesocket(udp), 0);
}

int main(void)
{
    const struct CMUnitTest stacked[] = {
        cmocka_unit_test(both_providers_carry_the_socket),
        cmocka_unit_test(traffic_flows_through_both),
        cmocka_unit_test(duplicate_and_close_still_hold),
    };
    const struct CMUnitTest twice[] = {
        cmocka_unit_test(sharelsp_over_itself_is_refused),
    };
    int failed = cmocka_run_group_tests_name("stacked", stacked, start, spi_stop);
    return failed + cmocka_run_group_tests_name("twice", twice, start_twice, spi_stop);
}

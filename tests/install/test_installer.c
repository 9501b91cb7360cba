/* sharelsp-install through wsphost (install.installer), and the released
 * sharelsp-install.exe, linked against ws2_32, through the stand-in
 * (install.installer_standin, this program's ws2_32 build run by
 * wsphost-run): install, the catalog lists ShareLSP, a
 * program's sockets go through it, remove, the program runs on the base
 * provider alone and the catalog is entry for entry what it was; installing
 * twice changes nothing; a WSC call failing midway leaves the catalog as it
 * was; verify says when the entries are not consistent. */
#define UNICODE /* WSCInstallProviderAndChains64_32 takes WSAPROTOCOL_INFOW */
#include <winsock2.h>
#include <ws2spi.h>
#include <windows.h>

#include "unit.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <sharelsp/sharelsp.h>

static WCHAR catalog_path[MAX_PATH];

static int start(void **state)
{
    (void)state;
    WCHAR dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(catalog_path, MAX_PATH, L"%lssharelsp-install-%lu.catalog", dir, (unsigned long)GetCurrentProcessId());
    DeleteFileW(catalog_path);
    SetEnvironmentVariableW(L"WSPHOST_CATALOG", catalog_path);
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) != 0;
}

static int stop(void **state)
{
    (void)state;
    WSACleanup();
    DeleteFileW(catalog_path);
    return 0;
}

/* The installer this build runs: the one linked against wsphost, or (the
 * ws2_32 build, run by wsphost-run) the released one, linked against
 * ws2_32, which the stand-in is passed on to. */
#ifndef INSTALLER_EXE
#define INSTALLER_EXE L"sharelsp-install-host.exe"
#endif

/* Runs the installer with args; returns its exit code. */
static DWORD installer(const char *args)
{
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 128];
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    wcscpy(wcsrchr(exe, L'\\') + 1, INSTALLER_EXE);
    _snwprintf(cmd, MAX_PATH + 128, L"\"%ls\" %hs", exe, args);
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    assert_int_equal(WaitForSingleObject(pi.hProcess, 30000), WAIT_OBJECT_0);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code;
}

typedef struct snapshot {
    WSAPROTOCOL_INFOW *infos;
    int count;
} snapshot;

static snapshot take(void)
{
    snapshot s = {0};
    DWORD len = 0;
    int err = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    s.infos = malloc(len);
    assert_non_null(s.infos);
    s.count = WSCEnumProtocols(NULL, s.infos, &len, &err);
    assert_true(s.count > 0);
    return s;
}

static void assert_same(snapshot a, snapshot b)
{
    assert_int_equal(a.count, b.count);
    assert_memory_equal(a.infos, b.infos, (size_t)a.count * sizeof *a.infos);
}

static int sharelsp_entries(snapshot s)
{
    GUID id = SHARELSP_PROVIDER_GUID_INIT;
    int n = 0;
    for (int i = 0; i < s.count; i++)
        n += IsEqualGUID(&s.infos[i].ProviderId, &id);
    return n;
}

/* Does a new TCP socket go through ShareLSP? */
static bool socket_through_sharelsp(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s != INVALID_SOCKET);
    sharelsp_stats st;
    int len = sizeof st;
    bool through = getsockopt(s, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, &len) == 0;
    closesocket(s);
    return through;
}

static void install_use_remove(void **state)
{
    (void)state;
    snapshot before = take();
    assert_false(socket_through_sharelsp());
    assert_int_equal(installer("install"), 0);
    snapshot installed = take();
    assert_int_equal(installed.count, before.count + 5); /* layered + 4 chains */
    assert_true(sharelsp_entries(installed) >= 1);
    assert_int_equal(installed.infos[0].ProtocolChain.ChainLen, 2); /* chains first */
    assert_int_equal(installer("verify"), 0);
    assert_int_equal(installer("list"), 0);
    assert_true(socket_through_sharelsp());

    assert_int_equal(installer("install"), 0); /* twice: nothing changes */
    snapshot again = take();
    assert_same(installed, again);

    assert_int_equal(installer("remove"), 0);
    snapshot after = take();
    assert_same(before, after);
    assert_false(socket_through_sharelsp());
    assert_int_equal(installer("verify"), 8);
    assert_int_equal(installer("remove"), 0); /* nothing to remove */
    free(before.infos);
    free(installed.infos);
    free(again.infos);
    free(after.infos);
}

static void legacy_api_and_a_subset(void **state)
{
    (void)state;
    snapshot before = take();
    assert_int_equal(installer("install --legacy-api --over tcp,udp6"), 0);
    snapshot installed = take();
    assert_int_equal(installed.count, before.count + 3);
    assert_int_equal(installer("verify"), 0);
    assert_int_equal(installer("remove"), 0);
    snapshot after = take();
    assert_same(before, after);
    free(before.infos);
    free(installed.infos);
    free(after.infos);
}

static void a_failing_step_leaves_the_catalog_as_it_was(void **state)
{
    (void)state;
    snapshot before = take();
    SetEnvironmentVariableW(L"WSPHOST_FAIL_WSC", L"WSCSetProviderInfo");
    assert_int_equal(installer("install"), 5);
    SetEnvironmentVariableW(L"WSPHOST_FAIL_WSC", L"WSCWriteProviderOrder");
    assert_int_equal(installer("install --legacy-api"), 5);
    SetEnvironmentVariableW(L"WSPHOST_FAIL_WSC", NULL);
    snapshot after = take();
    assert_same(before, after);
    free(before.infos);
    free(after.infos);
}

/* Another LSP layered over ShareLSP's TCP chain: removing ShareLSP leaves
 * that LSP directly over the base entry. */
static void remove_repairs_an_lsp_above(void **state)
{
    (void)state;
    snapshot before = take();
    assert_int_equal(installer("install --over tcp"), 0);
    snapshot installed = take();
    WSAPROTOCOL_INFOW chain = installed.infos[0];
    assert_int_equal(chain.ProtocolChain.ChainLen, 2);
    DWORD base_id = chain.ProtocolChain.ChainEntries[1];
    GUID other = {0x9a1b2c3d, 0x4e5f, 0x4a6b, {0x9c, 0x7d, 0x01, 0x23, 0x45, 0x67, 0x89, 0xef}};
    DWORD other_layered = 0;
    int err = 0;
    WCHAR path[] = L"C:\\other-lsp.dll", name[] = L"Other";
    assert_int_equal(WSCInstallProviderAndChains64_32(&other, path, path, name, 0, &chain, 1, &other_layered, &err), 0);
    assert_int_equal(installer("remove"), 0);
    snapshot after = take();
    bool repaired = false;
    for (int i = 0; i < after.count; i++) {
        const WSAPROTOCOL_INFOW *p = &after.infos[i];
        if (IsEqualGUID(&p->ProviderId, &other) && p->ProtocolChain.ChainLen >= 2) {
            assert_int_equal(p->ProtocolChain.ChainLen, 2);
            assert_int_equal(p->ProtocolChain.ChainEntries[0], other_layered);
            assert_int_equal(p->ProtocolChain.ChainEntries[1], base_id);
            repaired = true;
        }
    }
    assert_true(repaired);
    assert_int_equal(sharelsp_entries(after), 0);
    assert_int_equal(WSCDeinstallProvider(&other, &err), 0);
    snapshot last = take();
    assert_same(before, last);
    free(before.infos);
    free(installed.infos);
    free(after.infos);
    free(last.infos);
}

static void bad_usage_and_a_missing_protocol(void **state)
{
    (void)state;
    assert_int_equal(installer(""), 2);
    assert_int_equal(installer("frobnicate"), 2);
    assert_int_equal(installer("install --over sctp"), 2);
    assert_int_equal(installer("install --over tcp --all"), 2);
    assert_int_equal(installer("list extra"), 2);
    assert_int_equal(installer("--help"), 0);
    /* A catalog without a UDP/IPv6 base entry: refused, nothing changed. */
    int err = 0;
    snapshot s = take();
    DWORD udp6 = 0;
    for (int i = 0; i < s.count; i++)
        if (s.infos[i].iAddressFamily == AF_INET6 && s.infos[i].iProtocol == IPPROTO_UDP)
            udp6 = s.infos[i].dwCatalogEntryId;
    free(s.infos);
    assert_true(udp6 != 0);
    GUID base = {0x88b7cfd4, 0x81ce, 0x42de, {0xa7, 0x12, 0x30, 0x58, 0xf1, 0x79, 0x88, 0x96}};
    /* Take wspbase out and put back all but UDP/IPv6. */
    snapshot full = take();
    assert_int_equal(WSCDeinstallProvider(&base, &err), 0);
    WSAPROTOCOL_INFOW keep[8];
    int n = 0;
    for (int i = 0; i < full.count; i++)
        if (full.infos[i].dwCatalogEntryId != udp6)
            keep[n++] = full.infos[i];
    WCHAR path[MAX_PATH];
    GetModuleFileNameW(NULL, path, MAX_PATH);
    wcscpy(wcsrchr(path, L'\\') + 1, L"wspbase.dll");
    assert_int_equal(WSCInstallProvider(&base, path, keep, (DWORD)n, &err), 0);
    snapshot before = take();
    assert_int_equal(installer("install"), 4);
    snapshot after = take();
    assert_same(before, after);
    assert_int_equal(installer("install --over tcp,udp,tcp6"), 0);
    assert_int_equal(installer("remove"), 0);
    free(full.infos);
    free(before.infos);
    free(after.infos);
    DeleteFileW(catalog_path); /* the next reader makes a fresh one */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(install_use_remove),
        cmocka_unit_test(legacy_api_and_a_subset),
        cmocka_unit_test(a_failing_step_leaves_the_catalog_as_it_was),
        cmocka_unit_test(remove_repairs_an_lsp_above),
        cmocka_unit_test(bad_usage_and_a_missing_protocol),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

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
#include "catalog_files.h"

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
    catalog_files_delete(catalog_path);
    SetEnvironmentVariableW(L"WSPHOST_CATALOG", catalog_path);
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) != 0;
}

static int stop(void **state)
{
    (void)state;
    WSACleanup();
    catalog_files_delete(catalog_path);
    return 0;
}

/* The installer this build runs: the one linked against wsphost, or (the
 * ws2_32 build, run by wsphost-run) the released one, linked against
 * ws2_32, which the stand-in is passed on to. */
#ifndef INSTALLER_EXE
#define INSTALLER_EXE L"sharelsp-install-host.exe"
#endif

/* The x86 build's folder (cmake/wine-env.sh sets SHARELSP_X86_BIN): the
 * 64-bit tool installs into the 32-bit half too, and needs the 32-bit DLL
 * and tool for it. */
#ifdef _WIN64
static const WCHAR *x86_bin(void)
{
    static WCHAR dir[MAX_PATH];
    if (dir[0] == L'\0' && GetEnvironmentVariableW(L"SHARELSP_X86_BIN", dir, MAX_PATH) == 0)
        fail_msg("SHARELSP_X86_BIN is not set");
    return dir;
}
#endif

/* Runs the installer (INSTALLER_EXE) with args (and, in the 64-bit build, the
 * x86 build's DLL for install and its tool for verify, unless args give
 * their own); returns its exit code. */
static DWORD installer(const char *args)
{
    WCHAR exe[MAX_PATH], cmd[4 * MAX_PATH], extra[2 * MAX_PATH] = L"";
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    wcscpy(wcsrchr(exe, L'\\') + 1, INSTALLER_EXE);
#ifdef _WIN64
    if (strncmp(args, "install", 7) == 0 && strstr(args, "--path32") == NULL)
        _snwprintf(extra, 2 * MAX_PATH, L" --path32 \"%ls\\sharelsp.dll\"", x86_bin());
    else if (strcmp(args, "verify") == 0)
        _snwprintf(extra, 2 * MAX_PATH, L" --installer32 \"%ls\\sharelsp-install-host.exe\"", x86_bin());
#endif
    _snwprintf(cmd, 4 * MAX_PATH, L"\"%ls\" %hs%ls", exe, args, extra);
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

typedef int(WSPAPI *enumerate_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);

/* The catalog half enumerate lists (WSCEnumProtocols: this process's). */
static snapshot take_by(enumerate_fn enumerate)
{
    snapshot s = {0};
    DWORD len = 0;
    int err = 0;
    enumerate(NULL, NULL, &len, &err);
    s.infos = malloc(len);
    assert_non_null(s.infos);
    s.count = enumerate(NULL, s.infos, &len, &err);
    assert_true(s.count > 0);
    return s;
}

static snapshot take(void) { return take_by(WSCEnumProtocols); }

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

/* A layer's DLL (sharelsp_add_layer) installs under its own GUID and name,
 * carries sockets as ShareLSP does, verifies, and removes by its GUID,
 * leaving ShareLSP's own entries alone. */
#define PROBE_GUID "{5e1a7e57-0b5e-4d0e-9a11-7e57c0ffee01}"
static void a_layer_installs_under_its_own_guid_and_name(void **state)
{
    (void)state;
    snapshot before = take();
    char dir[MAX_PATH], args[4 * MAX_PATH];
    GetModuleFileNameA(NULL, dir, MAX_PATH);
    *strrchr(dir, '\\') = '\0';
#ifdef _WIN64
    char dir32[MAX_PATH];
    WideCharToMultiByte(CP_ACP, 0, x86_bin(), -1, dir32, MAX_PATH, NULL, NULL);
    snprintf(args, sizeof args, "install --dll \"%s\\probe.dll\" --path32 \"%s\\probe.dll\" --guid " PROBE_GUID
             " --name Probe", dir, dir32);
#else
    snprintf(args, sizeof args, "install --dll \"%s\\probe.dll\" --guid " PROBE_GUID " --name Probe", dir);
#endif
    assert_int_equal(installer(args), 0);
    snapshot installed = take();
    assert_int_equal(installed.count, before.count + 5);
    GUID layered = {0x5e1a7e57, 0x0b5e, 0x4d0e, {0x9a, 0x11, 0x7e, 0x57, 0xc0, 0xff, 0xee, 0x01}};
    GUID chain = layered;
    chain.Data4[7] = 0x02;
    /* The chains API gives the chains the layered entry's GUID, the legacy
     * one the chain GUID. */
    int layered_entries = 0, chains = 0;
    for (int i = 0; i < installed.count; i++) {
        const WSAPROTOCOL_INFOW *p = &installed.infos[i];
        if (!IsEqualGUID(&p->ProviderId, &layered) && !IsEqualGUID(&p->ProviderId, &chain))
            continue;
        if (p->ProtocolChain.ChainLen == LAYERED_PROTOCOL) {
            layered_entries++;
            assert_true(wcscmp(p->szProtocol, L"Probe") == 0);
        } else {
            chains++;
            assert_true(wcsncmp(p->szProtocol, L"Probe over [", 12) == 0);
        }
    }
    assert_int_equal(layered_entries, 1);
    assert_int_equal(chains, 4);
    assert_int_equal(sharelsp_entries(installed), 0);
    assert_true(socket_through_sharelsp()); /* the layer is ShareLSP underneath */
#ifdef _WIN64
    snprintf(args, sizeof args, "verify --guid " PROBE_GUID " --name Probe --installer32 \"%s\\sharelsp-install-host.exe\"",
             dir32);
#else
    snprintf(args, sizeof args, "verify --guid " PROBE_GUID " --name Probe");
#endif
    assert_int_equal(installer(args), 0);
    assert_int_equal(installer("verify"), 8); /* ShareLSP's own is not installed */
    assert_int_equal(installer("remove"), 0); /* and has nothing to remove */
    assert_int_equal(take().count, installed.count);
    assert_int_equal(installer("remove --guid " PROBE_GUID " --name Probe"), 0);
    snapshot after = take();
    assert_same(before, after);
    assert_int_equal(installer("install --guid {not-a-guid}"), 2);
    free(before.infos);
    free(installed.infos);
    free(after.infos);
}

static void legacy_api_and_a_subset(void **state)
{
    (void)state;
    snapshot before = take();
#ifdef _WIN64
    /* Two catalogs here: the legacy calls would change one. */
    assert_int_equal(installer("install --legacy-api --over tcp,udp6"), 4);
    snapshot refused = take();
    assert_same(before, refused);
    free(refused.infos);
    assert_int_equal(installer("install --over tcp,udp6"), 0);
#else
    assert_int_equal(installer("install --legacy-api --over tcp,udp6"), 0);
#endif
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
#ifdef _WIN64
    SetEnvironmentVariableW(L"WSPHOST_FAIL_WSC", L"WSCInstallProviderAndChains");
    assert_int_equal(installer("install"), 5);
#else
    SetEnvironmentVariableW(L"WSPHOST_FAIL_WSC", L"WSCWriteProviderOrder");
    assert_int_equal(installer("install --legacy-api"), 5);
#endif
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
#ifdef _WIN64
    assert_int_equal(WSCInstallProviderAndChains64_32(&other, path, path, name, 0, &chain, 1, &other_layered, &err), 0);
#else /* a 32-bit process has one catalog, its own */
    assert_int_equal(WSCInstallProviderAndChains(&other, path, name, 0, &chain, 1, &other_layered, &err), 0);
#endif
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
#ifdef _WIN64
    assert_int_equal(WSCDeinstallProvider32(&other, &err), 0);
#endif
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
    catalog_files_delete(catalog_path); /* the next reader makes a fresh one */
}

#ifdef _WIN64
static snapshot take32(void) { return take_by(WSCEnumProtocols32); }

/* The 64-bit tool installs into both catalogs, each naming the DLL of its
 * own bitness, and takes ShareLSP out of both. */
static void both_catalogs_each_with_its_dll(void **state)
{
    (void)state;
    snapshot before = take(), before32 = take32();
    assert_int_equal(installer("install"), 0);
    snapshot in = take(), in32 = take32();
    assert_int_equal(in.count, before.count + 5);
    assert_int_equal(in32.count, before32.count + 5);
    assert_int_equal(in32.infos[0].ProtocolChain.ChainLen, 2);
    assert_int_equal(sharelsp_entries(in32), sharelsp_entries(in));
    GUID id = SHARELSP_PROVIDER_GUID_INIT;
    WCHAR path[MAX_PATH], want[MAX_PATH];
    int len = MAX_PATH, err = 0;
    assert_int_equal(WSCGetProviderPath32(&id, path, &len, &err), 0);
    _snwprintf(want, MAX_PATH, L"%ls\\sharelsp.dll", x86_bin());
    assert_int_equal(_wcsicmp(path, want), 0);
    len = MAX_PATH;
    assert_int_equal(WSCGetProviderPath(&id, path, &len, &err), 0);
    GetModuleFileNameW(NULL, want, MAX_PATH);
    wcscpy(wcsrchr(want, L'\\') + 1, L"sharelsp.dll");
    assert_int_equal(_wcsicmp(path, want), 0);
    DWORD categories = 0;
    size_t size = sizeof categories;
    assert_int_equal(WSCGetProviderInfo32(&id, ProviderInfoLspCategories, (PBYTE)&categories, &size, 0, &err), 0);
    assert_int_equal(categories, LSP_INSPECTOR);
    /* The 32-bit half is checked by the 32-bit tool: without it, no "ok". */
    assert_int_equal(installer("verify --installer32 C:\\nowhere\\sharelsp-install.exe"), 8);
    assert_int_equal(installer("remove"), 0);
    snapshot after = take(), after32 = take32();
    assert_same(before, after);
    assert_same(before32, after32);
    free(before.infos);
    free(before32.infos);
    free(in.infos);
    free(in32.infos);
    free(after.infos);
    free(after32.infos);
}

/* Without a 32-bit DLL for the 32-bit catalog the tool refuses, and
 * neither catalog changes: a missing file, and a 64-bit DLL. */
static void no_32bit_dll_no_install(void **state)
{
    (void)state;
    snapshot before = take(), before32 = take32();
    assert_int_equal(installer("install --path32 C:\\nowhere\\sharelsp.dll"), 4);
    WCHAR dll64[MAX_PATH];
    GetModuleFileNameW(NULL, dll64, MAX_PATH);
    wcscpy(wcsrchr(dll64, L'\\') + 1, L"sharelsp.dll");
    char args[MAX_PATH + 32];
    snprintf(args, sizeof args, "install --path32 \"%ls\"", dll64);
    assert_int_equal(installer(args), 4);
    snapshot after = take(), after32 = take32();
    assert_same(before, after);
    assert_same(before32, after32);
    free(before.infos);
    free(before32.infos);
    free(after.infos);
    free(after32.infos);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(install_use_remove),
        cmocka_unit_test(a_layer_installs_under_its_own_guid_and_name),
        cmocka_unit_test(legacy_api_and_a_subset),
        cmocka_unit_test(a_failing_step_leaves_the_catalog_as_it_was),
        cmocka_unit_test(remove_repairs_an_lsp_above),
        cmocka_unit_test(bad_usage_and_a_missing_protocol),
#ifdef _WIN64
        cmocka_unit_test(both_catalogs_each_with_its_dll),
        cmocka_unit_test(no_32bit_dll_no_install),
#endif
    };
    return cmocka_run_group_tests(tests, start, stop);
}

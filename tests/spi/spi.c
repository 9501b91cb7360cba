/* WSCInstallProviderAndChains64_32 is declared with LPWSAPROTOCOL_INFO: the W form. */
#define UNICODE
#include "spi.h"
#include "catalog_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

DWORD spi_layered_id;

static GUID sharelsp_guid = SHARELSP_PROVIDER_GUID_INIT;

static void beside_exe(WCHAR *path, const WCHAR *name)
{
    GetModuleFileNameW(NULL, path, MAX_PATH);
    WCHAR *slash = wcsrchr(path, L'\\');
    if (slash != NULL)
        wcscpy(slash + 1, name);
}

static int install_over(const WCHAR *dll_name, WSAPROTOCOL_INFOW *under, DWORD count)
{
    WCHAR dll[MAX_PATH];
    beside_exe(dll, dll_name);
    int err = 0;
#ifdef _WIN64
    /* The 32-bit catalog names the x86 build's DLL of the same name
     * (cmake/wine-env.sh sets SHARELSP_X86_BIN), so that 32-bit processes
     * share sockets with this one through ShareLSP. */
    WCHAR dll32[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"SHARELSP_X86_BIN", dll32, MAX_PATH);
    if (n == 0 || n + 1 + wcslen(dll_name) >= MAX_PATH)
        wcscpy(dll32, dll);
    else
        _snwprintf(dll32 + n, MAX_PATH - n, L"\\%ls", dll_name);
    int r = WSCInstallProviderAndChains64_32(&sharelsp_guid, dll, dll32, L"ShareLSP", 0, under, count,
                                             &spi_layered_id, &err);
#else /* a 32-bit process has one catalog, its own */
    int r = WSCInstallProviderAndChains(&sharelsp_guid, dll, L"ShareLSP", 0, under, count, &spi_layered_id, &err);
#endif
    if (r != 0) {
        fprintf(stderr, "spi: install failed: %d\n", err);
        return 1;
    }
    return 0;
}

int spi_install_sharelsp_over(WSAPROTOCOL_INFOW *under, DWORD count)
{
    return install_over(L"sharelsp.dll", under, count);
}

static WSAPROTOCOL_INFOW *spi_catalog(int *count);

int spi_install_provider(const WCHAR *dll_name)
{
    int n = 0;
    WSAPROTOCOL_INFOW *base = spi_catalog(&n);
    /* Over TCP and UDP, as the installer layers it (src/core/planner.c):
     * raw sockets stay with wspbase alone. */
    DWORD under = 0;
    for (int i = 0; i < n; i++) {
        if (base[i].iSocketType == SOCK_STREAM || base[i].iSocketType == SOCK_DGRAM)
            base[under++] = base[i];
    }
    int r = under == 4 ? install_over(dll_name, base, under) : 1;
    free(base);
    return r;
}

int spi_install_base(GUID *provider, const WCHAR *dll, WSAPROTOCOL_INFOW *info, int *err)
{
#ifdef _WIN64
    return WSCInstallProvider64_32(provider, dll, info, 1, err);
#else
    return WSCInstallProvider(provider, dll, info, 1, err);
#endif
}

int spi_install_sharelsp(void) { return spi_install_provider(L"sharelsp.dll"); }

/* The catalog's entries; *count of them, freed by the caller (NULL: none). */
static WSAPROTOCOL_INFOW *spi_catalog(int *count)
{
    DWORD len = 0;
    int err = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    WSAPROTOCOL_INFOW *all = len != 0 ? malloc(len) : NULL;
    *count = all != NULL ? WSCEnumProtocols(NULL, all, &len, &err) : 0;
    if (*count < 0)
        *count = 0;
    return all;
}

/* The entry matching: provider's (provider != NULL), else ShareLSP's chain
 * of two over the entry lower_id. */
static WSAPROTOCOL_INFOW spi_catalog_find(const GUID *provider, DWORD lower_id)
{
    int n = 0;
    WSAPROTOCOL_INFOW *all = spi_catalog(&n), found = {0};
    for (int i = 0; i < n; i++) {
        bool hit = provider != NULL ? IsEqualGUID(&all[i].ProviderId, provider)
                                    : all[i].ProtocolChain.ChainLen == 2 &&
                                          all[i].ProtocolChain.ChainEntries[1] == lower_id;
        if (hit)
            found = all[i];
    }
    free(all);
    return found;
}

int spi_start_over_base(GUID *provider, const WCHAR *dll_name, int type, WSAPROTOCOL_INFOW *chain)
{
    spi_fresh_catalog();
    int n = 0, err = 0;
    WSAPROTOCOL_INFOW *all = spi_catalog(&n), entry = {0};
    for (int i = 0; i < n; i++) {
        if (all[i].iAddressFamily == AF_INET && all[i].iSocketType == type)
            entry = all[i];
    }
    free(all);
    WCHAR dll[MAX_PATH];
    GetModuleFileNameW(NULL, dll, MAX_PATH);
    wcscpy(wcsrchr(dll, L'\\') + 1, dll_name);
    if (entry.iSocketType != type || spi_install_base(provider, dll, &entry, &err) != 0)
        return 1;
    WSAPROTOCOL_INFOW base = spi_catalog_find(provider, 0);
    if (base.dwCatalogEntryId == 0 || spi_install_sharelsp_over(&base, 1) != 0 || !spi_find_chain_over(provider, chain))
        return 1;
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) != 0;
}

bool spi_find_chain_over(const GUID *provider, WSAPROTOCOL_INFOW *chain)
{
    WSAPROTOCOL_INFOW base = spi_catalog_find(provider, 0);
    *chain = base.dwCatalogEntryId != 0 ? spi_catalog_find(NULL, base.dwCatalogEntryId) : (WSAPROTOCOL_INFOW){0};
    return chain->dwCatalogEntryId != 0;
}

void spi_fresh_catalog(void)
{
    WCHAR catalog[MAX_PATH], dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(catalog, MAX_PATH, L"%lssharelsp-spi-%lu.catalog", dir, (unsigned long)GetCurrentProcessId());
    catalog_files_delete(catalog);
    SetEnvironmentVariableW(L"WSPHOST_CATALOG", catalog);
}

int spi_install_fresh(void)
{
    spi_fresh_catalog();
    return spi_install_sharelsp();
}

static bool spi_keep_catalog(void);

void spi_remove_catalog(void)
{
    WCHAR catalog[MAX_PATH];
    if (!spi_keep_catalog() && GetEnvironmentVariableW(L"WSPHOST_CATALOG", catalog, MAX_PATH) > 0)
        catalog_files_delete(catalog);
}

int spi_start(void **state)
{
    (void)state;
    return spi_start_provider(L"sharelsp.dll");
}

/* SHARELSP_SPI_KEEP_CATALOG=1: the catalog WSPHOST_CATALOG names is ready
 * (both halves made by a 64-bit process, for a 32-bit test of sharing
 * across bitness): used as it is, and kept. */
static bool spi_keep_catalog(void)
{
    WCHAR keep[4];
    return GetEnvironmentVariableW(L"SHARELSP_SPI_KEEP_CATALOG", keep, 4) == 1 && keep[0] == L'1';
}

int spi_start_provider(const WCHAR *dll_name)
{
    if (spi_keep_catalog()) {
        WSADATA data;
        return WSAStartup(MAKEWORD(2, 2), &data) != 0;
    }
    spi_fresh_catalog();
    if (spi_install_provider(dll_name) != 0)
        return 1;
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) != 0;
}

int spi_stop(void **state)
{
    (void)state;
    int r = WSACleanup();
    spi_remove_catalog();
    return r != 0;
}

void spi_child_exe(WCHAR *exe)
{
    DWORD n = GetEnvironmentVariableW(L"SHARELSP_SPI_CHILD", exe, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        GetModuleFileNameW(NULL, exe, MAX_PATH);
}

bool spi_child_start(void)
{
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) == 0;
}

bool spi_child_start_with_info(WSAPROTOCOL_INFOW *info)
{
    DWORD got = 0;
    return spi_child_start() && ReadFile(GetStdHandle(STD_INPUT_HANDLE), info, sizeof *info, &got, NULL) &&
           got == sizeof *info;
}

void spi_tcp_pair(int af, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    int addrlen;
    if (af == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&addr;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addrlen = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&addr;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr.s6_addr[15] = 1;
        addrlen = sizeof *in6;
    }
    SOCKET l = socket(af, SOCK_STREAM, 0);
    assert_true(l != INVALID_SOCKET);
    assert_int_equal(bind(l, (struct sockaddr *)&addr, addrlen), 0);
    assert_int_equal(listen(l, 4), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&addr, &addrlen), 0);
    *client = socket(af, SOCK_STREAM, 0);
    assert_true(*client != INVALID_SOCKET);
    assert_int_equal(connect(*client, (struct sockaddr *)&addr, addrlen), 0);
    *server = accept(l, NULL, NULL);
    assert_true(*server != INVALID_SOCKET);
    assert_int_equal(closesocket(l), 0);
}

sharelsp_stats spi_stats(SOCKET s)
{
    sharelsp_stats stats;
    int len = sizeof stats;
    memset(&stats, 0xee, sizeof stats);
    assert_int_equal(getsockopt(s, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&stats, &len), 0);
    assert_int_equal(len, sizeof stats);
    return stats;
}

void spi_set_tag(SOCKET s, const char *tag)
{
    assert_int_equal(setsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, (int)strlen(tag)), 0);
}

void spi_get_tag(SOCKET s, char *tag, int capacity)
{
    int len = capacity - 1;
    assert_int_equal(getsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, &len), 0);
    tag[len] = '\0';
}

SOCKET spi_use_info(WSAPROTOCOL_INFOW *info)
{
    return WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, WSA_FLAG_OVERLAPPED);
}

static void child_pipe_name(DWORD parent, WCHAR *name)
{
    _snwprintf(name, 128, L"\\\\.\\pipe\\sharelsp-spi-child-%lu", (unsigned long)parent);
}

void spi_child_spawn(const char *mode, unsigned long arg, PROCESS_INFORMATION *pi, HANDLE *pipe)
{
    WCHAR name[128], exe[MAX_PATH], cmd[MAX_PATH + 128];
    child_pipe_name(GetCurrentProcessId(), name);
    /* Unlimited instances: a child a failed test left behind keeps its own. */
    *pipe = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, PIPE_UNLIMITED_INSTANCES, 4096,
                             4096, 5000, NULL);
    assert_true(*pipe != INVALID_HANDLE_VALUE);
    assert_true(GetModuleFileNameW(NULL, exe, MAX_PATH) > 0);
    _snwprintf(cmd, MAX_PATH + 128, L"\"%ls\" %hs %lu %lu", exe, mode, (unsigned long)GetCurrentProcessId(), arg);
    STARTUPINFOW si = {.cb = sizeof si};
    /* No inherited handle: an inherited socket would keep a connection open. */
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, pi));
    assert_true(ConnectNamedPipe(*pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED);
}

bool spi_child_pipe(DWORD parent, HANDLE *pipe)
{
    WCHAR name[128];
    child_pipe_name(parent, name);
    if (!spi_child_start() || !WaitNamedPipeW(name, 5000))
        return false;
    *pipe = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    return *pipe != INVALID_HANDLE_VALUE;
}

SOCKET spi_child_socket(DWORD parent)
{
    HANDLE pipe;
    WSAPROTOCOL_INFOW info;
    DWORD got = 0;
    if (!spi_child_pipe(parent, &pipe) || !ReadFile(pipe, &info, sizeof info, &got, NULL) || got != sizeof info)
        return INVALID_SOCKET;
    return spi_use_info(&info);
}

DWORD spi_child_wait(PROCESS_INFORMATION *pi, HANDLE pipe)
{
    DWORD code = 99;
    assert_int_equal(WaitForSingleObject(pi->hProcess, 10000), WAIT_OBJECT_0);
    assert_true(GetExitCodeProcess(pi->hProcess, &code));
    CloseHandle(pi->hProcess);
    CloseHandle(pi->hThread);
    CloseHandle(pipe);
    return code;
}

void *spi_patch_import(HMODULE module, const char *name, void *replacement)
{
    BYTE *base = (BYTE *)module;
    IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(base + ((IMAGE_DOS_HEADER *)base)->e_lfanew);
    IMAGE_DATA_DIRECTORY dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    for (IMAGE_IMPORT_DESCRIPTOR *imp = (IMAGE_IMPORT_DESCRIPTOR *)(base + dir.VirtualAddress); imp->Name != 0;
         imp++) {
        IMAGE_THUNK_DATA *names = (IMAGE_THUNK_DATA *)(base + imp->OriginalFirstThunk);
        IMAGE_THUNK_DATA *slots = (IMAGE_THUNK_DATA *)(base + imp->FirstThunk);
        for (; names->u1.AddressOfData != 0; names++, slots++) {
            if (IMAGE_SNAP_BY_ORDINAL(names->u1.Ordinal))
                continue;
            IMAGE_IMPORT_BY_NAME *by_name = (IMAGE_IMPORT_BY_NAME *)(base + names->u1.AddressOfData);
            if (strcmp((const char *)by_name->Name, name) != 0)
                continue;
            DWORD old = 0;
            void *previous = (void *)(uintptr_t)slots->u1.Function;
            assert_true(VirtualProtect(&slots->u1.Function, sizeof slots->u1.Function, PAGE_READWRITE, &old));
            slots->u1.Function = (uintptr_t)replacement;
            VirtualProtect(&slots->u1.Function, sizeof slots->u1.Function, old, &old);
            return previous;
        }
    }
    return NULL;
}

struct sockaddr_in spi_loopback(u_short port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

u_short spi_local_port(SOCKET s)
{
    struct sockaddr_in a;
    int len = sizeof a;
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
    return ntohs(a.sin_port);
}

SOCKET spi_listener(u_short *port)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(l != INVALID_SOCKET);
    struct sockaddr_in a = spi_loopback(0);
    assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l, 4), 0);
    *port = spi_local_port(l);
    return l;
}

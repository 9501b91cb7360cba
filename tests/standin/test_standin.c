/* An unmodified Winsock program (linked against ws2_32, mswsock and, at run
 * time, wsock32) run by wsphost-run over a catalog with ShareLSP installed:
 * it binds to the stand-in, which exports what Wine's ws2_32 exports under
 * the same names and ordinals, and every way it reaches a socket goes
 * through the catalog's providers. */
#include <mswsock.h>
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include "unit.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <sharelsp/sharelsp.h>

static int start(void **state)
{
    (void)state;
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) != 0;
}

static int stop(void **state)
{
    (void)state;
    return WSACleanup() != 0;
}

/* The module of that name loaded from the system folder: Wine's builtin. */
static HMODULE builtin(const WCHAR *name)
{
    WCHAR path[MAX_PATH];
    UINT n = GetSystemDirectoryW(path, MAX_PATH);
    _snwprintf(path + n, MAX_PATH - n, L"\\%ls", name);
    return GetModuleHandleW(path);
}

static bool ends_with(const WCHAR *s, const WCHAR *tail)
{
    size_t a = wcslen(s), b = wcslen(tail);
    return a >= b && _wcsicmp(s + a - b, tail) == 0;
}

static void the_program_binds_to_the_standin(void **state)
{
    (void)state;
    HMODULE ws2_32 = GetModuleHandleW(L"ws2_32.dll");
    WCHAR path[MAX_PATH];
    assert_true(GetModuleFileNameW(ws2_32, path, MAX_PATH) > 0);
    assert_true(ends_with(path, L"\\standin\\ws2_32.dll"));
    assert_true(GetModuleFileNameW(GetModuleHandleW(L"mswsock.dll"), path, MAX_PATH) > 0);
    assert_true(ends_with(path, L"\\standin\\mswsock.dll"));
    /* Wine's builtin is loaded too, as a second module. */
    assert_non_null(builtin(L"ws2_32.dll"));
    assert_ptr_not_equal(builtin(L"ws2_32.dll"), ws2_32);
    /* A look-up by base name finds the stand-in, as the imports did. */
    assert_ptr_equal(LoadLibraryW(L"ws2_32.dll"), ws2_32);
    assert_ptr_equal(GetProcAddress(ws2_32, "socket"), (FARPROC)socket);
    assert_ptr_equal(GetProcAddress(ws2_32, MAKEINTRESOURCEA(23)), (FARPROC)socket);
}

/* Every named export of Wine's DLL is the stand-in's under the same ordinal. */
static void exports_match(HMODULE wine, HMODULE standin)
{
    const BYTE *base = (const BYTE *)wine;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + ((const IMAGE_DOS_HEADER *)base)->e_lfanew);
    const IMAGE_EXPORT_DIRECTORY *exports =
        (const IMAGE_EXPORT_DIRECTORY *)(base +
                                         nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT].VirtualAddress);
    const DWORD *names = (const DWORD *)(base + exports->AddressOfNames);
    const WORD *indexes = (const WORD *)(base + exports->AddressOfNameOrdinals);
    assert_true(exports->NumberOfNames > 0);
    for (DWORD i = 0; i < exports->NumberOfNames; i++) {
        const char *name = (const char *)(base + names[i]);
        WORD ordinal = (WORD)(exports->Base + indexes[i]);
        FARPROC by_name = GetProcAddress(standin, name);
        print_message("%s @%u\n", name, ordinal);
        assert_non_null(by_name);
        assert_ptr_equal(GetProcAddress(standin, MAKEINTRESOURCEA(ordinal)), by_name);
    }
}

static void every_export_of_wine_by_name_and_ordinal(void **state)
{
    (void)state;
    exports_match(builtin(L"ws2_32.dll"), GetModuleHandleW(L"ws2_32.dll"));
    exports_match(builtin(L"mswsock.dll"), GetModuleHandleW(L"mswsock.dll"));
}

static bool through_sharelsp(SOCKET s)
{
    sharelsp_stats st;
    int len = sizeof st;
    return getsockopt(s, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, &len) == 0;
}

static void sockets_go_through_sharelsp(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s != INVALID_SOCKET);
    assert_true(through_sharelsp(s));
    WSAPROTOCOL_INFOW info;
    int len = sizeof info;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
    assert_true(IsEqualGUID(&info.ProviderId, &(GUID)SHARELSP_PROVIDER_GUID_INIT));
    assert_int_equal(closesocket(s), 0);
}

typedef SOCKET(WSAAPI *socket_fn)(int, int, int);
typedef int(WSAAPI *closesocket_fn)(SOCKET);

static void wsock32_sockets_go_through_sharelsp(void **state)
{
    (void)state;
    HMODULE wsock32 = LoadLibraryW(L"wsock32.dll");
    assert_non_null(wsock32);
    socket_fn make = (socket_fn)(void (*)(void))GetProcAddress(wsock32, "socket");
    closesocket_fn close = (closesocket_fn)(void (*)(void))GetProcAddress(wsock32, "closesocket");
    assert_non_null(make);
    assert_non_null(close);
    SOCKET s = make(AF_INET, SOCK_STREAM, 0);
    assert_true(s != INVALID_SOCKET);
    assert_true(through_sharelsp(s));
    assert_int_equal(close(s), 0);
    FreeLibrary(wsock32);
}

/* A TCP/IPv4 entry of the catalog: ShareLSP's chain, or the base under it. */
static WSAPROTOCOL_INFOW tcp_entry(bool layered)
{
    WSAPROTOCOL_INFOW infos[64];
    DWORD size = sizeof infos;
    int n = WSAEnumProtocolsW(NULL, infos, &size);
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        if (infos[i].iAddressFamily == AF_INET && infos[i].iSocketType == SOCK_STREAM &&
            (infos[i].ProtocolChain.ChainLen > 1) == layered)
            return infos[i];
    }
    fail_msg("no TCP/IPv4 entry with ChainLen %s 1", layered ? ">" : "==");
    return infos[0];
}

/* AcceptEx and GetAcceptExSockaddrs, imported from mswsock, on a listener
 * of the entry; returns whether the accepted socket is ShareLSP's. */
static bool accept_through_mswsock(WSAPROTOCOL_INFOW entry)
{
    SOCKET listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, &entry, 0, WSA_FLAG_OVERLAPPED);
    SOCKET acceptor = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, &entry, 0, WSA_FLAG_OVERLAPPED);
    assert_true(listener != INVALID_SOCKET && acceptor != INVALID_SOCKET);
    struct sockaddr_in at = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof at;
    assert_int_equal(bind(listener, (struct sockaddr *)&at, sizeof at), 0);
    assert_int_equal(listen(listener, 1), 0);
    assert_int_equal(getsockname(listener, (struct sockaddr *)&at, &len), 0);

    char buffer[2 * (sizeof(struct sockaddr_in) + 16)];
    DWORD received = 0;
    WSAOVERLAPPED ov = {.hEvent = WSACreateEvent()};
    BOOL done = AcceptEx(listener, acceptor, buffer, 0, sizeof(struct sockaddr_in) + 16,
                         sizeof(struct sockaddr_in) + 16, &received, &ov);
    assert_true(done || WSAGetLastError() == ERROR_IO_PENDING);

    SOCKET client = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(client, (struct sockaddr *)&at, sizeof at), 0);
    struct sockaddr_in client_at;
    len = sizeof client_at;
    assert_int_equal(getsockname(client, (struct sockaddr *)&client_at, &len), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 10000), WAIT_OBJECT_0);
    DWORD flags = 0;
    assert_true(WSAGetOverlappedResult(listener, &ov, &received, FALSE, &flags));
    assert_int_equal(received, 0);

    struct sockaddr *local = NULL, *remote = NULL;
    int local_len = 0, remote_len = 0;
    GetAcceptExSockaddrs(buffer, 0, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16, &local,
                         &local_len, &remote, &remote_len);
    assert_non_null(remote);
    assert_int_equal(remote_len, sizeof(struct sockaddr_in));
    assert_int_equal(((struct sockaddr_in *)remote)->sin_port, client_at.sin_port);
    assert_int_equal(((struct sockaddr_in *)local)->sin_port, at.sin_port);

    bool sharelsp = through_sharelsp(acceptor);
    WSACloseEvent(ov.hEvent);
    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
    return sharelsp;
}

/* Wine's mswsock would keep the AcceptEx of the first socket it saw (the
 * base provider's) and hand ShareLSP's sockets to it. */
static void mswsock_asks_each_socket_s_provider(void **state)
{
    (void)state;
    assert_false(accept_through_mswsock(tcp_entry(false)));
    assert_true(accept_through_mswsock(tcp_entry(true)));
}

static void transmit_file_through_sharelsp(void **state)
{
    (void)state;
    WCHAR dir[MAX_PATH], name[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(name, MAX_PATH, L"%lsstandin-transmit-%lu.bin", dir, (unsigned long)GetCurrentProcessId());
    HANDLE file =
        CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    char data[100];
    for (int i = 0; i < (int)sizeof data; i++)
        data[i] = (char)i;
    DWORD wrote = 0;
    assert_true(WriteFile(file, data, sizeof data, &wrote, NULL));
    SetFilePointer(file, 0, NULL, FILE_BEGIN);

    SOCKET listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in at = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof at;
    assert_int_equal(bind(listener, (struct sockaddr *)&at, sizeof at), 0);
    assert_int_equal(listen(listener, 1), 0);
    assert_int_equal(getsockname(listener, (struct sockaddr *)&at, &len), 0);
    SOCKET sender = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(sender, (struct sockaddr *)&at, sizeof at), 0);
    SOCKET receiver = accept(listener, NULL, NULL);
    assert_true(receiver != INVALID_SOCKET);
    assert_true(through_sharelsp(sender));

    assert_true(TransmitFile(sender, file, 0, 0, NULL, NULL, 0));
    char got[sizeof data];
    int total = 0;
    while (total < (int)sizeof got) {
        int n = recv(receiver, got + total, (int)sizeof got - total, 0);
        assert_true(n > 0);
        total += n;
    }
    assert_memory_equal(got, data, sizeof data);
    CloseHandle(file);
    closesocket(receiver);
    closesocket(sender);
    closesocket(listener);
}

/* A child started with CreateProcess gets the stand-in too. */
static void a_child_process_gets_the_standin(void **state)
{
    (void)state;
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    _snwprintf(cmd, MAX_PATH + 16, L"\"%ls\" child", exe);
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    assert_int_equal(WaitForSingleObject(pi.hProcess, 30000), WAIT_OBJECT_0);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    assert_int_equal(code, 0);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

/* The child: 0 if its ws2_32 is the stand-in and its socket ShareLSP's. */
static int child(void)
{
    WCHAR path[MAX_PATH];
    WSADATA data;
    if (GetModuleFileNameW(GetModuleHandleW(L"ws2_32.dll"), path, MAX_PATH) == 0 ||
        !ends_with(path, L"\\standin\\ws2_32.dll") || WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return 1;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int code = s != INVALID_SOCKET && through_sharelsp(s) ? 0 : 2;
    closesocket(s);
    WSACleanup();
    return code;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return child();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_program_binds_to_the_standin),
        cmocka_unit_test(every_export_of_wine_by_name_and_ordinal),
        cmocka_unit_test(sockets_go_through_sharelsp),
        cmocka_unit_test(wsock32_sockets_go_through_sharelsp),
        cmocka_unit_test(mswsock_asks_each_socket_s_provider),
        cmocka_unit_test(transmit_file_through_sharelsp),
        cmocka_unit_test(a_child_process_gets_the_standin),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

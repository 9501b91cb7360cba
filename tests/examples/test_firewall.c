/* examples/firewall through wsphost: a denied connect fails with WSAEACCES
 * through a duplicate in another process, as do ConnectEx and sendto, while
 * the rest passes; a denied inbound connection is refused; the rules are
 * read again when the file changes, and a malformed file changes nothing
 * and is reported with its line numbers. */
#include "connection_end.h"
#include "spi.h"

#include <mswsock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static WCHAR rules_path[MAX_PATH], diag_path[MAX_PATH];
static HKEY key;

static void rules_write(const char *text)
{
    HANDLE f = CreateFileW(rules_path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(f != INVALID_HANDLE_VALUE);
    DWORD n = 0;
    assert_true(WriteFile(f, text, (DWORD)strlen(text), &n, NULL));
    CloseHandle(f);
}

static int start(void **state)
{
    (void)state;
    WCHAR dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    unsigned long pid = GetCurrentProcessId();
    _snwprintf(rules_path, MAX_PATH, L"%lsfirewall-%lu.rules", dir, pid);
    _snwprintf(diag_path, MAX_PATH, L"%lsfirewall-%lu.diag", dir, pid);
    DeleteFileW(diag_path);
    SetEnvironmentVariableW(L"SHARELSP_DIAGNOSTICS", diag_path);
    if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ShareLSP\\firewall", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                        NULL) != ERROR_SUCCESS ||
        RegSetValueExW(key, L"Rules", 0, REG_SZ, (const BYTE *)rules_path,
                       (DWORD)((wcslen(rules_path) + 1) * sizeof(WCHAR))) != ERROR_SUCCESS)
        return 1;
    rules_write("");
    return spi_start_provider(L"firewall.dll");
}

static int stop(void **state)
{
    RegDeleteValueW(key, L"Rules");
    RegCloseKey(key);
    DeleteFileW(rules_path);
    DeleteFileW(diag_path);
    return spi_stop(state);
}

static int connect_to(SOCKET s, u_short port)
{
    struct sockaddr_in a = spi_loopback(port);
    return connect(s, (struct sockaddr *)&a, sizeof a) == 0 ? 0 : WSAGetLastError();
}

/* The child: takes the info; a connect to the denied port must fail with
 * WSAEACCES, one to the allowed port must work; exit code 0 when both did. */
static int child_connect(DWORD parent, unsigned long ports)
{
    SOCKET s = spi_child_socket(parent);
    if (s == INVALID_SOCKET)
        return 20;
    int denied = connect_to(s, (u_short)(ports >> 16));
    if (denied != WSAEACCES) {
        fprintf(stderr, "child: the denied connect gave %d\n", denied);
        return 23;
    }
    int allowed = connect_to(s, (u_short)(ports & 0xffff));
    if (allowed != 0) {
        fprintf(stderr, "child: the allowed connect gave %d\n", allowed);
        return 24;
    }
    return closesocket(s) == 0 && WSACleanup() == 0 ? 0 : 25;
}

static void denied_connect_through_a_duplicate_in_another_process(void **state)
{
    (void)state;
    u_short allowed, denied;
    SOCKET la = spi_listener(&allowed), ld = spi_listener(&denied);
    char rules[64];
    snprintf(rules, sizeof rules, "deny out 127.0.0.1 %u\n", denied);
    rules_write(rules);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("connect-child", ((unsigned long)denied << 16) | allowed, &pi, &pipe);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info), 0);
    DWORD got = 0;
    assert_true(WriteFile(pipe, &info, sizeof info, &got, NULL));
    assert_int_equal(spi_child_wait(&pi, pipe), 0);
    /* The child's allowed connect is this socket's: it carries data here. */
    SOCKET a = accept(la, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    assert_int_equal(send(s, "hi", 2, 0), 2);
    char buf[4];
    assert_int_equal(recv(a, buf, sizeof buf, 0), 2);
    /* Here too, and by ConnectEx and sendto. */
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect_to(t, denied), WSAEACCES);
    struct sockaddr_in any = spi_loopback(0), to = spi_loopback(denied);
    assert_int_equal(bind(t, (struct sockaddr *)&any, sizeof any), 0);
    LPFN_CONNECTEX connect_ex = NULL;
    GUID id = WSAID_CONNECTEX;
    assert_int_equal(WSAIoctl(t, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &connect_ex, sizeof connect_ex,
                              &got, NULL, NULL), 0);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    assert_false(connect_ex(t, (struct sockaddr *)&to, sizeof to, NULL, 0, NULL, &ov));
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    SOCKET u = socket(AF_INET, SOCK_DGRAM, 0);
    assert_int_equal(sendto(u, "x", 1, 0, (struct sockaddr *)&to, sizeof to), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    struct sockaddr_in ok = spi_loopback(allowed);
    assert_int_equal(sendto(u, "x", 1, 0, (struct sockaddr *)&ok, sizeof ok), 1);
    /* Nothing reached the denied listener. */
    u_long nonblocking = 1;
    assert_int_equal(ioctlsocket(ld, FIONBIO, &nonblocking), 0);
    assert_true(accept(ld, NULL, NULL) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    closesocket(u);
    closesocket(t);
    closesocket(a);
    closesocket(s);
    closesocket(ld);
    closesocket(la);
    rules_write("");
}

static void denied_inbound_connection_is_refused(void **state)
{
    (void)state;
    u_short guarded, open;
    SOCKET lg = spi_listener(&guarded), lo = spi_listener(&open);
    char rules[64];
    snprintf(rules, sizeof rules, "deny in 127.0.0.0/8 %u\n", guarded);
    rules_write(rules);
    SOCKET c = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect_to(c, guarded), 0); /* the peer's connect completes in the base's backlog */
    connection_end end;
    assert_true(connection_end_watch(&end, c));
    assert_true(accept(lg, NULL, NULL) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEACCES);
    assert_int_equal(connection_end_result(&end, c, 5000), WSAECONNRESET); /* refused: reset */
    SOCKET d = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect_to(d, open), 0);
    SOCKET a = accept(lo, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    closesocket(a);
    closesocket(d);
    closesocket(c);
    closesocket(lo);
    closesocket(lg);
    rules_write("");
}

static bool diagnostics_say(const char *text)
{
    HANDLE f = CreateFileW(diag_path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return false;
    static char all[16384];
    DWORD got = 0;
    ReadFile(f, all, sizeof all - 1, &got, NULL);
    CloseHandle(f);
    all[got] = '\0';
    return strstr(all, text) != NULL;
}

static void rules_follow_the_file_and_a_malformed_one_changes_nothing(void **state)
{
    (void)state;
    u_short port;
    SOCKET l = spi_listener(&port);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    char rules[160];
    snprintf(rules, sizeof rules, "deny out 127.0.0.1 %u\n", port);
    rules_write(rules);
    assert_int_equal(connect_to(s, port), WSAEACCES);
    snprintf(rules, sizeof rules, "deny out 127.0.0.1 %u\nblock out any\nallow sideways any\n", port + 1);
    rules_write(rules);
    assert_int_equal(connect_to(s, port), WSAEACCES); /* the rules in force stay */
    char line[MAX_PATH + 64];
    snprintf(line, sizeof line, "firewall: %ls:2: the action is not allow or deny", rules_path);
    assert_true(diagnostics_say(line));
    snprintf(line, sizeof line, "firewall: %ls:3: the direction is not out or in", rules_path);
    assert_true(diagnostics_say(line));
    rules_write("# nothing denied\n");
    assert_int_equal(connect_to(s, port), 0);
    SOCKET a = accept(l, NULL, NULL);
    assert_true(a != INVALID_SOCKET);
    closesocket(a);
    closesocket(s);
    closesocket(l);
    rules_write("");
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "connect-child") == 0)
        return child_connect((DWORD)strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(denied_connect_through_a_duplicate_in_another_process),
        cmocka_unit_test(denied_inbound_connection_is_refused),
        cmocka_unit_test(rules_follow_the_file_and_a_malformed_one_changes_nothing),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

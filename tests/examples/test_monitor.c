/* examples/monitor through wsphost: a socket shared by two processes gives
 * one line, at its last close anywhere, with both processes, its addresses
 * and the bytes and calls of both summed. */
#include "spi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static WCHAR log_path[MAX_PATH];
static HKEY key;

static int start(void **state)
{
    (void)state;
    WCHAR dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(log_path, MAX_PATH, L"%lsmonitor-%lu.log", dir, (unsigned long)GetCurrentProcessId());
    DeleteFileW(log_path);
    if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ShareLSP\\monitor", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                        NULL) != ERROR_SUCCESS ||
        RegSetValueExW(key, L"Log", 0, REG_SZ, (const BYTE *)log_path,
                       (DWORD)((wcslen(log_path) + 1) * sizeof(WCHAR))) != ERROR_SUCCESS)
        return 1;
    return spi_start_provider(L"monitor.dll");
}

static int stop(void **state)
{
    RegDeleteValueW(key, L"Log");
    RegCloseKey(key);
    DeleteFileW(log_path);
    return spi_stop(state);
}

static int child_send(DWORD parent)
{
    SOCKET s = spi_child_socket(parent);
    if (s == INVALID_SOCKET)
        return 20;
    if (send(s, "four", 4, 0) != 4 || send(s, "56", 2, 0) != 2 || closesocket(s) != 0)
        return 23;
    return WSACleanup() == 0 ? 0 : 24;
}

/* The log's lines holding text; the last such one in *line. */
static int lines_with(const char *text, char *line, size_t capacity)
{
    HANDLE f = CreateFileW(log_path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return 0;
    static char all[16384];
    DWORD got = 0;
    ReadFile(f, all, sizeof all - 1, &got, NULL);
    CloseHandle(f);
    all[got] = '\0';
    int n = 0;
    for (char *l = strtok(all, "\r\n"); l != NULL; l = strtok(NULL, "\r\n")) {
        if (strstr(l, text) != NULL) {
            snprintf(line, capacity, "%s", l);
            n++;
        }
    }
    return n;
}

static void a_socket_shared_by_two_processes_gives_one_line(void **state)
{
    (void)state;
    SOCKET c, a;
    spi_tcp_pair(AF_INET, &c, &a);
    assert_int_equal(send(c, "abc", 3, 0), 3);
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("send-child", 0, &pi, &pipe);
    DWORD child = pi.dwProcessId;
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(c, child, &info), 0);
    DWORD got = 0;
    assert_true(WriteFile(pipe, &info, sizeof info, &got, NULL));
    assert_int_equal(spi_child_wait(&pi, pipe), 0);
    char pids[64], line[512];
    snprintf(pids, sizeof pids, " pids=%lu,%lu ", (unsigned long)GetCurrentProcessId(), (unsigned long)child);
    assert_int_equal(lines_with(pids, line, sizeof line), 0); /* the parent still has it */
    char buf[16];
    assert_int_equal(recv(a, buf, sizeof buf, MSG_WAITALL), 9);
    struct sockaddr_in local, peer;
    int length = sizeof local;
    assert_int_equal(getsockname(c, (struct sockaddr *)&local, &length), 0);
    length = sizeof peer;
    assert_int_equal(getpeername(c, (struct sockaddr *)&peer, &length), 0);
    assert_int_equal(closesocket(c), 0);
    assert_int_equal(lines_with(pids, line, sizeof line), 1);
    char expected[256];
    snprintf(expected, sizeof expected,
             "%slocal=127.0.0.1:%u peer=127.0.0.1:%u bytes_sent=9 calls_sent=3 bytes_received=0 calls_received=0 "
             "duration_ms=",
             pids, ntohs(local.sin_port), ntohs(peer.sin_port));
    assert_non_null(strstr(line, expected));
    /* The accepted socket, of this process alone: its own line. */
    assert_int_equal(closesocket(a), 0);
    snprintf(pids, sizeof pids, " pids=%lu local=", (unsigned long)GetCurrentProcessId());
    assert_true(lines_with(pids, line, sizeof line) >= 1);
    assert_non_null(strstr(line, " bytes_sent=0 calls_sent=0 bytes_received=9 calls_received="));
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "send-child") == 0)
        return child_send((DWORD)strtoul(argv[2], NULL, 10));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_socket_shared_by_two_processes_gives_one_line),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

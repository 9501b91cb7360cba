/* Duplicated sockets: an option set through one descriptor is seen through
 * the other; closing one leaves the socket usable; duplication into this
 * process and into a child process, which gets the WSAPROTOCOL_INFOW over a
 * named pipe and inherits no handle (sockets are inheritable, and an
 * inherited copy would keep the socket alive behind the test's back). */
#include "conformance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static SOCKET duplicate_here(SOCKET s)
{
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
    SOCKET d = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    assert_true(d != INVALID_SOCKET);
    assert_true(d != s);
    return d;
}

static void option_set_through_one_is_seen_through_the_other(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    SOCKET d = duplicate_here(s);
    struct linger set = {.l_onoff = 1, .l_linger = 7}, got;
    int len = sizeof got;
    assert_int_equal(setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&set, sizeof set), 0);
    assert_int_equal(getsockopt(d, SOL_SOCKET, SO_LINGER, (char *)&got, &len), 0);
    assert_int_equal(len, sizeof got);
    assert_int_equal(got.l_onoff, 1);
    assert_int_equal(got.l_linger, 7);
    int size = 32768, through_s = 0, through_d = 0;
    len = sizeof through_s;
    assert_int_equal(setsockopt(d, SOL_SOCKET, SO_RCVBUF, (const char *)&size, sizeof size), 0);
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&through_s, &len), 0);
    len = sizeof through_d;
    assert_int_equal(getsockopt(d, SOL_SOCKET, SO_RCVBUF, (char *)&through_d, &len), 0);
    assert_int_equal(through_s, through_d);
    closesocket(d);
    closesocket(s);
    closesocket(c);
}

static void closing_one_descriptor_leaves_the_socket(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET6, &c, &s);
    SOCKET d = duplicate_here(s);
    assert_int_equal(closesocket(s), 0);
    conf_send_all(d, "still", 5);
    char buf[8];
    conf_recv_exact(c, buf, 5);
    assert_memory_equal(buf, "still", 5);
    conf_send_all(c, "back", 4);
    conf_recv_exact(d, buf, 4);
    assert_memory_equal(buf, "back", 4);
    /* The last descriptor's close ends the connection. */
    assert_int_equal(closesocket(d), 0);
    assert_int_equal(recv(c, buf, sizeof buf, 0), 0);
    closesocket(c);
}

/* An info into this process holds the socket until it is used: the original
 * may be closed first (Winsock duplicates the handle for the info). */
static void info_for_this_process_outlives_the_original(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
    assert_int_equal(closesocket(s), 0);
    /* The peer sees no end: the pending info keeps the connection. */
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(c, &readable);
    struct timeval moment = {0, 200 * 1000};
    assert_int_equal(select(0, &readable, NULL, NULL, &moment), 0);
    SOCKET d = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    if (d == INVALID_SOCKET)
        fail_msg("WSASocketW from the info after closesocket: %d", WSAGetLastError());
    conf_send_all(d, "kept", 4);
    char buf[8];
    conf_recv_exact(c, buf, 4);
    assert_memory_equal(buf, "kept", 4);
    assert_int_equal(closesocket(d), 0);
    assert_int_equal(recv(c, buf, sizeof buf, 0), 0);
    closesocket(c);
}

static void ansi_forms_duplicate_too(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    WSAPROTOCOL_INFOA info;
    assert_int_equal(WSADuplicateSocketA(s, GetCurrentProcessId(), &info), 0);
    SOCKET d = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    assert_true(d != INVALID_SOCKET);
    assert_int_equal(closesocket(s), 0);
    conf_send_all(d, "ansi", 4);
    char buf[4];
    conf_recv_exact(c, buf, 4);
    assert_memory_equal(buf, "ansi", 4);
    assert_int_equal(WSADuplicateSocketA(d, GetCurrentProcessId(), NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    closesocket(d);
    closesocket(c);
}

/* The socket first, then the target process, then the info. */
static void duplicate_checks_its_arguments_in_order(void **state)
{
    (void)state;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_true(s != INVALID_SOCKET);
    WSAPROTOCOL_INFOA a;
    WSAPROTOCOL_INFOW w;
    SetLastError(0xdeadbeef);
    assert_int_equal(WSADuplicateSocketA(0, 0, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal(WSADuplicateSocketW(0, 0, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAENOTSOCK);
    assert_int_equal(WSADuplicateSocketA(s, 0, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(WSADuplicateSocketW(s, 0, NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(WSADuplicateSocketA(s, ~0u, &a), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(WSADuplicateSocketW(s, ~0u, &w), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), NULL), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEFAULT);
    /* Nothing was duplicated: the one close ends the socket. */
    assert_int_equal(closesocket(s), 0);
}

static void pipe_name(DWORD pid, WCHAR *name, size_t capacity)
{
    _snwprintf(name, capacity, L"\\\\.\\pipe\\sharelsp-conformance-%lu", (unsigned long)pid);
    name[capacity - 1] = L'\0';
}

static void duplicate_into_a_child_process(void **state)
{
    (void)state;
    SOCKET c, s;
    conf_tcp_pair(AF_INET, &c, &s);
    WCHAR name[128];
    pipe_name(GetCurrentProcessId(), name, 128);
    HANDLE pipe = CreateNamedPipeW(name, PIPE_ACCESS_OUTBOUND, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 4096, 4096, 5000, NULL);
    assert_true(pipe != INVALID_HANDLE_VALUE);

    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 64];
    assert_true(GetModuleFileNameW(NULL, exe, MAX_PATH) > 0);
    _snwprintf(cmd, MAX_PATH + 64, L"\"%ls\" child %lu", exe, (unsigned long)GetCurrentProcessId());
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, FALSE /* no inherited handles */, 0, NULL, NULL, &si, &pi));
    assert_true(ConnectNamedPipe(pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED);

    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info), 0);
    DWORD wrote = 0;
    assert_true(WriteFile(pipe, &info, sizeof info, &wrote, NULL));
    assert_int_equal(wrote, sizeof info);

    char buf[32];
    conf_recv_exact(c, buf, 10);
    assert_memory_equal(buf, "from child", 10);
    assert_int_equal(WaitForSingleObject(pi.hProcess, 10000), WAIT_OBJECT_0);
    DWORD code = 99;
    assert_true(GetExitCodeProcess(pi.hProcess, &code));
    assert_int_equal(code, 0);
    /* The child closed its descriptor; ours still works. */
    conf_send_all(s, "parent", 6);
    conf_recv_exact(c, buf, 6);
    assert_memory_equal(buf, "parent", 6);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(pipe);
    closesocket(s);
    closesocket(c);
}

/* The child: takes the info from the parent's pipe, sends on the socket. */
static int child_main(DWORD parent)
{
    WSADATA data;
    WCHAR name[128];
    WSAPROTOCOL_INFOW info;
    DWORD got = 0;
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return 2;
    pipe_name(parent, name, 128);
    if (!WaitNamedPipeW(name, 5000))
        return 3;
    HANDLE pipe = CreateFileW(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (pipe == INVALID_HANDLE_VALUE || !ReadFile(pipe, &info, sizeof info, &got, NULL) || got != sizeof info)
        return 4;
    CloseHandle(pipe);
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET) {
        fprintf(stderr, "child: WSASocketW failed: %d\n", WSAGetLastError());
        return 5;
    }
    if (send(s, "from child", 10, 0) != 10)
        return 6;
    if (closesocket(s) != 0)
        return 7;
    return WSACleanup() == 0 ? 0 : 8;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0)
        return child_main((DWORD)strtoul(argv[2], NULL, 10));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(option_set_through_one_is_seen_through_the_other),
        cmocka_unit_test(closing_one_descriptor_leaves_the_socket),
        cmocka_unit_test(info_for_this_process_outlives_the_original),
        cmocka_unit_test(ansi_forms_duplicate_too),
        cmocka_unit_test(duplicate_checks_its_arguments_in_order),
        cmocka_unit_test(duplicate_into_a_child_process),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

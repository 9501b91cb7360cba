/* ShareLSP across processes (R1, R2, R4, R7): a child started with no
 * inherited handles gets duplicate infos over a named pipe. The tag and
 * counters are one across both processes, the child's descriptors count,
 * a second duplicate into the child joins the object already there, infos
 * work once and only in the process they were made for, and the socket
 * lives until the last descriptor anywhere is closed. */
#include "spi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void pipe_name(DWORD pid, WCHAR *name)
{
    _snwprintf(name, 128, L"\\\\.\\pipe\\sharelsp-spi-%lu", (unsigned long)pid);
}

/* Child exit codes say which check failed. */
enum {
    CHILD_OK = 0, CHILD_NO_WINSOCK = 20, CHILD_NO_PIPE, CHILD_NO_INFO, CHILD_SOCKET, CHILD_TAG, CHILD_COUNT,
    CHILD_SEND, CHILD_REUSE, CHILD_JOIN, CHILD_CLOSE
};

/* In a child: Winsock started and the parent's pipe open, or an exit code. */
static int child_connect(DWORD parent, HANDLE *pipe)
{
    WCHAR name[128];
    if (!spi_child_start())
        return CHILD_NO_WINSOCK;
    pipe_name(parent, name);
    if (!WaitNamedPipeW(name, 5000))
        return CHILD_NO_PIPE;
    *pipe = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    return *pipe == INVALID_HANDLE_VALUE ? CHILD_NO_PIPE : CHILD_OK;
}

static int child_main(DWORD parent)
{
    HANDLE pipe = INVALID_HANDLE_VALUE;
    int code = child_connect(parent, &pipe);
    if (code != CHILD_OK)
        return code;
    WSAPROTOCOL_INFOW info[2];
    DWORD got = 0;
    if (!ReadFile(pipe, info, sizeof info, &got, NULL) || got != sizeof info)
        return CHILD_NO_INFO;
    CloseHandle(pipe);
    WSAPROTOCOL_INFOW copy = info[0];
    SOCKET s = spi_use_info(&info[0]);
    if (s == INVALID_SOCKET) {
        fprintf(stderr, "child: WSASocketW: %d\n", WSAGetLastError());
        return CHILD_SOCKET;
    }
    char tag[SHARELSP_TAG_MAX + 1];
    int len = SHARELSP_TAG_MAX;
    if (getsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, &len) != 0 || len != 10 || memcmp(tag, "parent tag", 10))
        return CHILD_TAG;
    sharelsp_stats st;
    len = sizeof st;
    if (getsockopt(s, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, &len) != 0 || st.descriptors_open != 2)
        return CHILD_COUNT;
    if (setsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, "child tag", 9) != 0 || send(s, "from child", 10, 0) != 10)
        return CHILD_SEND;
    if (spi_use_info(&copy) != INVALID_SOCKET || WSAGetLastError() != WSAEINVAL)
        return CHILD_REUSE; /* one use only */
    /* A second duplicate of the same socket joins the object here. */
    SOCKET t = spi_use_info(&info[1]);
    len = sizeof st;
    if (t == INVALID_SOCKET || getsockopt(t, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, &len) != 0 ||
        st.descriptors_open != 3 || st.bytes_sent != 10)
        return CHILD_JOIN;
    if (closesocket(s) != 0 || send(t, "!", 1, 0) != 1 || closesocket(t) != 0)
        return CHILD_CLOSE;
    return WSACleanup() == 0 ? CHILD_OK : CHILD_CLOSE;
}

/* The child of the notification test: takes the info, registers FD_WRITE
 * through its duplicate, tells the parent, waits to be told to finish. */
static int child_notify(DWORD parent)
{
    HANDLE pipe = INVALID_HANDLE_VALUE;
    int code = child_connect(parent, &pipe);
    if (code != CHILD_OK)
        return code;
    WSAPROTOCOL_INFOW info;
    DWORD got = 0;
    if (!ReadFile(pipe, &info, sizeof info, &got, NULL) || got != sizeof info)
        return CHILD_NO_INFO;
    SOCKET s = spi_use_info(&info);
    if (s == INVALID_SOCKET)
        return CHILD_SOCKET;
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    if (WSAEventSelect(s, ev, FD_WRITE) != 0 || WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE) != WSA_WAIT_EVENT_0 ||
        WSAEnumNetworkEvents(s, ev, &ne) != 0 || ne.lNetworkEvents != FD_WRITE)
        return CHILD_COUNT;
    char byte = 'r';
    DWORD n = 0;
    if (!WriteFile(pipe, &byte, 1, &n, NULL) || !ReadFile(pipe, &byte, 1, &n, NULL))
        return CHILD_SEND;
    WSACloseEvent(ev);
    closesocket(s);
    CloseHandle(pipe);
    return WSACleanup() == 0 ? CHILD_OK : CHILD_CLOSE;
}

static void socket_shared_with_a_child(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    spi_set_tag(s, "parent tag");
    WCHAR name[128];
    pipe_name(GetCurrentProcessId(), name);
    HANDLE pipe = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 4096, 4096, 5000, NULL);
    assert_true(pipe != INVALID_HANDLE_VALUE);
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 64];
    spi_child_exe(exe);
    _snwprintf(cmd, MAX_PATH + 64, L"\"%ls\" child %lu", exe, (unsigned long)GetCurrentProcessId());
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    assert_true(ConnectNamedPipe(pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED);

    WSAPROTOCOL_INFOW info[2];
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info[0]), 0);
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info[1]), 0);
    /* Meant for the child: refused here, and not used up by the refusal. */
    WSAPROTOCOL_INFOW mine = info[0];
    assert_true(spi_use_info(&mine) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
    DWORD wrote = 0;
    assert_true(WriteFile(pipe, info, sizeof info, &wrote, NULL));

    char buf[16];
    int got = 0;
    while (got < 11) {
        int n = recv(c, buf + got, sizeof buf - got, 0);
        assert_true(n > 0);
        got += n;
    }
    assert_memory_equal(buf, "from child!", 11);
    assert_int_equal(WaitForSingleObject(pi.hProcess, 10000), WAIT_OBJECT_0);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    assert_int_equal(code, CHILD_OK);

    /* What the child did is seen here: one tag, one set of counters. */
    char tag[SHARELSP_TAG_MAX + 1];
    spi_get_tag(s, tag, sizeof tag);
    assert_string_equal(tag, "child tag");
    sharelsp_stats st = spi_stats(s);
    assert_int_equal(st.bytes_sent, 11);
    assert_int_equal(st.calls_sent, 2);
    assert_int_equal(st.descriptors_open, 1); /* the child's two are closed */
    /* Ours still works; our close is the last one anywhere. */
    assert_int_equal(send(s, "bye", 3, 0), 3);
    assert_int_equal(recv(c, buf, sizeof buf, 0), 3);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(recv(c, buf, sizeof buf, 0), 0);
    closesocket(c);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(pipe);
}

/* Rule R6: process A registers FD_READ; process B registers FD_WRITE
 * through its duplicate; B gets FD_WRITE and A gets nothing any more. */
static void registration_in_b_cancels_a(void **state)
{
    (void)state;
    enum { MSG_READ = WM_USER + 21 };
    HWND w = CreateWindowExW(0, L"STATIC", L"r6", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    assert_int_equal(WSAAsyncSelect(s, w, MSG_READ, FD_READ), 0);
    /* Control: A's registration works until B's replaces it. */
    assert_int_equal(send(c, "ctl", 3, 0), 3);
    MSG m;
    DWORD begin = GetTickCount();
    bool heard = false;
    while (!heard && GetTickCount() - begin < 5000) {
        heard = PeekMessageW(&m, w, MSG_READ, MSG_READ, PM_REMOVE);
        if (!heard)
            Sleep(20);
    }
    assert_true(heard);
    assert_true(m.wParam == (WPARAM)s);
    char buf[8];
    assert_int_equal(recv(s, buf, sizeof buf, 0), 3);
    Sleep(100);
    while (PeekMessageW(&m, w, MSG_READ, MSG_READ, PM_REMOVE))
        ;
    WCHAR name[128];
    pipe_name(GetCurrentProcessId(), name);
    HANDLE pipe = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 4096, 4096, 5000, NULL);
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 64];
    spi_child_exe(exe);
    _snwprintf(cmd, MAX_PATH + 64, L"\"%ls\" notify %lu", exe, (unsigned long)GetCurrentProcessId());
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    assert_true(ConnectNamedPipe(pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info), 0);
    DWORD n = 0;
    assert_true(WriteFile(pipe, &info, sizeof info, &n, NULL));
    char byte = 0;
    assert_true(ReadFile(pipe, &byte, 1, &n, NULL)); /* B has registered and got FD_WRITE */
    assert_int_equal(byte, 'r');
    /* Data for A's FD_READ: A hears nothing while B's registration stands. */
    assert_int_equal(send(c, "data", 4, 0), 4);
    begin = GetTickCount();
    while (GetTickCount() - begin < 500) {
        assert_false(PeekMessageW(&m, w, MSG_READ, MSG_READ, PM_REMOVE));
        Sleep(20);
    }
    assert_true(WriteFile(pipe, &byte, 1, &n, NULL));
    assert_int_equal(WaitForSingleObject(pi.hProcess, 10000), WAIT_OBJECT_0);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    assert_int_equal(code, CHILD_OK);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(pipe);
    closesocket(s);
    closesocket(c);
    DestroyWindow(w);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0)
        return child_main((DWORD)strtoul(argv[2], NULL, 10));
    if (argc == 3 && strcmp(argv[1], "notify") == 0)
        return child_notify((DWORD)strtoul(argv[2], NULL, 10));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(socket_shared_with_a_child),
        cmocka_unit_test(registration_in_b_cancels_a),
    };
    return cmocka_run_group_tests(tests, spi_start, spi_stop);
}

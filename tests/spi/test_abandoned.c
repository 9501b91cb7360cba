/* A process stopped, then killed, in the middle of a change of a socket's
 * shared state must stop nobody else. The child shares a socket with this
 * process and changes the shared state through its duplicate;
 * sharelsp_hooks.dll (the provider with the core's test hooks) stops it in
 * the middle of the change, at one of the points block.h names: a
 * registration or tag record filled but not published, bytes counted but
 * not the call, the descriptor count lowered but the socket not closed, a
 * duplication into this process half made. While it is stopped, and again
 * after it is killed, this process uses the socket: the tag, notifications,
 * registering, closing, sending and receiving, duplicating. Each use runs
 * on a worker thread with a time limit, so a wait on the dead writer is a
 * failure, not a hung test. */
#include "spi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socket_drain.h"

enum { MSG_MINE = WM_USER + 31, CHILD_OK = 0, CHILD_FAILED = 30, LIMIT_MS = 10000 };

static HWND window;
static HANDLE child; /* the stopped child, while it lives */

static int start(void **state)
{
    (void)state;
    if (spi_start_provider(L"sharelsp_hooks.dll") != 0)
        return 1;
    window = CreateWindowExW(0, L"STATIC", L"abandoned", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    return window == NULL;
}

static int stop(void **state)
{
    if (child != NULL)
        TerminateProcess(child, 9);
    DestroyWindow(window);
    return spi_stop(state);
}

/* The child: takes the info from stdin, arms the stop point named by its
 * argument, then makes the change that reaches it. It never returns from
 * that call. */
static int child_main(const char *point)
{
    WSAPROTOCOL_INFOW info;
    if (!spi_child_start_with_info(&info))
        return CHILD_FAILED;
    SOCKET s = spi_use_info(&info);
    HWND w = CreateWindowExW(0, L"STATIC", L"child", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    if (s == INVALID_SOCKET || w == NULL)
        return CHILD_FAILED;
    char armed[64];
    snprintf(armed, sizeof armed, "SHARELSP_TEST_STOP_IN_UPDATE=%s", point);
    _putenv(armed);
    if (strcmp(point, "publish") == 0) {
        WSAAsyncSelect(s, w, WM_USER, FD_READ | FD_WRITE);
    } else if (strcmp(point, "count") == 0) {
        send(s, "c", 1, 0);
    } else if (strcmp(point, "close") == 0) {
        closesocket(s);
    } else if (strcmp(point, "duplicate") == 0) {
        WSAPROTOCOL_INFOW back;
        WSADuplicateSocketW(s, (DWORD)strtoul(getenv("SPI_PARENT_PID"), NULL, 10), &back);
    }
    return CHILD_FAILED;
}

/* Whether this thread's window hears FD_READ for s within timeout_ms. */
static bool heard_read(SOCKET s, DWORD timeout_ms)
{
    DWORD begin = GetTickCount();
    MSG m;
    while (GetTickCount() - begin < timeout_ms) {
        while (PeekMessageW(&m, window, MSG_MINE, MSG_MINE, PM_REMOVE))
            if (m.wParam == (WPARAM)s && WSAGETSELECTEVENT(m.lParam) == FD_READ)
                return true;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 20, QS_ALLINPUT);
    }
    return false;
}

typedef struct survivor {
    SOCKET s, spare;  /* spare: another descriptor of s, closed here */
    const char *tag;  /* the tag expected */
    const char *step; /* the step that failed, or NULL */
} survivor;

/* What could wait for the stopped process, on a thread of its own: read and
 * write the tag, close a descriptor. */
static DWORD WINAPI survive(LPVOID arg)
{
    survivor *w = arg;
    char tag[SHARELSP_TAG_MAX + 1];
    int len = SHARELSP_TAG_MAX;
    if (getsockopt(w->s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, &len) != 0)
        w->step = "get tag";
    else if (tag[len] = '\0', strcmp(tag, w->tag) != 0)
        w->step = "tag value";
    else if (setsockopt(w->s, SOL_SHARELSP, SHARELSP_SO_TAG, "survivor", 8) != 0)
        w->step = "set tag";
    else if (closesocket(w->spare) != 0)
        w->step = "close";
    return 0;
}

/* The survivor's steps, then a notification of its registration, heard on
 * this thread (the hidden window forwards it). */
static void survive_and_hear(SOCKET peer, survivor *w)
{
    HANDLE t = CreateThread(NULL, 0, survive, w, 0, NULL);
    assert_non_null(t);
    if (WaitForSingleObject(t, LIMIT_MS) != WAIT_OBJECT_0) {
        /* Nothing can clean up behind a thread stuck on the block: report and
         * end the process, and the child with it. */
        fprintf(stderr, "the survivor did not finish in %d ms: it waits for the stopped process\n", LIMIT_MS);
        if (child != NULL)
            TerminateProcess(child, 9);
        ExitProcess(1);
    }
    CloseHandle(t);
    if (w->step != NULL)
        fail_msg("the survivor failed at: %s", w->step);
    assert_int_equal(send(peer, "n", 1, 0), 1);
    if (!heard_read(w->s, 5000))
        fail_msg("no FD_READ forwarded within 5000 ms");
    char buf[8];
    assert_int_equal(recv(w->s, buf, sizeof buf, 0), 1);
}

static SOCKET duplicate_here(SOCKET s)
{
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, GetCurrentProcessId(), &info), 0);
    SOCKET d = spi_use_info(&info);
    assert_true(d != INVALID_SOCKET);
    return d;
}

/* The data the stopped child sent before its stop ("count") reaches the
 * peer: taken so that the survivor's checks start from nothing pending. */
static void stopped_then_killed_at(const char *point)
{
    SOCKET peer, s;
    spi_tcp_pair(AF_INET, &peer, &s);
    spi_set_tag(s, "before");
    assert_int_equal(WSAAsyncSelect(s, window, MSG_MINE, FD_READ), 0);

    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE in_read, in_write, err_read, err_write;
    assert_true(CreatePipe(&in_read, &in_write, &inherit, 0));
    assert_true(CreatePipe(&err_read, &err_write, &inherit, 0));
    SetHandleInformation(in_write, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(err_read, HANDLE_FLAG_INHERIT, 0);
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 32], pid[16];
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    _snwprintf(cmd, MAX_PATH + 32, L"\"%ls\" child %hs", exe, point);
    _snwprintf(pid, 16, L"%lu", (unsigned long)GetCurrentProcessId());
    SetEnvironmentVariableW(L"SPI_PARENT_PID", pid);
    STARTUPINFOW si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES};
    si.hStdInput = in_read;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = err_write;
    PROCESS_INFORMATION pi;
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi));
    CloseHandle(in_read);
    CloseHandle(err_write);
    child = pi.hProcess;

    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info), 0);
    DWORD n = 0;
    assert_true(WriteFile(in_write, &info, sizeof info, &n, NULL));
    char said[64] = {0};
    assert_true(ReadFile(err_read, said, sizeof said - 1, &n, NULL));
    assert_non_null(strstr(said, "stopped in update"));
    if (strcmp(point, "count") == 0)
        test_drain_received(peer, 50);

    /* The child is stopped inside the update. */
    survivor w = {s, duplicate_here(s), "before", NULL};
    survive_and_hear(peer, &w);

    assert_true(TerminateProcess(pi.hProcess, 9));
    assert_int_equal(WaitForSingleObject(pi.hProcess, LIMIT_MS), WAIT_OBJECT_0);
    child = NULL;
    /* Killed in the update: registering works again and is heard. */
    assert_int_equal(WSAAsyncSelect(s, window, MSG_MINE, FD_READ), 0);
    survivor after = {s, duplicate_here(s), "survivor", NULL};
    survive_and_hear(peer, &after);
    WSAEVENT ev = WSACreateEvent();
    assert_int_equal(WSAEventSelect(s, ev, FD_READ), 0);
    assert_int_equal(send(peer, "e", 1, 0), 1);
    assert_int_equal(WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    WSACloseEvent(ev);
    char got = 0;
    assert_int_equal(recv(s, &got, 1, 0), 1);
    assert_int_equal(got, 'e');
    /* Counting, duplicating and closing still work after the kill. */
    sharelsp_stats counted = spi_stats(s);
    assert_int_equal(send(s, "s", 1, 0), 1);
    assert_int_equal(recv(peer, &got, 1, 0), 1);
    sharelsp_stats now = spi_stats(s);
    assert_int_equal(now.calls_sent, counted.calls_sent + 1);
    assert_int_equal(now.bytes_sent, counted.bytes_sent + 1);
    assert_int_equal(closesocket(duplicate_here(s)), 0);
    assert_int_equal(closesocket(s), 0);
    char buf[8];
    if (strcmp(point, "duplicate") != 0) {
        assert_int_equal(recv(peer, buf, sizeof buf, 0), 0); /* the last descriptor anywhere */
    } else {
        /* Killed after the lower provider put its duplicate of the
         * connection into this process, before it could say so: that
         * handle is this process's, and nobody here knows it, so the
         * connection stays open until this process ends (docs/semantics.md).
         * The peer sees no end. */
        u_long on = 1;
        assert_int_equal(ioctlsocket(peer, FIONBIO, &on), 0);
        Sleep(100);
        assert_int_equal(recv(peer, buf, sizeof buf, 0), SOCKET_ERROR);
        assert_int_equal(WSAGetLastError(), WSAEWOULDBLOCK);
    }
    closesocket(peer);
    CloseHandle(in_write);
    CloseHandle(err_read);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

static void stopped_publishing_a_record(void **state)
{
    (void)state;
    stopped_then_killed_at("publish");
}

static void stopped_counting(void **state)
{
    (void)state;
    stopped_then_killed_at("count");
}

static void stopped_closing(void **state)
{
    (void)state;
    stopped_then_killed_at("close");
}

static void stopped_duplicating_into_this_process(void **state)
{
    (void)state;
    stopped_then_killed_at("duplicate");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0)
        return child_main(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stopped_publishing_a_record),
        cmocka_unit_test(stopped_counting),
        cmocka_unit_test(stopped_closing),
        cmocka_unit_test(stopped_duplicating_into_this_process),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

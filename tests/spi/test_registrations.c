/* Registrations from two processes at once (rules R5, R6): this process and
 * a child register through their own descriptors of one socket in the same
 * instant, round after round, one async and one event (the roles swap every
 * round). Whichever registration takes effect last must be the one heard,
 * and only it: never both processes, never neither. An in-process lock
 * would not order them; the socket's registration lock does. */
#include "spi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MSG_MINE = WM_USER + 41, ROUNDS = 100, CHILD_OK = 0, CHILD_FAILED = 40 };

/* The events both processes share, inherited by the child. */
typedef struct round_events {
    HANDLE go;    /* parent -> child: register now */
    HANDLE done;  /* child -> parent: registered */
    HANDLE heard; /* child -> parent: its registration was heard */
    HANDLE next;  /* parent -> child: the round is over */
} round_events;

static HWND make_window(void)
{
    return CreateWindowExW(0, L"STATIC", L"registrations", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
}

/* Registers async (with window) or event; round parity and side say which. */
static int register_for(SOCKET s, bool async, HWND window, WSAEVENT event)
{
    return async ? WSAAsyncSelect(s, window, MSG_MINE, FD_READ) : WSAEventSelect(s, event, FD_READ);
}

/* Whether FD_READ for s arrived on window or event since the last call. */
static bool heard_now(SOCKET s, bool async, HWND window, WSAEVENT event)
{
    MSG m;
    bool heard = false;
    while (PeekMessageW(&m, window, 0, 0, PM_REMOVE))
        heard = heard || (async && m.message == MSG_MINE && m.wParam == (WPARAM)s &&
                          WSAGETSELECTEVENT(m.lParam) == FD_READ);
    if (!async && WaitForSingleObject(event, 0) == WAIT_OBJECT_0) {
        WSAResetEvent(event);
        heard = true;
    }
    return heard;
}

static int child_main(const round_events *ev)
{
    WSAPROTOCOL_INFOW info;
    if (!spi_child_start_with_info(&info))
        return CHILD_FAILED;
    SOCKET s = spi_use_info(&info);
    HWND window = make_window();
    WSAEVENT event = WSACreateEvent();
    if (s == INVALID_SOCKET || window == NULL)
        return CHILD_FAILED;
    SetEvent(ev->done); /* ready */
    for (int round = 0; round < ROUNDS; round++) {
        bool async = (round & 1) == 1; /* the parent's kind is the other */
        if (WaitForSingleObject(ev->go, 20000) != WAIT_OBJECT_0)
            return CHILD_FAILED; /* the parent gave up */
        if (register_for(s, async, window, event) != 0)
            return CHILD_FAILED;

        heard_now(s, async, window, event); /* nothing is readable yet */
        SetEvent(ev->done);
        /* Tells the parent once what it heard, until the round is over. */
        HANDLE wait[2] = {ev->next, event};
        for (bool told = false;;) {
            if (!told && heard_now(s, async, window, event)) {
                SetEvent(ev->heard);
                told = true;
            }
            if (MsgWaitForMultipleObjects(async ? 1 : 2, wait, FALSE, 20, QS_ALLINPUT) == WAIT_OBJECT_0)
                break;
        }
    }
    closesocket(s);
    WSACloseEvent(event);
    DestroyWindow(window);
    return WSACleanup() == 0 ? CHILD_OK : CHILD_FAILED;
}

static HANDLE inheritable_event(void)
{
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE h = CreateEventW(&inherit, FALSE, FALSE, NULL);
    assert_non_null(h);
    return h;
}

static void registrations_from_two_processes_at_once(void **state)
{
    (void)state;
    SOCKET peer, s;
    spi_tcp_pair(AF_INET, &peer, &s);
    HWND window = make_window();
    assert_non_null(window);
    WSAEVENT event = WSACreateEvent();
    round_events ev = {inheritable_event(), inheritable_event(), inheritable_event(), inheritable_event()};

    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE in_read, in_write;
    assert_true(CreatePipe(&in_read, &in_write, &inherit, 0));
    SetHandleInformation(in_write, HANDLE_FLAG_INHERIT, 0);
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 128];
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    _snwprintf(cmd, MAX_PATH + 128, L"\"%ls\" child %llu %llu %llu %llu", exe, (unsigned long long)(uintptr_t)ev.go,
               (unsigned long long)(uintptr_t)ev.done, (unsigned long long)(uintptr_t)ev.heard,
               (unsigned long long)(uintptr_t)ev.next);
    STARTUPINFOW si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES};
    si.hStdInput = in_read;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi));
    CloseHandle(in_read);
    WSAPROTOCOL_INFOW info;
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info), 0);
    DWORD n = 0;
    assert_true(WriteFile(in_write, &info, sizeof info, &n, NULL));
    assert_int_equal(WaitForSingleObject(ev.done, 30000), WAIT_OBJECT_0); /* the child is ready */

    int silent = 0, both = 0;
    for (int round = 0; round < ROUNDS; round++) {
        bool async = (round & 1) == 0;
        SetEvent(ev.go);
        assert_int_equal(register_for(s, async, window, event), 0);
        assert_int_equal(WaitForSingleObject(ev.done, 10000), WAIT_OBJECT_0);
        heard_now(s, async, window, event); /* nothing is readable yet */
        assert_int_equal(send(peer, "r", 1, 0), 1);
        bool mine = false, child = false;
        DWORD begin = GetTickCount();
        while (GetTickCount() - begin < (mine || child ? 100u : 3000u)) {
            HANDLE wait[2] = {ev.heard, event};
            DWORD w = MsgWaitForMultipleObjects(async ? 1 : 2, wait, FALSE, 20, QS_ALLINPUT);
            child = child || w == WAIT_OBJECT_0;
            mine = mine || heard_now(s, async, window, event);
        }
        SetEvent(ev.next);
        silent += !mine && !child;
        both += mine && child;
        char buf[8];
        assert_int_equal(recv(s, buf, sizeof buf, 0), 1);
    }
    assert_int_equal(WaitForSingleObject(pi.hProcess, 10000), WAIT_OBJECT_0);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    assert_int_equal(code, CHILD_OK);
    if (silent != 0 || both != 0)
        fail_msg("%d of %d rounds silent, %d heard in both processes", silent, ROUNDS, both);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(in_write);
    CloseHandle(ev.go);
    CloseHandle(ev.done);
    CloseHandle(ev.heard);
    CloseHandle(ev.next);
    WSACloseEvent(event);
    DestroyWindow(window);
    closesocket(s);
    closesocket(peer);
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "child") == 0) {
        round_events ev;
        HANDLE *fields[4] = {&ev.go, &ev.done, &ev.heard, &ev.next};
        for (int i = 0; i < 4; i++)
            *fields[i] = (HANDLE)(uintptr_t)strtoull(argv[2 + i], NULL, 10);
        return child_main(&ev);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(registrations_from_two_processes_at_once),
    };
    return cmocka_run_group_tests(tests, spi_start, spi_stop);
}

/* The socket handles WPUCreateSocketHandle makes ahead and WPUCloseSocketHandle
 * closes on the thread pool (src/host/handle_stock.c): a handle handed out is
 * always new, one given back is closed soon, the stock holds exactly
 * HANDLE_STOCK_FILL, and the last WSACleanup closes it. */
#include "host_test.h"

#include "unit.h"

#include "handle_stock.h"

void WSPAPI wsphost_get_upcall_table(WSPUPCALLTABLE *table);

static WSPUPCALLTABLE up;
enum { BASE_TCP = 1001 }; /* the first entry of a fresh catalog */
static ULONG before_startup;
/* Files are counted, as wsphost's handles are: not the threads and events
 * the thread pool and the platform make as they please. */
static HANDLE file, file_end;

static int start(void **state)
{
    wsphost_get_upcall_table(&up);
    if (!CreatePipe(&file, &file_end, NULL, 0))
        return 1;
    before_startup = host_test_handles_held(file);
    return host_test_start(state);
}

static int stop(void **state)
{
    CloseHandle(file);
    CloseHandle(file_end);
    return host_test_stop(state);
}

static ULONG files(void) { return host_test_handles_held(file); }

static ULONG files_settled(ULONG expected) { return host_test_handles_settled(expected, file); }

static SOCKET new_handle(void)
{
    int err = 0;
    SOCKET h = up.lpWPUCreateSocketHandle(BASE_TCP, 0x77, &err);
    assert_true(h != INVALID_SOCKET);
    return h;
}

static void close_handle(SOCKET h)
{
    int err = 0;
    assert_int_equal(up.lpWPUCloseSocketHandle(h, &err), 0);
}

/* The pipe directory wsphost opens with its first socket handle and keeps
 * for the process (completion.c). */
enum { PIPE_ROOT = 1 };

/* Runs first: the process has made no socket handle yet. The first one
 * fills the stock; from then on the process holds HANDLE_STOCK_FILL more. */
static void the_stock_holds_its_fill(void **state)
{
    (void)state;
    ULONG started = files() + PIPE_ROOT;
    SOCKET h = new_handle();
    assert_int_equal(files_settled(started + 1 + HANDLE_STOCK_FILL), started + 1 + HANDLE_STOCK_FILL);
    close_handle(h);
    assert_int_equal(files_settled(started + HANDLE_STOCK_FILL), started + HANDLE_STOCK_FILL);
}

/* Many handles given back are all closed, and taking many does not grow
 * the stock. */
static void handles_given_back_are_closed(void **state)
{
    (void)state;
    ULONG before = files();
    enum { MANY = 300 };
    SOCKET h[MANY];
    for (int i = 0; i < MANY; i++)
        h[i] = new_handle();
    assert_int_equal(files_settled(before + MANY), before + MANY);
    for (int i = 0; i < MANY; i++)
        close_handle(h[i]);
    assert_int_equal(files_settled(before), before);
}

/* A handle is never one a program used: a port it associated with a closed
 * socket's handle stays behind with that handle. Every handle handed out
 * after it, from the stock or made at once, takes a port of its own. */
static void a_new_handle_carries_no_port(void **state)
{
    (void)state;
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    assert_non_null(port);
    for (int round = 0; round < 3 * HANDLE_STOCK_FILL; round++) {
        SOCKET h = new_handle();
        /* A handle with a port already would refuse another association. */
        assert_true(CreateIoCompletionPort((HANDLE)h, port, (ULONG_PTR)round, 0) == port);
        close_handle(h);
    }
    CloseHandle(port);
}

/* The last WSACleanup closes what the stock holds: afterwards the process
 * holds what it held before its first WSAStartup, and the pipe directory.
 * A new start fills the stock again. */
static void the_last_cleanup_empties_the_stock(void **state)
{
    (void)state;
    SOCKET h = new_handle();
    close_handle(h);
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(files_settled(before_startup + PIPE_ROOT), before_startup + PIPE_ROOT);
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    ULONG started = files();
    h = new_handle();
    close_handle(h);
    assert_int_equal(files_settled(started + HANDLE_STOCK_FILL), started + HANDLE_STOCK_FILL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_stock_holds_its_fill),
        cmocka_unit_test(handles_given_back_are_closed),
        cmocka_unit_test(a_new_handle_carries_no_port),
        cmocka_unit_test(the_last_cleanup_empties_the_stock),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

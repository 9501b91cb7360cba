/* A lower provider that posts its async-select messages through the
 * WPUPostMessage upcall ShareLSP gives it (as the SPI asks, and as
 * Windows' base provider does) has them forwarded in its own thread, not
 * through the hidden window's queue and thread (src/lsp/async.h).
 * nullbase.dll (bench/nullbase) answers a registration for FD_READ or
 * FD_WRITE inside WSPAsyncSelect, one post per event, so the program's
 * messages are in its queue by the time WSAAsyncSelect returns: with the
 * program's socket, the event, no error. The hidden window's thread is
 * suspended meanwhile, so a message that went through it would not be
 * there at all. */
#include "spi.h"

/* nullbase's provider id here (any GUID no other entry has). */
static GUID nullbase_guid = {0x5a1d0c3e, 0x7b2f, 0x4e81, {0x9c, 0x4d, 0x61, 0x0a, 0x2b, 0x3c, 0x4d, 0x5e}};
static WSAPROTOCOL_INFOW chain; /* ShareLSP over nullbase, TCP over IPv4 */
static HWND window;
static HANDLE suspended; /* the hidden window's thread while a test has it stopped */

enum { MSG_MINE = WM_USER + 41 };

static int start(void **state)
{
    (void)state;
    window = CreateWindowExW(0, L"STATIC", L"lower_post", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    return window == NULL || spi_start_over_base(&nullbase_guid, L"nullbase.dll", SOCK_STREAM, &chain) != 0;
}

static int stop(void **state)
{
    DestroyWindow(window);
    return spi_stop(state);
}

static SOCKET chain_socket(void)
{
    WSAPROTOCOL_INFOW info = chain;
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    assert_true(s != INVALID_SOCKET);
    return s;
}

/* The next message of ours already queued: its event (0: none queued). */
static long queued_event(SOCKET s)
{
    MSG m;
    if (!PeekMessageW(&m, window, MSG_MINE, MSG_MINE, PM_REMOVE))
        return 0;
    assert_int_equal(m.wParam, (WPARAM)s);
    assert_int_equal(WSAGETSELECTERROR(m.lParam), 0);
    return WSAGETSELECTEVENT(m.lParam);
}

/* A socket registered once (which makes ShareLSP's hidden window), with
 * what that registration posted taken, and the hidden window's thread
 * suspended (resume_hidden_thread, the test's teardown, resumes it). */
static SOCKET registered_with_the_hidden_thread_stopped(void)
{
    SOCKET s = chain_socket();
    assert_int_equal(WSAAsyncSelect(s, window, MSG_MINE, FD_WRITE), 0);
    Sleep(100); /* whichever way it comes */
    MSG m;
    while (PeekMessageW(&m, window, MSG_MINE, MSG_MINE, PM_REMOVE))
        ;
    /* This process's: other test programs may have one too. */
    HWND hidden = NULL;
    DWORD pid = 0, tid = 0;
    while ((hidden = FindWindowExW(HWND_MESSAGE, hidden, NULL, L"ShareLSP")) != NULL &&
           ((tid = GetWindowThreadProcessId(hidden, &pid)) == 0 || pid != GetCurrentProcessId()))
        ;
    assert_non_null(hidden);
    suspended = OpenThread(THREAD_SUSPEND_RESUME, FALSE, tid);
    assert_non_null(suspended);
    assert_int_not_equal(SuspendThread(suspended), (DWORD)-1);
    return s;
}

static int resume_hidden_thread(void **state)
{
    (void)state;
    if (suspended != NULL) {
        ResumeThread(suspended);
        CloseHandle(suspended);
        suspended = NULL;
    }
    return 0;
}

static void message_is_queued_when_the_registration_returns(void **state)
{
    (void)state;
    SOCKET s = registered_with_the_hidden_thread_stopped();
    assert_int_equal(WSAAsyncSelect(s, window, MSG_MINE, FD_READ), 0);
    assert_int_equal(queued_event(s), FD_READ);
    assert_int_equal(queued_event(s), 0);
    assert_int_equal(closesocket(s), 0);
}

static void every_event_posted_is_forwarded_in_order(void **state)
{
    (void)state;
    SOCKET s = registered_with_the_hidden_thread_stopped();
    assert_int_equal(WSAAsyncSelect(s, window, MSG_MINE, FD_READ | FD_WRITE), 0);
    assert_int_equal(queued_event(s), FD_READ);
    assert_int_equal(queued_event(s), FD_WRITE);
    assert_int_equal(queued_event(s), 0);
    /* Cancelled: nullbase posts nothing, and nothing else comes. */
    assert_int_equal(WSAAsyncSelect(s, window, MSG_MINE, 0), 0);
    assert_int_equal(queued_event(s), 0);
    assert_int_equal(closesocket(s), 0);
}

/* nullbase keeps the last upcall table it was given, ShareLSP's, for every
 * caller: while something else keeps nullbase loaded past ShareLSP's
 * cleanup, sharelsp.dll must stay loaded too, and a post through that
 * table (to the hidden window, gone by then) must come back, not crash. */
static void stays_loaded_while_its_lower_provider_does(void **state)
{
    (void)state;
    SOCKET s = chain_socket();
    assert_int_equal(WSAAsyncSelect(s, window, MSG_MINE, FD_WRITE), 0);
    /* s stays open: the cleanup closes it, and nullbase's last
     * registration stays the one ShareLSP made for it. */
    HMODULE null = LoadLibraryW(L"nullbase.dll");
    assert_non_null(null);
    BOOL (*post_again)(void) = (BOOL(*)(void))(void (*)(void))GetProcAddress(null, "nullbase_post_again");
    assert_non_null(post_again);
    assert_int_equal(WSACleanup(), 0);
    Sleep(1500); /* past ShareLSP's second look at nullbase */
    assert_non_null(GetModuleHandleW(L"sharelsp.dll"));
    assert_false(post_again());
    FreeLibrary(null);
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0); /* for stop's cleanup */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(message_is_queued_when_the_registration_returns, resume_hidden_thread),
        cmocka_unit_test_teardown(every_event_posted_is_forwarded_in_order, resume_hidden_thread),
        cmocka_unit_test(stays_loaded_while_its_lower_provider_does),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

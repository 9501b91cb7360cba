/* What ShareLSP leaves behind when Winsock is cleaned up: nothing that runs
 * after the module is gone, and nothing that waits under the loader lock.
 * Each test starts and ends Winsock itself, so that its WSACleanup is the
 * last one and the host unloads the providers. */
#include "spi.h"

#include <string.h>

static LONG routine_calls;
static DWORD routine_error, routine_bytes;

static void CALLBACK on_receive(DWORD error, DWORD bytes, LPWSAOVERLAPPED overlapped, DWORD flags)
{
    (void)overlapped, (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    InterlockedIncrement(&routine_calls);
}

/* Waits alertably (so that queued routines run) until the module is gone,
 * at most about two seconds. */
static bool unloaded_soon(const WCHAR *module)
{
    for (int i = 0; i < 100 && GetModuleHandleW(module) != NULL; i++)
        SleepEx(20, TRUE);
    return GetModuleHandleW(module) == NULL;
}

/* Winsock started through ShareLSP in a fresh catalog, a receive pending on
 * an accepted TCP socket (ov's routine or event as given), and both ends
 * closed: the close aborts the receive. */
static void start_and_abort_a_receive(WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    assert_int_equal(spi_install_fresh(), 0);
    WSADATA data;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    static char buffer[16];
    WSABUF wb = {sizeof buffer, buffer};
    DWORD flags = 0;
    assert_int_equal(WSARecv(s, &wb, 1, NULL, &flags, ov, routine), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSA_IO_PENDING);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(c), 0);
}

/* A receive with a completion routine is pending; the close queues the
 * routine with WSA_OPERATION_ABORTED; WSACleanup comes before the thread
 * waits alertably. As with Wine's ws2_32: WSACleanup returns at once, and
 * the routine runs once, in the next alertable wait, with the error. */
static void cleanup_with_a_routine_queued(void **state)
{
    (void)state;
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    routine_calls = 0;
    start_and_abort_a_receive(&ov, on_receive);
    Sleep(100); /* the abort reaches ShareLSP's request; the routine is queued */
    DWORD started = GetTickCount();
    assert_int_equal(WSACleanup(), 0);
    DWORD took = GetTickCount() - started;
    assert_int_equal(routine_calls, 0); /* no alertable wait yet */
    SleepEx(200, TRUE);
    assert_int_equal(routine_calls, 1);
    assert_int_equal(routine_error, WSA_OPERATION_ABORTED);
    assert_int_equal(routine_bytes, 0);
    /* Once the routine has run nothing of ShareLSP's is left, and the
     * provider below it was stopped too. */
    assert_true(unloaded_soon(L"sharelsp.dll"));
    assert_true(unloaded_soon(L"wspbase.dll"));
    assert_int_equal(routine_calls, 1);
    /* No drain with a time limit: the old code waited five seconds here. */
    assert_in_range(took, 0, 2000);
    spi_remove_catalog();
}

/* The same with an event: the request is finished by the thread pool, and
 * the event is signalled with the error, after WSACleanup. */
static void cleanup_with_an_event_request_pending(void **state)
{
    (void)state;
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    start_and_abort_a_receive(&ov, NULL);
    assert_int_equal(WSACleanup(), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    assert_int_equal(ov.Internal, 0xc0000120); /* STATUS_CANCELLED */
    assert_true(unloaded_soon(L"sharelsp.dll"));
    assert_true(unloaded_soon(L"wspbase.dll"));
    CloseHandle(ov.hEvent);
    spi_remove_catalog();
}

static HMODULE detach_module;
static DWORD WINAPI free_detach_module(LPVOID param)
{
    (void)param;
    FreeLibrary(detach_module);
    return 0;
}

/* A DLL calls closesocket and WSACleanup in its DLL_PROCESS_DETACH after
 * WSAAsyncSelect (ShareLSP's hidden window thread is running): FreeLibrary
 * returns, because nothing in WSPCleanup waits for a thread to exit. */
static void cleanup_under_the_loader_lock(void **state)
{
    (void)state;
    assert_int_equal(spi_install_fresh(), 0);
    HWND window = CreateWindowExW(0, L"STATIC", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    assert_non_null(window);
    detach_module = LoadLibraryW(L"detach.dll");
    assert_non_null(detach_module);
    int (*start)(HWND, UINT) = (int (*)(HWND, UINT))(void (*)(void))GetProcAddress(detach_module, "detach_start");
    assert_non_null(start);
    assert_int_equal(start(window, WM_APP + 7), 0);
    assert_non_null(GetModuleHandleW(L"sharelsp.dll"));
    HANDLE thread = CreateThread(NULL, 0, free_detach_module, NULL, 0, NULL);
    assert_non_null(thread);
    if (WaitForSingleObject(thread, 20000) != WAIT_OBJECT_0) {
        /* A thread is stuck holding the loader lock: the process cannot
         * even exit normally. */
        print_error("FreeLibrary did not return: WSPCleanup waited under the loader lock\n");
        TerminateProcess(GetCurrentProcess(), 3);
    }
    CloseHandle(thread);
    assert_true(unloaded_soon(L"sharelsp.dll"));
    DestroyWindow(window);
    spi_remove_catalog();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cleanup_with_a_routine_queued),
        cmocka_unit_test(cleanup_with_an_event_request_pending),
        cmocka_unit_test(cleanup_under_the_loader_lock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

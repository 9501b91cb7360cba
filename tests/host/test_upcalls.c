/* The upcall table wsphost hands providers, all 15 entries, and the exported
 * WPUCompleteOverlappedRequest: exact results and exact errors. */
#include "host_test.h"

#include "unit.h"

#include <string.h>
#include <wchar.h>

void WSPAPI wsphost_get_upcall_table(WSPUPCALLTABLE *table);

static WSPUPCALLTABLE up;
enum { BASE_TCP = 1001 }; /* the first entry of a fresh catalog */

static int start(void **state)
{
    wsphost_get_upcall_table(&up);
    return host_test_start(state);
}

static void socket_handles_carry_their_context(void **state)
{
    (void)state;
    int err = 0;
    SOCKET a = up.lpWPUCreateSocketHandle(BASE_TCP, 0x1234, &err);
    SOCKET b = up.lpWPUCreateSocketHandle(BASE_TCP, 0x5678, &err);
    assert_true(a != INVALID_SOCKET && b != INVALID_SOCKET && a != b);
    DWORD_PTR context = 0;
    assert_int_equal(up.lpWPUQuerySocketHandleContext(a, &context, &err), 0);
    assert_int_equal(context, 0x1234);
    assert_int_equal(up.lpWPUQuerySocketHandleContext(b, &context, &err), 0);
    assert_int_equal(context, 0x5678);
    assert_int_equal(up.lpWPUQuerySocketHandleContext(a, NULL, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    /* A real socket of the base provider is not an upcall handle. */
    SOCKET real = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(real != INVALID_SOCKET && real != a && real != b);
    assert_int_equal(up.lpWPUQuerySocketHandleContext(real, &context, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAENOTSOCK);
    assert_int_equal(up.lpWPUCloseSocketHandle(real, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAENOTSOCK);
    closesocket(real);

    assert_int_equal(up.lpWPUCloseSocketHandle(a, &err), 0);
    err = 0;
    assert_int_equal(up.lpWPUQuerySocketHandleContext(a, &context, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAENOTSOCK);
    assert_int_equal(up.lpWPUCloseSocketHandle(a, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAENOTSOCK);
    assert_int_equal(up.lpWPUCloseSocketHandle(b, &err), 0);
    /* An unknown catalog entry gets no handle. */
    assert_true(up.lpWPUCreateSocketHandle(424242, 1, &err) == INVALID_SOCKET);
    assert_int_equal(err, WSAEINVAL);
}

static void overlapped_completion_signals_the_event(void **state)
{
    (void)state;
    int err = 0;
    SOCKET h = up.lpWPUCreateSocketHandle(BASE_TCP, 7, &err);
    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov, 0, 321, &err), 0);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    assert_int_equal(ov.InternalHigh, 321);
    assert_int_equal(ov.Internal, 0);
    ResetEvent(ov.hEvent);
    assert_int_equal(WPUCompleteOverlappedRequest(h, &ov, WSAECONNRESET, 0, &err), 0);
    assert_int_equal(ov.Internal, 0xc000020d); /* the NTSTATUS: STATUS_CONNECTION_RESET */
    /* Only for handles made by WPUCreateSocketHandle. */
    SOCKET real = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(WPUCompleteOverlappedRequest(real, &ov, 0, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);
    assert_int_equal(WPUCompleteOverlappedRequest(h, NULL, 0, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    closesocket(real);
    WSACloseEvent(ov.hEvent);
    up.lpWPUCloseSocketHandle(h, &err);
}

static void events(void **state)
{
    (void)state;
    int err = 0;
    WSAEVENT e = up.lpWPUCreateEvent(&err);
    assert_true(e != WSA_INVALID_EVENT);
    assert_int_equal(WaitForSingleObject(e, 0), WAIT_TIMEOUT); /* manual reset, not signalled */
    assert_true(up.lpWPUSetEvent(e, &err));
    assert_int_equal(WaitForSingleObject(e, 0), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(e, 0), WAIT_OBJECT_0);
    assert_true(up.lpWPUResetEvent(e, &err));
    assert_int_equal(WaitForSingleObject(e, 0), WAIT_TIMEOUT);
    assert_true(up.lpWPUCloseEvent(e, &err));
    assert_false(up.lpWPUCloseEvent(e, &err));
    assert_int_equal(err, WSA_INVALID_HANDLE);
}

static int apc_value;
static void CALLBACK apc(ULONG_PTR context) { apc_value = (int)context; }

static void threads_and_apcs(void **state)
{
    (void)state;
    int err = 0;
    WSATHREADID id;
    assert_int_equal(up.lpWPUOpenCurrentThread(&id, &err), 0);
    assert_int_equal(id.Reserved, GetCurrentThreadId());
    apc_value = 0;
    assert_int_equal(up.lpWPUQueueApc(&id, (LPWSAUSERAPC)apc, 77, &err), 0);
    assert_int_equal(apc_value, 0); /* runs only in an alertable wait */
    assert_int_equal(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(apc_value, 77);
    assert_int_equal(up.lpWPUCloseThread(&id, &err), 0);
    assert_int_equal(up.lpWPUQueueApc(NULL, (LPWSAUSERAPC)apc, 1, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    assert_int_equal(up.lpWPUOpenCurrentThread(NULL, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
}

static void provider_path_blocking_callback_and_fd_sets(void **state)
{
    (void)state;
    int err = 0;
    /* The base entries' provider GUID. */
    GUID base = {0x88b7cfd4, 0x81ce, 0x42de, {0xa7, 0x12, 0x30, 0x58, 0xf1, 0x79, 0x88, 0x96}};
    WCHAR path[MAX_PATH];
    int len = MAX_PATH;
    assert_int_equal(up.lpWPUGetProviderPath(&base, path, &len, &err), 0);
    assert_non_null(wcsstr(path, L"wspbase.dll"));
    assert_int_equal(len, (int)wcslen(path) + 1);
    int short_len = 4;
    assert_int_equal(up.lpWPUGetProviderPath(&base, path, &short_len, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEFAULT);
    assert_int_equal(short_len, len);
    GUID unknown = base;
    unknown.Data1 ^= 1;
    len = MAX_PATH;
    assert_int_equal(up.lpWPUGetProviderPath(&unknown, path, &len, &err), SOCKET_ERROR);
    assert_int_equal(err, WSAEINVAL);

    LPBLOCKINGCALLBACK callback = (LPBLOCKINGCALLBACK)1;
    DWORD_PTR context = 1;
    assert_int_equal(up.lpWPUQueryBlockingCallback(BASE_TCP, &callback, &context, &err), 0);
    assert_null(callback);
    assert_int_equal(context, 0);

    fd_set set;
    FD_ZERO(&set);
    FD_SET((SOCKET)0x40, &set);
    assert_true(up.lpWPUFDIsSet((SOCKET)0x40, &set));
    assert_false(up.lpWPUFDIsSet((SOCKET)0x44, &set));
}

static void post_message_reaches_the_window(void **state)
{
    (void)state;
    HWND w = CreateWindowExW(0, L"STATIC", L"upcalls", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    assert_non_null(w);
    assert_true(up.lpWPUPostMessage(w, WM_USER + 3, 0x1234, MAKELPARAM(FD_READ, 0)));
    MSG m;
    assert_true(PeekMessageW(&m, w, WM_USER + 3, WM_USER + 3, PM_REMOVE));
    assert_int_equal(m.wParam, 0x1234);
    assert_int_equal(WSAGETSELECTEVENT(m.lParam), FD_READ);
    DestroyWindow(w);
}

static void modify_ifs_handle_routes_the_handle(void **state)
{
    (void)state;
    int err = 0;
    SOCKET real = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(real != INVALID_SOCKET);
    assert_true(up.lpWPUModifyIFSHandle(BASE_TCP + 1, real, &err) == real);
    assert_true(up.lpWPUModifyIFSHandle(BASE_TCP, INVALID_SOCKET, &err) == INVALID_SOCKET);
    assert_int_equal(err, WSAEINVAL);
    assert_true(up.lpWPUModifyIFSHandle(424242, real, &err) == INVALID_SOCKET);
    assert_int_equal(err, WSAEINVAL);
    closesocket(real);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(socket_handles_carry_their_context),
        cmocka_unit_test(overlapped_completion_signals_the_event),
        cmocka_unit_test(events),
        cmocka_unit_test(threads_and_apcs),
        cmocka_unit_test(provider_path_blocking_callback_and_fd_sets),
        cmocka_unit_test(post_message_reaches_the_window),
        cmocka_unit_test(modify_ifs_handle_routes_the_handle),
    };
    return cmocka_run_group_tests(tests, start, host_test_stop);
}

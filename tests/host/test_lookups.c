/* Run-time look-ups of ws2_32's names: GetProcAddress on ws2_32, however its
 * handle was had, by name or by ordinal, answers with wsphost's export
 * wherever wsphost has one, in the program and in a DLL it loads later;
 * names wsphost does not export stay the platform's. */
#include "host_test.h"

#include "unit.h"

/* The module whose code p is. */
static HMODULE module_of(FARPROC p)
{
    HMODULE m = NULL;
    assert_non_null(p);
    assert_true(GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                                   (LPCWSTR)(void *)p, &m));
    return m;
}

static FARPROC host_export(const char *name) { return GetProcAddress(GetModuleHandleW(L"wsphost.dll"), name); }

static void by_name_from_the_loaded_module(void **state)
{
    (void)state;
    HMODULE ws2 = GetModuleHandleA("ws2_32.dll");
    assert_non_null(ws2);
    assert_ptr_equal(GetProcAddress(ws2, "WSAPoll"), host_export("WSAPoll"));
    assert_ptr_equal(GetProcAddress(ws2, "WSCUpdateProvider"), host_export("WSCUpdateProvider"));
    /* A name wsphost does not export, and one that is wsphost's own only. */
    assert_ptr_equal(module_of(GetProcAddress(ws2, "WSAInstallServiceClassW")), ws2);
    assert_null(GetProcAddress(ws2, "wsphost_get_upcall_table"));
    assert_null(GetProcAddress(ws2, "NoSuchFunction"));
}

static void by_name_after_load_library(void **state)
{
    (void)state;
    HMODULE ws2 = LoadLibraryA("ws2_32.dll");
    assert_non_null(ws2);
    assert_ptr_equal(GetProcAddress(ws2, "WSCUpdateProvider"), host_export("WSCUpdateProvider"));
    assert_ptr_equal(GetProcAddress(ws2, "WSCInstallProviderAndChains64_32"),
                     host_export("WSCInstallProviderAndChains64_32"));
    FreeLibrary(ws2);
}

static void by_ordinal(void **state)
{
    (void)state;
    HMODULE ws2 = GetModuleHandleA("ws2_32.dll");
    /* ws2_32's ordinals: 3 is closesocket, 2 bind. */
    assert_ptr_equal(GetProcAddress(ws2, MAKEINTRESOURCEA(3)), host_export("closesocket"));
    assert_ptr_equal(GetProcAddress(ws2, MAKEINTRESOURCEA(2)), host_export("bind"));
    assert_null(GetProcAddress(ws2, MAKEINTRESOURCEA(60000)));
}

static void other_modules_are_left_alone(void **state)
{
    (void)state;
    HMODULE kernel32 = GetModuleHandleA("kernel32.dll");
    assert_ptr_equal(module_of(GetProcAddress(kernel32, "GetProcAddress")), kernel32);
    assert_null(GetProcAddress(NULL, "WSAPoll"));
}

static void a_dll_loaded_later_is_answered_too(void **state)
{
    (void)state;
    WCHAR path[MAX_PATH];
    host_test_beside_exe(path, L"lookup_helper.dll");
    HMODULE helper = LoadLibraryW(path);
    assert_non_null(helper);
    FARPROC (*find)(const char *) =
        (FARPROC(*)(const char *))(void (*)(void))GetProcAddress(helper, "lookup_helper_find");
    assert_non_null(find);
    assert_ptr_equal(find("WSAPoll"), host_export("WSAPoll"));
    assert_ptr_equal(find("WSCUpdateProvider"), host_export("WSCUpdateProvider"));
    FreeLibrary(helper);
}

/* The WSAPoll found is the host's: it polls a socket of the host's. */
static void the_poll_found_works(void **state)
{
    (void)state;
    int (WSAAPI *poll)(LPWSAPOLLFD, ULONG, INT) = (int (WSAAPI *)(LPWSAPOLLFD, ULONG, INT))(
        void (*)(void))GetProcAddress(GetModuleHandleA("ws2_32.dll"), "WSAPoll");
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_true(listener != INVALID_SOCKET);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof a;
    assert_int_equal(bind(listener, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(listener, 1), 0);
    assert_int_equal(getsockname(listener, (struct sockaddr *)&a, &len), 0);
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_int_equal(connect(client, (struct sockaddr *)&a, sizeof a), 0);
    WSAPOLLFD fd = {.fd = listener, .events = POLLRDNORM, .revents = 0x7fff};
    assert_int_equal(poll(&fd, 1, 5000), 1);
    assert_int_equal(fd.revents, POLLRDNORM);
    closesocket(client);
    closesocket(listener);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(by_name_from_the_loaded_module),
        cmocka_unit_test(by_name_after_load_library),
        cmocka_unit_test(by_ordinal),
        cmocka_unit_test(other_modules_are_left_alone),
        cmocka_unit_test(a_dll_loaded_later_is_answered_too),
        cmocka_unit_test(the_poll_found_works),
    };
    return cmocka_run_group_tests(tests, host_test_start, host_test_stop);
}

/* sharelsp.dll as ws2_32 sees it: it loads, exports WSPStartup and nothing
 * else by name, negotiates the Winsock version, and carries a VERSIONINFO. */
#include <winsock2.h>
#include <ws2spi.h>
#include <windows.h>

#include "unit.h"

#include <sharelsp/version.h>

static HMODULE dll;

static int load_dll(void **state)
{
    (void)state;
    dll = LoadLibraryW(L"sharelsp.dll");
    return dll == NULL;
}

static int unload_dll(void **state)
{
    (void)state;
    return !FreeLibrary(dll);
}

static void exports_only_wspstartup(void **state)
{
    (void)state;
    const BYTE *base = (const BYTE *)dll;
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
    assert_int_equal(dos->e_magic, IMAGE_DOS_SIGNATURE);
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
    const IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    assert_true(dir->Size > 0);
    const IMAGE_EXPORT_DIRECTORY *exports = (const IMAGE_EXPORT_DIRECTORY *)(base + dir->VirtualAddress);
    assert_int_equal(exports->NumberOfNames, 1);
    assert_int_equal(exports->NumberOfFunctions, 1);
    const DWORD *names = (const DWORD *)(base + exports->AddressOfNames);
    assert_string_equal((const char *)(base + names[0]), "WSPStartup");
    assert_non_null(GetProcAddress(dll, "WSPStartup"));
}

static int call_startup(WORD version, WSPDATA *data, WSPPROC_TABLE *procs)
{
    LPWSPSTARTUP startup = (LPWSPSTARTUP)(void (*)(void))GetProcAddress(dll, "WSPStartup");
    assert_non_null(startup);
    WSAPROTOCOL_INFOW info;
    memset(&info, 0, sizeof info);
    WSPUPCALLTABLE upcalls;
    memset(&upcalls, 0, sizeof upcalls);
    return startup(version, data, &info, upcalls, procs);
}

static void startup_refuses_winsock_1(void **state)
{
    (void)state;
    WSPDATA data;
    WSPPROC_TABLE procs;
    memset(&data, 0xcc, sizeof data);
    assert_int_equal(call_startup(MAKEWORD(1, 1), &data, &procs), WSAVERNOTSUPPORTED);
    assert_int_equal(data.wHighVersion, MAKEWORD(2, 2));
    assert_int_equal(data.wVersion, 0);
}

static void startup_refuses_null_pointers(void **state)
{
    (void)state;
    WSPDATA data;
    WSPPROC_TABLE procs;
    assert_int_equal(call_startup(MAKEWORD(2, 2), NULL, &procs), WSAEFAULT);
    assert_int_equal(call_startup(MAKEWORD(2, 2), &data, NULL), WSAEFAULT);
    LPWSPSTARTUP startup = (LPWSPSTARTUP)(void (*)(void))GetProcAddress(dll, "WSPStartup");
    WSPUPCALLTABLE upcalls;
    memset(&upcalls, 0, sizeof upcalls);
    assert_int_equal(startup(MAKEWORD(2, 2), &data, NULL, upcalls, &procs), WSAEFAULT);
}

static void startup_negotiates_and_refuses_an_entry_that_is_no_chain(void **state)
{
    (void)state;
    WSPDATA data;
    WSPPROC_TABLE procs;
    /* The info is all zeros: ChainLen 0, a layered entry, not a chain. */
    memset(&data, 0, sizeof data);
    assert_int_equal(call_startup(MAKEWORD(2, 2), &data, &procs), WSAEPROVIDERFAILEDINIT);
    assert_int_equal(data.wVersion, MAKEWORD(2, 2));
    assert_int_equal(data.wHighVersion, MAKEWORD(2, 2));
    assert_true(wcscmp(data.szDescription, L"ShareLSP layered provider") == 0);
    memset(&data, 0, sizeof data);
    assert_int_equal(call_startup(MAKEWORD(2, 0), &data, &procs), WSAEPROVIDERFAILEDINIT);
    assert_int_equal(data.wVersion, MAKEWORD(2, 0));
    memset(&data, 0, sizeof data);
    assert_int_equal(call_startup(MAKEWORD(3, 0), &data, &procs), WSAEPROVIDERFAILEDINIT);
    assert_int_equal(data.wVersion, MAKEWORD(2, 2));
}

static void carries_version_information(void **state)
{
    (void)state;
    WCHAR path[MAX_PATH];
    assert_true(GetModuleFileNameW(dll, path, MAX_PATH) > 0);
    DWORD ignored = 0;
    DWORD size = GetFileVersionInfoSizeW(path, &ignored);
    assert_true(size > 0);
    void *info = malloc(size);
    assert_non_null(info);
    assert_true(GetFileVersionInfoW(path, 0, size, info));
    VS_FIXEDFILEINFO *fixed = NULL;
    UINT length = 0;
    assert_true(VerQueryValueW(info, L"\\", (void **)&fixed, &length));
    assert_int_equal(fixed->dwSignature, VS_FFI_SIGNATURE);
    assert_int_equal(fixed->dwFileVersionMS, MAKELONG(SHARELSP_VERSION_MINOR, SHARELSP_VERSION_MAJOR));
    assert_int_equal(fixed->dwFileVersionLS, MAKELONG(0, SHARELSP_VERSION_PATCH));
    assert_int_equal(fixed->dwFileType, VFT_DLL);
    WCHAR *product = NULL;
    assert_true(VerQueryValueW(info, L"\\StringFileInfo\\040904b0\\ProductName", (void **)&product, &length));
    assert_true(wcscmp(product, L"ShareLSP") == 0);
    WCHAR *version = NULL;
    assert_true(VerQueryValueW(info, L"\\StringFileInfo\\040904b0\\FileVersion", (void **)&version, &length));
    assert_true(wcscmp(version, L"" SHARELSP_VERSION_STRING) == 0);
    free(info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exports_only_wspstartup),
        cmocka_unit_test(startup_refuses_winsock_1),
        cmocka_unit_test(startup_refuses_null_pointers),
        cmocka_unit_test(startup_negotiates_and_refuses_an_entry_that_is_no_chain),
        cmocka_unit_test(carries_version_information),
    };
    return cmocka_run_group_tests(tests, load_dll, unload_dll);
}

/* Provider loading as ws2_32 does it: a provider that cannot load, refuses
 * WSPStartup or returns an incomplete proc table makes socket creation fail
 * with a clear error and a line on stderr naming the entry; a good one is
 * started with its ws2_32 imports of WSC names bound to the host. */
#include "host_test.h"

#include "unit.h"

#include <stdio.h>
#include <string.h>

/* {5e1d0c3b-2222-4a6b-9c7d-0123456789ab} and its neighbours. */
static GUID guid_for(BYTE last)
{
    GUID g = {0x5e1d0c3b, 0x2222, 0x4a6b, {0x9c, 0x7d, 0x01, 0x23, 0x45, 0x67, 0x89, last}};
    return g;
}

static WSAPROTOCOL_INFOW install(const WCHAR *name, const WCHAR *path, BYTE guid_byte)
{
    GUID g = guid_for(guid_byte);
    WSAPROTOCOL_INFOW info = host_test_install(name, path, &g);
    assert_true(IsEqualGUID(&info.ProviderId, &g));
    return info;
}

static int socket_error_for(WSAPROTOCOL_INFOW *info)
{
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, 0);
    assert_true(s == INVALID_SOCKET);
    return WSAGetLastError();
}

static char *read_all(const char *file)
{
    FILE *f = fopen(file, "rb");
    assert_non_null(f);
    static char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static void each_failure_is_clear(void **state)
{
    (void)state;
    WCHAR provider[MAX_PATH];
    host_test_beside_exe(provider, L"test_provider.dll");
    WSAPROTOCOL_INFOW good = install(L"good", provider, 1);
    WSAPROTOCOL_INFOW refuses = install(L"fail-startup", provider, 2);
    WSAPROTOCOL_INFOW incomplete = install(L"incomplete", provider, 3);
    WSAPROTOCOL_INFOW missing = install(L"missing", L"C:\\nowhere\\no-such-provider.dll", 4);

    char log[MAX_PATH];
    snprintf(log, sizeof log, "loading-%lu.log", (unsigned long)GetCurrentProcessId());
    assert_non_null(freopen(log, "w", stderr));
    /* Started, imports bound (else WSPStartup refuses), the call is its own. */
    assert_int_equal(socket_error_for(&good), WSAEOPNOTSUPP);
    assert_int_equal(socket_error_for(&refuses), WSAEPROVIDERFAILEDINIT);
    assert_int_equal(socket_error_for(&incomplete), WSAEINVALIDPROCTABLE);
    assert_int_equal(socket_error_for(&missing), WSAEPROVIDERFAILEDINIT);
    fflush(stderr);
    assert_non_null(freopen("NUL", "w", stderr));
    const char *text = read_all(log);
    char expect[160];
    snprintf(expect, sizeof expect, "catalog entry %lu: WSPStartup of", (unsigned long)refuses.dwCatalogEntryId);
    assert_non_null(strstr(text, expect));
    assert_non_null(strstr(text, "failed with error 10091")); /* WSASYSNOTREADY */
    snprintf(expect, sizeof expect, "catalog entry %lu:", (unsigned long)incomplete.dwCatalogEntryId);
    assert_non_null(strstr(text, expect));
    assert_non_null(strstr(text, "returned a proc table without WSPIoctl"));
    snprintf(expect, sizeof expect, "catalog entry %lu: cannot load provider", (unsigned long)missing.dwCatalogEntryId);
    assert_non_null(strstr(text, expect));
    assert_null(strstr(text, "entry 0:"));
    DeleteFileA(log);

    /* A failed start leaves nothing behind: trying again fails the same way. */
    assert_int_equal(socket_error_for(&incomplete), WSAEINVALIDPROCTABLE);
    /* Visible entries serve socket(): the good one is not first, so TCP still
     * works through the base provider. */
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s != INVALID_SOCKET);
    closesocket(s);
}

static void unknown_catalog_entry_is_refused(void **state)
{
    (void)state;
    WSAPROTOCOL_INFOW info;
    memset(&info, 0, sizeof info);
    info.dwCatalogEntryId = 999999;
    assert_true(WSASocketW(AF_INET, SOCK_STREAM, 0, &info, 0, 0) == INVALID_SOCKET);
    assert_int_equal(WSAGetLastError(), WSAEINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_failure_is_clear),
        cmocka_unit_test(unknown_catalog_entry_is_refused),
    };
    return cmocka_run_group_tests(tests, host_test_start, host_test_stop);
}

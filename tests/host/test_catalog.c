/* The catalog file format and file handling: round trip, base entries, and a
 * clear error naming the line for every malformed input. */
#include <winsock2.h>
#include <ws2spi.h>
#include <windows.h>

#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "catalog_file.h"

static catalog base_catalog(void)
{
    catalog cat;
    catalog_init(&cat);
    assert_true(catalog_add_base_entries(&cat, L"C:\\providers\\wspbase.dll"));
    return cat;
}

static void base_entries_are_tcp_udp_and_raw_over_both_families(void **state)
{
    (void)state;
    catalog cat = base_catalog();
    assert_int_equal(cat.count, 6);
    assert_int_equal(cat.next_id, CATALOG_FIRST_ID + 6);
    const int family[] = {AF_INET, AF_INET, AF_INET6, AF_INET6, AF_INET, AF_INET6};
    const int type[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_RAW};
    const int protocol[] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_TCP, IPPROTO_UDP, 0, 0};
    const int max_offset[] = {0, 0, 0, 0, 255, 255};
    for (size_t i = 0; i < 6; i++) {
        const WSAPROTOCOL_INFOW *info = &cat.entries[i].info;
        assert_int_equal(info->dwCatalogEntryId, CATALOG_FIRST_ID + i);
        assert_int_equal(info->iAddressFamily, family[i]);
        assert_int_equal(info->iSocketType, type[i]);
        assert_int_equal(info->iProtocol, protocol[i]);
        assert_int_equal(info->iProtocolMaxOffset, max_offset[i]);
        assert_int_equal(info->ProtocolChain.ChainLen, BASE_PROTOCOL);
        assert_true(info->dwServiceFlags1 & XP1_IFS_HANDLES);
        assert_true(info->dwProviderFlags & PFL_MATCHES_PROTOCOL_ZERO);
        assert_true(catalog_entry_visible(&cat.entries[i]));
    }
    catalog_free(&cat);
}

static void format_then_parse_is_identity(void **state)
{
    (void)state;
    catalog cat = base_catalog();
    WSAPROTOCOL_INFOW chain = cat.entries[0].info;
    chain.ProtocolChain.ChainLen = 3;
    chain.ProtocolChain.ChainEntries[0] = 1001;
    chain.ProtocolChain.ChainEntries[1] = 1002;
    chain.ProtocolChain.ChainEntries[2] = 1003;
    chain.dwServiceFlags3 = 0xff00ff00;
    wcscpy(chain.szProtocol, L"Ünïcode over [tabs\tand spaces]");
    DWORD id;
    assert_int_equal(catalog_append(&cat, &chain, L"%SystemRoot%\\my lsp.dll", &id), 0);
    cat.entries[6].categories = LSP_SYSTEM | LSP_PROXY;
    size_t length = 0;
    char *text = catalog_format(&cat, &length);
    assert_non_null(text);
    assert_int_equal(strlen(text), length);
    catalog back;
    catalog_error err;
    assert_true(catalog_parse(&back, text, length, &err));
    assert_int_equal(back.count, cat.count);
    assert_int_equal(back.next_id, cat.next_id);
    for (size_t i = 0; i < cat.count; i++) {
        if (i == 6) /* a tab inside a name is written as a space */
            wcscpy(cat.entries[6].info.szProtocol, L"Ünïcode over [tabs and spaces]");
        assert_memory_equal(&back.entries[i], &cat.entries[i], sizeof cat.entries[i]);
    }
    free(text);
    catalog_free(&back);
    catalog_free(&cat);
}

/* Parses text; expects failure at line with text containing what. */
static void expect_error(const char *text, unsigned line, const char *what)
{
    catalog cat;
    catalog_error err;
    assert_false(catalog_parse(&cat, text, strlen(text), &err));
    if (err.line != line || strstr(err.text, what) == NULL)
        fail_msg("for %s\nwanted line %u '%s', got line %u '%s'", text, line, what, err.line, err.text);
    assert_int_equal(cat.count, 0);
}

#define HEAD "wsphost-catalog 1\nnext-id\t2000\n"
#define GOOD "entry\t{88b7cfd4-81ce-42de-a712-3058f1798896}\t1001\t1:\t2\t1\t6\t0\t0x20066\t0\t0\t0\t8\t2\t16\t16\t0\t0\t0\t0\tC:\\p.dll\tname\n"

static void malformed_input_names_the_line(void **state)
{
    (void)state;
    catalog cat;
    catalog_error err;
    assert_true(catalog_parse(&cat, HEAD GOOD, strlen(HEAD GOOD), &err));
    catalog_free(&cat);

    expect_error("", 1, "empty file");
    expect_error("ws2_32 catalog\n", 1, "not a wsphost catalog");
    expect_error(HEAD "bogus line\n", 3, "unknown line");
    expect_error(HEAD "entry\tx\n", 3, "too few tab-separated fields (want 22), found '2'");
    expect_error(HEAD GOOD "entry\t{zz}\t1\t1:\t2\t1\t6\t0\t0\t0\t0\t0\t8\t2\t16\t16\t0\t0\t0\t0\tp\tn\n", 4, "bad GUID");
    expect_error(HEAD "entry\t{88b7cfd4-81ce-42de-a712-3058f1798896}\t0\t1:\t2\t1\t6\t0\t0\t0\t0\t0\t8\t2\t16\t16\t0\t0\t0\t0\tp\tn\n",
                 3, "bad catalog id");
    expect_error(HEAD "entry\t{88b7cfd4-81ce-42de-a712-3058f1798896}\t1\t9:1,2,3,4,5,6,7,8,9\t2\t1\t6\t0\t0\t0\t0\t0\t8\t2\t16\t16\t0\t0\t0\t0\tp\tn\n",
                 3, "bad protocol chain");
    expect_error(HEAD "entry\t{88b7cfd4-81ce-42de-a712-3058f1798896}\t1\t3:1,2\t2\t1\t6\t0\t0\t0\t0\t0\t8\t2\t16\t16\t0\t0\t0\t0\tp\tn\n",
                 3, "bad protocol chain");
    expect_error(HEAD "entry\t{88b7cfd4-81ce-42de-a712-3058f1798896}\t1\t1:\tIPv4\t1\t6\t0\t0\t0\t0\t0\t8\t2\t16\t16\t0\t0\t0\t0\tp\tn\n",
                 3, "family 'IPv4'");
    expect_error(HEAD "entry\t{88b7cfd4-81ce-42de-a712-3058f1798896}\t1\t1:\t2\t1\t6\t0\t0x1FFFFFFFF\t0\t0\t0\t8\t2\t16\t16\t0\t0\t0\t0\tp\tn\n",
                 3, "flags1");
    expect_error(HEAD "entry\t{88b7cfd4-81ce-42de-a712-3058f1798896}\t1\t1:\t2\t1\t6\t0\t0\t0\t0\t0\t8\t2\t16\t16\t0\t0\t0\t0\t\tn\n",
                 3, "provider path");
    expect_error(HEAD GOOD GOOD, 4, "duplicate catalog id '1001'");
    expect_error("wsphost-catalog 1\n" GOOD, 0, "no next-id line");
    expect_error("wsphost-catalog 1\nnext-id\tmany\n", 2, "bad next-id");
    expect_error("wsphost-catalog 1\nnext-id\t1001\n" GOOD, 0, "next-id must be larger");
}

static void truncated_file_names_the_cut_line(void **state)
{
    (void)state;
    const char *full = HEAD GOOD GOOD;
    /* Cut the second copy of the entry (line 4) part way: a duplicate id is
     * not reached, the short line is reported. */
    size_t cut = strlen(HEAD GOOD) + 60;
    catalog cat;
    catalog_error err;
    assert_false(catalog_parse(&cat, full, cut, &err));
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.text, "too few tab-separated fields"));
}

static void temp_path(WCHAR *path, const WCHAR *name)
{
    WCHAR dir[MAX_PATH];
    assert_true(GetTempPathW(MAX_PATH, dir) > 0);
    _snwprintf(path, MAX_PATH, L"%lssharelsp-%lu-%ls", dir, (unsigned long)GetCurrentProcessId(), name);
    DeleteFileW(path);
}

static void missing_file_is_created_with_base_entries(void **state)
{
    (void)state;
    WCHAR path[MAX_PATH];
    temp_path(path, L"fresh.catalog");
    catalog cat;
    catalog_error err;
    assert_int_equal(catalog_file_load(path, &cat, &err), 0);
    assert_int_equal(cat.count, 6);
    assert_true(wcsstr(cat.entries[0].path, L"wspbase.dll") != NULL);
    catalog again;
    assert_int_equal(catalog_file_load(path, &again, &err), 0);
    assert_int_equal(again.count, 6);
    catalog_free(&again);
    /* A store replaces the file whole. */
    catalog_remove_at(&cat, 3);
    assert_int_equal(catalog_file_store(path, &cat), 0);
    assert_int_equal(catalog_file_load(path, &again, &err), 0);
    assert_int_equal(again.count, 5);
    catalog_free(&again);
    catalog_free(&cat);
    DeleteFileW(path);
}

static void malformed_file_fails_to_load_with_its_line(void **state)
{
    (void)state;
    WCHAR path[MAX_PATH];
    temp_path(path, L"bad.catalog");
    HANDLE f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(f != INVALID_HANDLE_VALUE);
    const char *text = HEAD GOOD "entry\t{oops}\n";
    DWORD wrote;
    assert_true(WriteFile(f, text, (DWORD)strlen(text), &wrote, NULL));
    CloseHandle(f);
    catalog cat;
    catalog_error err;
    assert_int_equal(catalog_file_load(path, &cat, &err), WSASYSCALLFAILURE);
    assert_int_equal(err.line, 4);
    assert_int_equal(cat.count, 0);
    DeleteFileW(path);
}

typedef struct lock_race {
    const WCHAR *path;
    HANDLE taken, release;
    volatile LONG letting_go; /* set by the holder just before it unlocks */
} lock_race;

static DWORD WINAPI hold_lock(LPVOID arg)
{
    lock_race *r = arg;
    HANDLE lock = catalog_file_lock(r->path);
    SetEvent(r->taken);
    WaitForSingleObject(r->release, INFINITE);
    Sleep(50);
    InterlockedExchange(&r->letting_go, 1);
    catalog_file_unlock(lock);
    return lock != INVALID_HANDLE_VALUE ? 0 : 1;
}

static void lock_excludes_a_second_holder(void **state)
{
    (void)state;
    WCHAR path[MAX_PATH];
    temp_path(path, L"locked.catalog");
    lock_race r = {path, CreateEventW(NULL, TRUE, FALSE, NULL), CreateEventW(NULL, TRUE, FALSE, NULL), 0};
    HANDLE t = CreateThread(NULL, 0, hold_lock, &r, 0, NULL);
    assert_int_equal(WaitForSingleObject(r.taken, 5000), WAIT_OBJECT_0);
    SetEvent(r.release);
    /* Only after the holder lets go does this one get it. */
    HANDLE mine = catalog_file_lock(path);
    assert_true(mine != INVALID_HANDLE_VALUE);
    /* The holder had let go (its thread may still be on its way out). */
    assert_int_equal(InterlockedCompareExchange(&r.letting_go, 0, 0), 1);
    catalog_file_unlock(mine);
    assert_int_equal(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    DWORD code = 1;
    GetExitCodeThread(t, &code);
    assert_int_equal(code, 0);
    CloseHandle(t);
    CloseHandle(r.taken);
    CloseHandle(r.release);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base_entries_are_tcp_udp_and_raw_over_both_families),
        cmocka_unit_test(format_then_parse_is_identity),
        cmocka_unit_test(malformed_input_names_the_line),
        cmocka_unit_test(truncated_file_names_the_cut_line),
        cmocka_unit_test(missing_file_is_created_with_base_entries),
        cmocka_unit_test(malformed_file_fails_to_load_with_its_line),
        cmocka_unit_test(lock_excludes_a_second_holder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

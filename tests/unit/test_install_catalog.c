/* The installer's catalog reader (src/install/catalog_io.c), natively over
 * the Windows stand-ins of tests/support/win: what it makes of protocol
 * names the planner's entries cannot hold as they are. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "install.h"
#include "win_shim.h"

static WSAPROTOCOL_INFOW *one_entry_named(WCHAR unit, size_t count)
{
    /* catalog_read copies it into a buffer of its exact size: ASan sees any
     * read past it. */
    WSAPROTOCOL_INFOW *info = calloc(1, sizeof *info);
    assert_non_null(info);
    info->dwCatalogEntryId = 1001;
    info->ProtocolChain.ChainLen = BASE_PROTOCOL;
    for (size_t i = 0; i < count; i++)
        info->szProtocol[i] = unit;
    return info;
}

static void read_one(const WSAPROTOCOL_INFOW *info, install_catalog *cat)
{
    win_shim_set_catalog(info, 1, 0);
    assert_int_equal(catalog_read(cat), 0);
    assert_int_equal(cat->count, 1);
    assert_non_null(memchr(cat->entries[0].name, '\0', sizeof cat->entries[0].name));
}

/* Found by fuzz_install_catalog: a szProtocol that fills its array with no
 * NUL was read past its end. */
static void a_name_without_nul_is_read_inside_its_array(void **state)
{
    (void)state;
    WSAPROTOCOL_INFOW *info = one_entry_named(L'x', WSAPROTOCOL_LEN + 1);
    install_catalog cat;
    read_one(info, &cat);
    assert_int_equal(strlen(cat.entries[0].name), PLAN_NAME_MAX - 1);
    catalog_release(&cat);
    free(info);
}

/* Found by fuzz_install_catalog: a name whose UTF-8 is longer than the
 * planner's entry holds was left unterminated; it is cut after the last
 * whole character that fits. */
static void a_long_name_is_cut_after_a_whole_character(void **state)
{
    (void)state;
    WSAPROTOCOL_INFOW *info = one_entry_named(0x4e2d, WSAPROTOCOL_LEN); /* 3 bytes each in UTF-8 */
    install_catalog cat;
    read_one(info, &cat);
    assert_int_equal(strlen(cat.entries[0].name), 255); /* 85 characters */
    assert_memory_equal(cat.entries[0].name + 252, "\xe4\xb8\xad", 3);
    catalog_release(&cat);
    /* A surrogate pair is kept whole or left out whole. */
    for (size_t i = 0; i + 1 < WSAPROTOCOL_LEN; i += 2) {
        info->szProtocol[i] = 0xd83d;
        info->szProtocol[i + 1] = 0xde00; /* U+1F600, 4 bytes in UTF-8 */
    }
    read_one(info, &cat);
    assert_int_equal(strlen(cat.entries[0].name), 252); /* 63 characters */
    assert_memory_equal(cat.entries[0].name + 248, "\xf0\x9f\x98\x80", 4);
    catalog_release(&cat);
    free(info);
}

static void a_short_name_is_read_as_it_is(void **state)
{
    (void)state;
    WSAPROTOCOL_INFOW *info = one_entry_named(L'a', 3);
    install_catalog cat;
    read_one(info, &cat);
    assert_string_equal(cat.entries[0].name, "aaa");
    catalog_release(&cat);
    info->szProtocol[0] = 0;
    read_one(info, &cat);
    assert_string_equal(cat.entries[0].name, "");
    catalog_release(&cat);
    free(info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_name_without_nul_is_read_inside_its_array),
        cmocka_unit_test(a_long_name_is_cut_after_a_whole_character),
        cmocka_unit_test(a_short_name_is_read_as_it_is),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

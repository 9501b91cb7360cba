/* The proc table's names and the check for a missing entry. */
#include "unit.h"

#include <string.h>

#include "proctable.h"

static void dummy(void) {}

static void every_entry_set(void **state)
{
    (void)state;
    void (*table[PROCTABLE_ENTRIES])(void);
    for (size_t i = 0; i < PROCTABLE_ENTRIES; i++)
        table[i] = dummy;
    assert_null(proctable_first_missing(table));
}

static void the_first_missing_is_named(void **state)
{
    (void)state;
    void (*table[PROCTABLE_ENTRIES])(void);
    for (size_t i = 0; i < PROCTABLE_ENTRIES; i++)
        table[i] = dummy;
    table[29] = NULL;
    assert_string_equal(proctable_first_missing(table), "WSPStringToAddress");
    table[5] = NULL;
    assert_string_equal(proctable_first_missing(table), "WSPCleanup");
    table[0] = NULL;
    assert_string_equal(proctable_first_missing(table), "WSPAccept");
}

static void names_in_table_order(void **state)
{
    (void)state;
    /* Spot checks against ws2spi.h's order, and every name distinct. */
    assert_string_equal(proctable_names[2], "WSPAsyncSelect");
    assert_string_equal(proctable_names[11], "WSPGetOverlappedResult");
    assert_string_equal(proctable_names[16], "WSPIoctl");
    assert_string_equal(proctable_names[22], "WSPSelect");
    assert_string_equal(proctable_names[28], "WSPSocket");
    for (size_t i = 0; i < PROCTABLE_ENTRIES; i++) {
        assert_true(strncmp(proctable_names[i], "WSP", 3) == 0);
        for (size_t k = i + 1; k < PROCTABLE_ENTRIES; k++)
            assert_true(strcmp(proctable_names[i], proctable_names[k]) != 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_entry_set),
        cmocka_unit_test(the_first_missing_is_named),
        cmocka_unit_test(names_in_table_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

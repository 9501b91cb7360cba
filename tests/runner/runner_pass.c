/* The runner self-test's control: a Windows test that passes. */
#include "unit.h"

static void passes(void **state)
{
    (void)state;
    assert_int_equal(2 + 2, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(passes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

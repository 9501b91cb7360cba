/* The runner self-test: a Windows test that fails an assertion. The suite
 * never runs it as a test of its own; check-runner.sh proves it fails a run. */
#include "unit.h"

static void fails(void **state)
{
    (void)state;
    assert_int_equal(2 + 2, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(fails)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

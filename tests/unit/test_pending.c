/* The list of duplications into this process not used yet: a reference is
 * never replaced (a collision of the random reference keeps the first), a
 * take needs the reference and the nonce both, and takes each once. */
#include "unit.h"

#include "pending.h"

static int first, second;

static void a_taken_reference_is_refused_and_the_first_kept(void **state)
{
    (void)state;
    pending_list list;
    pending_init(&list);
    assert_int_equal(pending_add(&list, 0x1234, 0xaaaa, &first), CORE_OK);
    /* Another duplication drew the same reference. */
    assert_int_equal(pending_add(&list, 0x1234, 0xbbbb, &second), CORE_ERR_EXISTS);
    assert_null(pending_take(&list, 0x1234, 0xbbbb));
    assert_ptr_equal(pending_take(&list, 0x1234, 0xaaaa), &first);
    assert_null(pending_take_any(&list));
    pending_free(&list);
}

static void a_take_needs_both_and_works_once(void **state)
{
    (void)state;
    pending_list list;
    pending_init(&list);
    assert_int_equal(pending_add(&list, 7, 0x1111222233334444ull, &first), CORE_OK);
    assert_int_equal(pending_add(&list, 8, 0x5555, &second), CORE_OK);
    /* A wrong nonce, or a wrong reference, takes nothing and uses nothing up. */
    assert_null(pending_take(&list, 7, 0x1111222233334445ull));
    assert_null(pending_take(&list, 7, 0x5555));
    assert_null(pending_take(&list, 9, 0x1111222233334444ull));
    assert_ptr_equal(pending_take(&list, 7, 0x1111222233334444ull), &first);
    assert_null(pending_take(&list, 7, 0x1111222233334444ull));
    /* Once taken, the reference may be drawn again. */
    assert_int_equal(pending_add(&list, 7, 0x6666, &first), CORE_OK);
    void *a = pending_take_any(&list), *b = pending_take_any(&list);
    assert_true((a == &first && b == &second) || (a == &second && b == &first));
    assert_null(pending_take_any(&list));
    pending_free(&list);
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    pending_list list;
    pending_init(&list);
    assert_int_equal(pending_add(&list, 0, 1, &first), CORE_ERR_INVALID);
    assert_int_equal(pending_add(&list, 1, 0, &first), CORE_ERR_INVALID);
    assert_int_equal(pending_add(&list, 1, 1, NULL), CORE_ERR_INVALID);
    assert_null(pending_take_any(&list));
    /* Entries still pending are freed with the list (ASan checks). */
    assert_int_equal(pending_add(&list, 2, 2, &second), CORE_OK);
    pending_free(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_taken_reference_is_refused_and_the_first_kept),
        cmocka_unit_test(a_take_needs_both_and_works_once),
        cmocka_unit_test(bad_input_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

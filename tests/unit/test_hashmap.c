/* The hash map under the tables: exact contents after any mix of insertions
 * and removals, replacement, conditional removal, growth and shrinking. */
#include "unit.h"

#include <stdlib.h>

#include "hashmap.h"

static void *value_of(uint64_t key) { return (void *)(uintptr_t)(key * 2 + 1); }

static void put_get_remove_many(void **state)
{
    (void)state;
    enum { N = 100000 };
    hashmap map;
    hashmap_init(&map);
    /* Handle-like keys: multiples of 4, clustered. */
    for (uint64_t k = 1; k <= N; k++)
        assert_int_equal(hashmap_put(&map, k * 4, value_of(k * 4), NULL), CORE_OK);
    assert_int_equal(map.count, N);
    for (uint64_t k = 1; k <= N; k += 2)
        assert_int_equal(hashmap_remove_if(&map, k * 4, value_of(k * 4)), 1);
    assert_int_equal(map.count, N / 2);
    for (uint64_t k = 1; k <= N; k++) {
        void *expected = (k % 2) ? NULL : value_of(k * 4);
        assert_ptr_equal(hashmap_get(&map, k * 4), expected);
    }
    hashmap_free(&map);
}

static void put_replaces_and_reports_previous(void **state)
{
    (void)state;
    hashmap map;
    hashmap_init(&map);
    void *previous = (void *)1;
    assert_int_equal(hashmap_put(&map, 7, value_of(1), &previous), CORE_OK);
    assert_null(previous);
    assert_int_equal(hashmap_put(&map, 7, value_of(2), &previous), CORE_OK);
    assert_ptr_equal(previous, value_of(1));
    assert_ptr_equal(hashmap_get(&map, 7), value_of(2));
    assert_int_equal(map.count, 1);
    hashmap_free(&map);
}

static void remove_if_needs_the_same_value(void **state)
{
    (void)state;
    hashmap map;
    hashmap_init(&map);
    assert_int_equal(hashmap_put(&map, 9, value_of(9), NULL), CORE_OK);
    assert_int_equal(hashmap_remove_if(&map, 9, value_of(10)), 0);
    assert_ptr_equal(hashmap_get(&map, 9), value_of(9));
    assert_int_equal(hashmap_remove_if(&map, 8, value_of(9)), 0);
    assert_int_equal(hashmap_remove_if(&map, 9, value_of(9)), 1);
    assert_null(hashmap_get(&map, 9));
    assert_int_equal(hashmap_remove_if(&map, 9, value_of(9)), 0);
    hashmap_free(&map);
}

static void null_value_is_refused(void **state)
{
    (void)state;
    hashmap map;
    hashmap_init(&map);
    assert_int_equal(hashmap_put(&map, 1, NULL, NULL), CORE_ERR_INVALID);
    assert_int_equal(map.count, 0);
    assert_null(hashmap_get(&map, 1));
    hashmap_free(&map);
}

/* Random operations checked against a plain array: backward-shift deletion
 * must never lose an entry that sits behind a removed one. */
static void random_operations_match_reference(void **state)
{
    (void)state;
    enum { KEYS = 4096, OPS = 200000 };
    static void *reference[KEYS];
    hashmap map;
    hashmap_init(&map);
    srand(12345);
    size_t live = 0;
    for (int i = 0; i < OPS; i++) {
        uint64_t k = (uint64_t)(rand() % KEYS);
        if (rand() % 3) {
            if (reference[k] == NULL)
                live++;
            reference[k] = value_of(k + (uint64_t)i);
            assert_int_equal(hashmap_put(&map, k, reference[k], NULL), CORE_OK);
        } else {
            int removed = hashmap_remove_if(&map, k, reference[k]);
            assert_int_equal(removed, reference[k] != NULL);
            if (reference[k] != NULL)
                live--;
            reference[k] = NULL;
        }
    }
    assert_int_equal(map.count, live);
    for (uint64_t k = 0; k < KEYS; k++)
        assert_ptr_equal(hashmap_get(&map, k), reference[k]);
    hashmap_free(&map);
}

static void shrinks_after_mass_removal(void **state)
{
    (void)state;
    hashmap map;
    hashmap_init(&map);
    for (uint64_t k = 1; k <= 10000; k++)
        assert_int_equal(hashmap_put(&map, k, value_of(k), NULL), CORE_OK);
    size_t grown = map.array->capacity;
    for (uint64_t k = 1; k <= 9990; k++)
        assert_int_equal(hashmap_remove_if(&map, k, value_of(k)), 1);
    assert_true(map.array->capacity < grown / 16);
    for (uint64_t k = 9991; k <= 10000; k++)
        assert_ptr_equal(hashmap_get(&map, k), value_of(k));
    hashmap_free(&map);
}

/* A concurrent map keeps every array a reader may still probe: no
 * shrinking, and the arrays replaced by growth are kept until it is freed. */
static void concurrent_map_keeps_its_arrays(void **state)
{
    (void)state;
    hashmap map;
    hashmap_init_concurrent(&map);
    for (uint64_t k = 1; k <= 10000; k++)
        assert_int_equal(hashmap_put(&map, k, value_of(k), NULL), CORE_OK);
    hashmap_array *grown = map.array;
    size_t kept = 0, kept_capacity = 0;
    for (hashmap_array *a = map.retired; a != NULL; a = a->retired_next, kept++)
        kept_capacity += a->capacity;
    assert_int_equal(kept, 11); /* 16 .. 16384 replaced on the way to 32768 */
    assert_int_equal(kept_capacity, grown->capacity - 16);
    for (uint64_t k = 1; k <= 9990; k++)
        assert_int_equal(hashmap_remove_if(&map, k, value_of(k)), 1);
    assert_ptr_equal(map.array, grown);
    for (uint64_t k = 9991; k <= 10000; k++)
        assert_ptr_equal(hashmap_get(&map, k), value_of(k));
    assert_null(hashmap_get(&map, 5));
    hashmap_free(&map);
    assert_null(map.retired);
    assert_true(map.concurrent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(put_get_remove_many),
        cmocka_unit_test(put_replaces_and_reports_previous),
        cmocka_unit_test(remove_if_needs_the_same_value),
        cmocka_unit_test(null_value_is_refused),
        cmocka_unit_test(random_operations_match_reference),
        cmocka_unit_test(shrinks_after_mass_removal),
        cmocka_unit_test(concurrent_map_keeps_its_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

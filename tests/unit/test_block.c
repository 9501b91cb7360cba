/* The shared block: validation of untrusted blocks, the tag, the counters and
 * the descriptor count. */
#include "unit.h"

#include <string.h>

#include "block.h"

static shared_block fresh(void)
{
    shared_block b;
    block_init(&b, 42);
    return b;
}

static void fresh_block_is_valid_and_empty(void **state)
{
    (void)state;
    shared_block b = fresh();
    assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
    sharelsp_stats s;
    memset(&s, 0xff, sizeof s);
    block_stats(&b, &s);
    assert_int_equal(s.bytes_sent, 0);
    assert_int_equal(s.bytes_received, 0);
    assert_int_equal(s.calls_sent, 0);
    assert_int_equal(s.calls_received, 0);
    assert_int_equal(s.descriptors_open, 0);
    assert_int_equal(s.reserved, 0);
    size_t n = 99;
    assert_int_equal(block_get_tag(&b, NULL, 0, &n), CORE_OK);
    assert_int_equal(n, 0);
}

static void validation_rejects_each_corruption(void **state)
{
    (void)state;
    shared_block b;
    assert_int_equal(block_validate(NULL, sizeof b), CORE_ERR_INVALID);
    b = fresh();
    assert_int_equal(block_validate(&b, sizeof b - 1), CORE_ERR_INVALID);
    b = fresh(); b.magic ^= 1;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); b.version = BLOCK_VERSION + 1;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); b.size = sizeof b + 8;
    assert_int_equal(block_validate(&b, sizeof b + 64), CORE_ERR_INVALID);
    b = fresh(); b.shared_id = 0;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); b.tag_length = SHARELSP_TAG_MAX + 1;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); b.descriptors_open = BLOCK_MAX_DESCRIPTORS + 1;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); b.slot.kind = 3;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); b.slot.event_mask = 1; /* kind none with a mask */
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); b.slot.kind = SLOT_ASYNC; b.slot.event_mask = 1; b.slot.owner_pid = 5;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID); /* no window */
    b.slot.window = 0x10;
    assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
    b.slot.event_mask = 0x400; /* not one of the ten events */
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); b.slot.kind = SLOT_EVENT; b.slot.event_mask = 2; b.slot.owner_pid = 5;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID); /* no event */
    b.slot.event = 0x20;
    assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
    b.slot.owner_pid = 0;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
}

static void tag_set_and_get(void **state)
{
    (void)state;
    shared_block b = fresh();
    uint8_t tag[SHARELSP_TAG_MAX];
    for (size_t i = 0; i < sizeof tag; i++)
        tag[i] = (uint8_t)(i + 1);
    assert_int_equal(block_set_tag(&b, tag, sizeof tag), CORE_OK);
    uint8_t out[SHARELSP_TAG_MAX + 4];
    size_t n = 0;
    assert_int_equal(block_get_tag(&b, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, SHARELSP_TAG_MAX);
    assert_memory_equal(out, tag, sizeof tag);

    /* Too long: refused, the old tag stays. */
    uint8_t too_long[SHARELSP_TAG_MAX + 1] = {0};
    assert_int_equal(block_set_tag(&b, too_long, sizeof too_long), CORE_ERR_INVALID);
    assert_int_equal(block_set_tag(&b, NULL, 3), CORE_ERR_INVALID);
    assert_int_equal(block_get_tag(&b, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, SHARELSP_TAG_MAX);
    assert_memory_equal(out, tag, sizeof tag);

    /* A short buffer: refused, told the size needed, buffer untouched. */
    memset(out, 0xcc, sizeof out);
    assert_int_equal(block_get_tag(&b, out, 10, &n), CORE_ERR_SHORT_BUFFER);
    assert_int_equal(n, SHARELSP_TAG_MAX);
    assert_int_equal(out[0], 0xcc);

    /* A shorter tag replaces the whole of the longer one. */
    assert_int_equal(block_set_tag(&b, "abc", 3), CORE_OK);
    assert_int_equal(block_get_tag(&b, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_memory_equal(out, "abc", 3);
    assert_int_equal(b.tag[3], 0);

    assert_int_equal(block_set_tag(&b, NULL, 0), CORE_OK);
    assert_int_equal(block_get_tag(&b, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(block_get_tag(&b, out, sizeof out, NULL), CORE_ERR_INVALID);
}

static void corrupt_tag_length_never_overreads(void **state)
{
    (void)state;
    shared_block b = fresh();
    b.tag_length = 1000; /* written by a misbehaving process after validation */
    uint8_t out[SHARELSP_TAG_MAX];
    size_t n = 0;
    assert_int_equal(block_get_tag(&b, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, SHARELSP_TAG_MAX);
}

static void counters_add_up(void **state)
{
    (void)state;
    shared_block b = fresh();
    block_count_send(&b, 100);
    block_count_send(&b, 0);
    block_count_receive(&b, 7);
    sharelsp_stats s;
    block_stats(&b, &s);
    assert_int_equal(s.bytes_sent, 100);
    assert_int_equal(s.calls_sent, 2);
    assert_int_equal(s.bytes_received, 7);
    assert_int_equal(s.calls_received, 1);
}

static void descriptor_count_never_goes_below_zero(void **state)
{
    (void)state;
    shared_block b = fresh();
    assert_int_equal(block_descriptor_added(&b), 1);
    assert_int_equal(block_descriptor_added(&b), 2);
    assert_int_equal(block_descriptor_removed(&b), 1);
    assert_int_equal(block_descriptor_removed(&b), 0);
    assert_int_equal(block_descriptor_removed(&b), 0);
}

static void shared_ids_are_unique_and_nonzero(void **state)
{
    (void)state;
    uint64_t a = block_new_shared_id(), b = block_new_shared_id();
    assert_true(a != 0);
    assert_true(b != 0);
    assert_true(a != b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fresh_block_is_valid_and_empty),
        cmocka_unit_test(validation_rejects_each_corruption),
        cmocka_unit_test(tag_set_and_get),
        cmocka_unit_test(corrupt_tag_length_never_overreads),
        cmocka_unit_test(counters_add_up),
        cmocka_unit_test(descriptor_count_never_goes_below_zero),
        cmocka_unit_test(shared_ids_are_unique_and_nonzero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

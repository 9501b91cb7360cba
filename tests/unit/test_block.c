/* The shared block: validation of untrusted blocks, the tag, the counters and
 * the descriptor count. */
#include "unit.h"

#include <string.h>

#include "block.h"
#include "slot.h"

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

/* Makes r the block's current slot record, as a writer in another process
 * would, whatever it holds. */
static void plant_slot(shared_block *b, slot_record r)
{
    r.generation = 1;
    b->slots[0] = r;
    b->slot.state[0] = (1u << 2) | BLOCK_RECORD_READY;
    b->slot.current = block_current_word(0, 1);
}

static void plant_tag_length(shared_block *b, uint32_t length)
{
    b->tags[2].length = length;
    b->tag.state[2] = (7u << 2) | BLOCK_RECORD_READY;
    b->tag.current = block_current_word(2, 7);
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
    b = fresh(); plant_tag_length(&b, SHARELSP_TAG_MAX + 1);
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); plant_tag_length(&b, SHARELSP_TAG_MAX);
    assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
    b = fresh(); b.descriptors_open = BLOCK_MAX_DESCRIPTORS + 1;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    slot_record r = {0};
    b = fresh(); r.kind = 3; plant_slot(&b, r);
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); r.kind = SLOT_NONE; r.event_mask = 1; plant_slot(&b, r); /* kind none with a mask */
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); r.kind = SLOT_ASYNC; r.event_mask = 1; r.owner_pid = 5; plant_slot(&b, r);
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID); /* no window */
    r.window = 0x10; plant_slot(&b, r);
    assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
    r.event_mask = 0x400; plant_slot(&b, r); /* not one of the ten events */
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    memset(&r, 0, sizeof r);
    b = fresh(); r.kind = SLOT_EVENT; r.event_mask = 2; r.owner_pid = 5; plant_slot(&b, r);
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID); /* no event */
    r.event = 0x20; plant_slot(&b, r);
    assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
    r.owner_pid = 0; plant_slot(&b, r);
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    /* A current record that is not ready, or out of range: the block
     * contradicts itself. */
    r.owner_pid = 5; plant_slot(&b, r);
    b.slot.state[0] = BLOCK_RECORD_WRITING;
    assert_int_equal(block_validate(&b, sizeof b), CORE_ERR_INVALID);
    b = fresh(); b.tag.current = block_current_word(BLOCK_RECORDS, 3);
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
    assert_int_equal(b.tags[block_current_index(b.tag.current)].bytes[3], 0);

    assert_int_equal(block_set_tag(&b, NULL, 0), CORE_OK);
    assert_int_equal(block_get_tag(&b, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(block_get_tag(&b, out, sizeof out, NULL), CORE_ERR_INVALID);
}

static void corrupt_tag_length_never_overreads(void **state)
{
    (void)state;
    shared_block b = fresh();
    plant_tag_length(&b, 1000); /* written by a misbehaving process after validation */
    uint8_t out[SHARELSP_TAG_MAX];
    size_t n = 0;
    assert_int_equal(block_get_tag(&b, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, SHARELSP_TAG_MAX);
}

/* Writers stopped in the middle of an update (killed or suspended after
 * claiming a record) hold only their record: the tag reads and is replaced
 * as before, until every record is held, when replacing it fails and the
 * last tag still reads. */
static void stopped_tag_writers_stop_nobody(void **state)
{
    (void)state;
    shared_block b = fresh();
    assert_int_equal(block_set_tag(&b, "first", 5), CORE_OK);
    uint64_t sequence = 0;
    int stopped = block_claim(&b.tag, &sequence); /* stopped before it wrote */
    assert_true(stopped >= 0);
    char out[SHARELSP_TAG_MAX];
    size_t n = 0;
    assert_int_equal(block_get_tag(&b, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "first", 5);
    assert_int_equal(block_set_tag(&b, "second", 6), CORE_OK);
    int ready = block_claim(&b.tag, &sequence); /* stopped before it published */
    block_ready(&b.tag, ready, sequence);
    assert_int_equal(block_get_tag(&b, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "second", 6);
    assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
    /* Five more stopped writers: the current tag holds the last record. */
    for (int i = 0; i < BLOCK_RECORDS - 3; i++)
        assert_true(block_claim(&b.tag, &sequence) >= 0);
    assert_true(block_claim(&b.tag, &sequence) < 0);
    assert_int_equal(block_set_tag(&b, "third", 5), CORE_ERR_NO_MEMORY);
    assert_int_equal(block_get_tag(&b, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "second", 6);
    /* A writer that published and stopped before freeing the record it
     * replaced holds that one record; the value is its own. */
    shared_block c = fresh();
    assert_int_equal(block_set_tag(&c, "old", 3), CORE_OK);
    uint64_t before = c.tag.current;
    int index = block_claim(&c.tag, &sequence);
    block_ready(&c.tag, index, sequence);
    c.tag.current = block_current_word(index, sequence); /* published, old record not freed */
    assert_true(c.tag.state[block_current_index(before)] != BLOCK_RECORD_FREE);
    assert_int_equal(block_set_tag(&c, "new", 3), CORE_OK);
    assert_int_equal(block_get_tag(&c, out, sizeof out, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_memory_equal(out, "new", 3);
}

/* Found by fuzz_block: a block whose sequence counter another process set
 * beyond what a current word holds (60 bits) accepted an update that then
 * read back as empty, so a registration was lost as soon as it was made. */
static void an_update_reads_back_whatever_the_sequence_counter(void **state)
{
    (void)state;
    static const uint64_t counters[] = {0x1234000000050000ull, UINT64_MAX - 1, (1ull << 60) - 1};
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        shared_block b = fresh();
        b.tag.sequence = counters[i];
        b.slot.sequence = counters[i];
        assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
        assert_int_equal(block_set_tag(&b, "abc", 3), CORE_OK);
        char tag[SHARELSP_TAG_MAX];
        size_t length = 0;
        assert_int_equal(block_get_tag(&b, tag, sizeof tag, &length), CORE_OK);
        assert_int_equal(length, 3);
        slot_registration reg = {.kind = SLOT_EVENT, .event_mask = 1, .descriptor = 0x104, .event = 0x2a8};
        uint64_t generation = 0;
        assert_int_equal(slot_register(&b, &reg, NULL, &generation), CORE_OK);
        assert_true(slot_is_current(&b, generation));
        slot_record now;
        slot_snapshot(&b, &now);
        assert_int_equal(now.kind, SLOT_EVENT);
        assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
    }
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

/* A layer's words start at zero and move with the block (a socket's first
 * duplication moves it into a section), counters aside. */
static void layer_words_start_empty_and_move_with_the_block(void **state)
{
    (void)state;
    shared_block b = fresh();
    for (int i = 0; i < SHARELSP_LAYER_WORDS; i++)
        assert_int_equal(b.layer[i], 0);
    b.layer[0] = 7;
    b.layer[SHARELSP_LAYER_WORDS - 1] = UINT64_C(0x0123456789abcdef);
    block_count_send(&b, 5);
    shared_block moved;
    memset(&moved, 0, sizeof moved);
    block_copy_state(&moved, &b);
    assert_int_equal(moved.layer[0], 7);
    assert_int_equal(moved.layer[SHARELSP_LAYER_WORDS - 1], UINT64_C(0x0123456789abcdef));
    assert_int_equal(moved.bytes_sent, 0);
    assert_int_equal(block_validate(&moved, sizeof moved), CORE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fresh_block_is_valid_and_empty),
        cmocka_unit_test(validation_rejects_each_corruption),
        cmocka_unit_test(tag_set_and_get),
        cmocka_unit_test(corrupt_tag_length_never_overreads),
        cmocka_unit_test(stopped_tag_writers_stop_nobody),
        cmocka_unit_test(an_update_reads_back_whatever_the_sequence_counter),
        cmocka_unit_test(counters_add_up),
        cmocka_unit_test(descriptor_count_never_goes_below_zero),
        cmocka_unit_test(shared_ids_are_unique_and_nonzero),
        cmocka_unit_test(layer_words_start_empty_and_move_with_the_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The registration slot: one registration per socket, replaced by any
 * descriptor in both directions, cancelled by a zero mask, and a generation
 * that tells late notifications apart (rules R5, R6). */
#include "unit.h"

#include <string.h>

#include "platform.h"
#include "slot.h"

enum { FD_READ_BIT = 0x01, FD_WRITE_BIT = 0x02, FD_CLOSE_BIT = 0x20 };
enum { DESC_A = 0x104, DESC_B = 0x108 };

static slot_registration async_reg(uint64_t desc, uint32_t mask)
{
    slot_registration r = {.kind = SLOT_ASYNC, .event_mask = mask, .descriptor = desc,
                           .window = 0x10010, .message = 0x401};
    return r;
}

static slot_registration event_reg(uint64_t desc, uint32_t mask)
{
    slot_registration r = {.kind = SLOT_EVENT, .event_mask = mask, .descriptor = desc, .event = 0x2c};
    return r;
}

static void async_then_event_replaces(void **state)
{
    (void)state;
    shared_block b;
    block_init(&b, 1);
    slot_record replaced;
    uint64_t g1 = 0, g2 = 0;
    slot_registration a = async_reg(DESC_A, FD_READ_BIT);
    assert_int_equal(slot_register(&b, &a, &replaced, &g1), CORE_OK);
    assert_int_equal(replaced.kind, SLOT_NONE);
    assert_int_equal(g1, 1);

    slot_registration e = event_reg(DESC_B, FD_WRITE_BIT);
    assert_int_equal(slot_register(&b, &e, &replaced, &g2), CORE_OK);
    assert_int_equal(g2, 2);
    assert_int_equal(replaced.kind, SLOT_ASYNC);
    assert_int_equal(replaced.descriptor, DESC_A);
    assert_int_equal(replaced.event_mask, FD_READ_BIT);
    assert_int_equal(replaced.window, 0x10010);
    assert_int_equal(replaced.message, 0x401);
    assert_int_equal(replaced.generation, 1);

    slot_record now;
    slot_snapshot(&b, &now);
    assert_int_equal(now.kind, SLOT_EVENT);
    assert_int_equal(now.descriptor, DESC_B);
    assert_int_equal(now.event_mask, FD_WRITE_BIT);
    assert_int_equal(now.event, 0x2c);
    assert_int_equal(now.window, 0);
    assert_int_equal(now.owner_pid, plat_process_id());
    assert_int_equal(now.generation, 2);
    assert_false(slot_is_current(&b, g1));
    assert_true(slot_is_current(&b, g2));
    assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
}

static void event_then_async_replaces(void **state)
{
    (void)state;
    shared_block b;
    block_init(&b, 1);
    slot_record replaced;
    slot_registration e = event_reg(DESC_A, FD_READ_BIT | FD_CLOSE_BIT);
    assert_int_equal(slot_register(&b, &e, NULL, NULL), CORE_OK);
    slot_registration a = async_reg(DESC_B, FD_WRITE_BIT);
    assert_int_equal(slot_register(&b, &a, &replaced, NULL), CORE_OK);
    assert_int_equal(replaced.kind, SLOT_EVENT);
    assert_int_equal(replaced.descriptor, DESC_A);
    assert_int_equal(replaced.event_mask, FD_READ_BIT | FD_CLOSE_BIT);
    assert_int_equal(replaced.event, 0x2c);
    slot_record now;
    slot_snapshot(&b, &now);
    assert_int_equal(now.kind, SLOT_ASYNC);
    assert_int_equal(now.descriptor, DESC_B);
    assert_int_equal(now.event, 0);
}

static void zero_mask_cancels(void **state)
{
    (void)state;
    shared_block b;
    block_init(&b, 1);
    slot_registration a = async_reg(DESC_A, FD_READ_BIT);
    assert_int_equal(slot_register(&b, &a, NULL, NULL), CORE_OK);
    slot_registration cancel = async_reg(DESC_B, 0);
    cancel.window = 0; /* ignored for a cancellation */
    slot_record replaced;
    uint64_t g = 0;
    assert_int_equal(slot_register(&b, &cancel, &replaced, &g), CORE_OK);
    assert_int_equal(replaced.kind, SLOT_ASYNC);
    assert_int_equal(g, 2);
    slot_record now;
    slot_snapshot(&b, &now);
    assert_int_equal(now.kind, SLOT_NONE);
    assert_int_equal(now.event_mask, 0);
    assert_int_equal(now.window, 0);
    assert_int_equal(now.descriptor, 0);
    assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
}

static void invalid_registration_changes_nothing(void **state)
{
    (void)state;
    shared_block b;
    block_init(&b, 1);
    slot_registration good = event_reg(DESC_A, FD_READ_BIT);
    assert_int_equal(slot_register(&b, &good, NULL, NULL), CORE_OK);
    slot_record before;
    slot_snapshot(&b, &before);

    slot_registration bad = async_reg(DESC_B, 0x400);
    assert_int_equal(slot_register(&b, &bad, NULL, NULL), CORE_ERR_INVALID);
    bad = async_reg(DESC_B, FD_READ_BIT);
    bad.window = 0;
    assert_int_equal(slot_register(&b, &bad, NULL, NULL), CORE_ERR_INVALID);
    bad = event_reg(DESC_B, FD_READ_BIT);
    bad.event = 0;
    assert_int_equal(slot_register(&b, &bad, NULL, NULL), CORE_ERR_INVALID);
    bad = event_reg(DESC_B, FD_READ_BIT);
    bad.kind = (slot_kind)9;
    assert_int_equal(slot_register(&b, &bad, NULL, NULL), CORE_ERR_INVALID);
    assert_int_equal(slot_register(&b, NULL, NULL, NULL), CORE_ERR_INVALID);
    assert_int_equal(slot_register(NULL, &good, NULL, NULL), CORE_ERR_INVALID);

    slot_record after;
    slot_snapshot(&b, &after);
    assert_memory_equal(&before, &after, sizeof before);
    assert_true(slot_is_current(&b, before.generation));
}

static void cancel_for_descriptor_only_touches_its_own(void **state)
{
    (void)state;
    shared_block b;
    block_init(&b, 1);
    slot_registration a = async_reg(DESC_A, FD_READ_BIT);
    uint64_t g = 0;
    assert_int_equal(slot_register(&b, &a, NULL, &g), CORE_OK);
    slot_record replaced;
    assert_false(slot_cancel_for_descriptor(&b, DESC_B, &replaced));
    assert_true(slot_is_current(&b, g));
    assert_true(slot_cancel_for_descriptor(&b, DESC_A, &replaced));
    assert_int_equal(replaced.kind, SLOT_ASYNC);
    assert_false(slot_is_current(&b, g));
    slot_record now;
    slot_snapshot(&b, &now);
    assert_int_equal(now.kind, SLOT_NONE);
    /* Another process's registration through a handle of the same value is
     * not this process's to cancel. */
    assert_int_equal(slot_register(&b, &a, NULL, NULL), CORE_OK);
    b.slots[block_current_index(b.slot.current)].owner_pid ^= 0x40000000u;
    assert_false(slot_cancel_for_descriptor(&b, DESC_A, &replaced));
}

/* A failed lower registration puts back what it replaced, unless something
 * newer stands by then. */
static void undo_puts_back_the_replaced_registration(void **state)
{
    (void)state;
    shared_block b;
    block_init(&b, 1);
    slot_registration a = async_reg(DESC_A, FD_READ_BIT);
    a.notice = 0x8123;
    assert_int_equal(slot_register(&b, &a, NULL, NULL), CORE_OK);
    slot_registration e = event_reg(DESC_B, FD_WRITE_BIT);
    slot_record replaced;
    uint64_t g = 0;
    assert_int_equal(slot_register(&b, &e, &replaced, &g), CORE_OK);
    assert_true(slot_undo(&b, g, &replaced));
    slot_record now;
    slot_snapshot(&b, &now);
    assert_int_equal(now.kind, SLOT_ASYNC);
    assert_int_equal(now.descriptor, DESC_A);
    assert_int_equal(now.notice, 0x8123);
    assert_false(slot_is_current(&b, g));
    /* Newer than the failed one: left standing. */
    assert_int_equal(slot_register(&b, &e, &replaced, &g), CORE_OK);
    slot_registration newer = event_reg(DESC_A, FD_CLOSE_BIT);
    uint64_t gn = 0;
    assert_int_equal(slot_register(&b, &newer, NULL, &gn), CORE_OK);
    assert_false(slot_undo(&b, g, &replaced));
    assert_true(slot_is_current(&b, gn));
    /* Undoing the first registration of a socket empties the slot. */
    shared_block c;
    block_init(&c, 2);
    assert_int_equal(slot_register(&c, &a, &replaced, &g), CORE_OK);
    assert_true(slot_undo(&c, g, &replaced));
    slot_snapshot(&c, &now);
    assert_int_equal(now.kind, SLOT_NONE);
}

/* Writers stopped in an update (a process killed or suspended there) hold
 * their record only: the slot reads, is replaced and is cancelled as before;
 * with every record held, registering fails and the last one stands. */
static void stopped_slot_writers_stop_nobody(void **state)
{
    (void)state;
    shared_block b;
    block_init(&b, 1);
    slot_registration a = async_reg(DESC_A, FD_READ_BIT);
    uint64_t ga = 0;
    assert_int_equal(slot_register(&b, &a, NULL, &ga), CORE_OK);
    uint64_t sequence = 0;
    assert_true(block_claim(&b.slot, &sequence) >= 0); /* stopped half-way */
    assert_true(slot_is_current(&b, ga));
    slot_record now;
    slot_snapshot(&b, &now);
    assert_int_equal(now.kind, SLOT_ASYNC);
    assert_int_equal(now.descriptor, DESC_A);
    slot_registration e = event_reg(DESC_B, FD_WRITE_BIT);
    assert_int_equal(slot_register(&b, &e, NULL, NULL), CORE_OK);
    slot_record replaced;
    assert_true(slot_cancel_for_descriptor(&b, DESC_B, &replaced));
    assert_int_equal(replaced.kind, SLOT_EVENT);
    assert_int_equal(slot_register(&b, &a, NULL, &ga), CORE_OK);
    for (int i = 0; i < BLOCK_RECORDS - 2; i++)
        assert_true(block_claim(&b.slot, &sequence) >= 0);
    assert_int_equal(slot_register(&b, &e, NULL, NULL), CORE_ERR_NO_MEMORY);
    assert_true(slot_is_current(&b, ga));
    /* Cancelling needs no record. */
    assert_true(slot_cancel_for_descriptor(&b, DESC_A, &replaced));
    slot_snapshot(&b, &now);
    assert_int_equal(now.kind, SLOT_NONE);
    assert_int_equal(block_validate(&b, sizeof b), CORE_OK);
}

/* A slot whose current record is not ready contradicts itself (a damaged
 * block): it reads as empty at once, and a registration replaces it. */
static void contradictory_slot_reads_empty_and_is_replaced(void **state)
{
    (void)state;
    shared_block b;
    block_init(&b, 1);
    slot_registration a = async_reg(DESC_A, FD_READ_BIT);
    assert_int_equal(slot_register(&b, &a, NULL, NULL), CORE_OK);
    b.slot.state[block_current_index(b.slot.current)] = BLOCK_RECORD_WRITING;
    slot_record now;
    slot_snapshot(&b, &now);
    assert_int_equal(now.kind, SLOT_NONE);
    assert_false(slot_cancel_for_descriptor(&b, DESC_A, &now));
    uint64_t g = 0;
    assert_int_equal(slot_register(&b, &a, NULL, &g), CORE_OK);
    assert_true(slot_is_current(&b, g));
    slot_snapshot(&b, &now);
    assert_int_equal(now.kind, SLOT_ASYNC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(async_then_event_replaces),
        cmocka_unit_test(event_then_async_replaces),
        cmocka_unit_test(zero_mask_cancels),
        cmocka_unit_test(invalid_registration_changes_nothing),
        cmocka_unit_test(cancel_for_descriptor_only_touches_its_own),
        cmocka_unit_test(undo_puts_back_the_replaced_registration),
        cmocka_unit_test(stopped_slot_writers_stop_nobody),
        cmocka_unit_test(contradictory_slot_reads_empty_and_is_replaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

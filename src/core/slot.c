#include "slot.h"

#include <string.h>

#include "platform.h"

/* The slot's value and its current word; an empty slot reads as kind
 * SLOT_NONE with the generation of the change that emptied it. */
static uint64_t slot_read(shared_block *block, slot_record *out)
{
    uint64_t current;
    if (!block_read_current(&block->slot, block->slots, sizeof *out, out, &current) ||
        block_current_index(current) == BLOCK_NO_RECORD) {
        memset(out, 0, sizeof *out);
        out->generation = block_current_sequence(current);
    }
    return current;
}

static bool slot_registration_valid(const slot_registration *reg)
{
    if (reg->event_mask == 0)
        return true; /* a cancellation: the rest is ignored */
    if ((reg->event_mask & ~SLOT_EVENT_MASK_ALL) != 0)
        return false;
    switch (reg->kind) {
    case SLOT_ASYNC:
        return reg->window != 0;
    case SLOT_EVENT:
        return reg->event != 0;
    default:
        return false;
    }
}

/* Makes next (generation aside) the slot's value if the current one is
 * still expected, or whatever it is when any is true. *replaced receives the
 * value replaced; *generation the new one. A record is claimed only for a
 * registration: an empty slot needs none. */
static core_status slot_publish(shared_block *block, const slot_record *next, bool any, uint64_t expected,
                                slot_record *replaced, uint64_t *generation)
{
    uint64_t sequence = 0;
    int index = BLOCK_NO_RECORD;
    if (next->kind != SLOT_NONE) {
        index = block_claim(&block->slot, &sequence);
        if (index < 0)
            return CORE_ERR_NO_MEMORY;
        slot_record record = *next;
        record.generation = sequence;
        block_words_store(&block->slots[index], &record, sizeof record);
        block_ready(&block->slot, index, sequence);
    } else {
        sequence = block_next_sequence(&block->slot);
    }
    for (;;) {
        slot_record was;
        uint64_t current = slot_read(block, &was);
        if (!any && current != expected) {
            if (index != BLOCK_NO_RECORD)
                block_release(&block->slot, index);
            return CORE_ERR_NOT_FOUND;
        }
        if (block_publish(&block->slot, current, block_current_word(index, sequence))) {
            if (replaced != NULL)
                *replaced = was;
            *generation = sequence;
            return CORE_OK;
        }
    }
}

core_status slot_register(shared_block *block, const slot_registration *reg, slot_record *replaced,
                          uint64_t *generation)
{
    if (block == NULL || reg == NULL || !slot_registration_valid(reg))
        return CORE_ERR_INVALID;
    slot_record next;
    memset(&next, 0, sizeof next);
    if (reg->event_mask != 0) {
        next.kind = (uint32_t)reg->kind;
        next.owner_pid = plat_process_id();
        next.event_mask = reg->event_mask;
        next.descriptor = reg->descriptor;
        if (reg->kind == SLOT_ASYNC) {
            next.window = reg->window;
            next.message = reg->message;
            next.notice = reg->notice;
        } else {
            next.event = reg->event;
        }
    }
    uint64_t g = 0;
    core_status st = slot_publish(block, &next, true, 0, replaced, &g);
    if (st == CORE_OK && generation != NULL)
        *generation = g;
    return st;
}

bool slot_undo(shared_block *block, uint64_t generation, const slot_record *replaced)
{
    slot_record now;
    uint64_t current = slot_read(block, &now);
    if (now.generation != generation)
        return false;
    uint64_t g = 0;
    return slot_publish(block, replaced, false, current, NULL, &g) == CORE_OK;
}

bool slot_cancel_for_descriptor(shared_block *block, uint64_t descriptor, slot_record *replaced)
{
    for (;;) {
        slot_record now;
        uint64_t current = slot_read(block, &now);
        if (now.kind == SLOT_NONE || now.descriptor != descriptor || now.owner_pid != plat_process_id())
            return false;
        slot_record none;
        memset(&none, 0, sizeof none);
        uint64_t g = 0;
        if (slot_publish(block, &none, false, current, replaced, &g) == CORE_OK)
            return true;
    }
}

void slot_snapshot(shared_block *block, slot_record *out) { slot_read(block, out); }

bool slot_is_current(shared_block *block, uint64_t generation)
{
    slot_record now;
    slot_read(block, &now);
    return now.generation == generation;
}

#include "slot.h"

#include <string.h>

#include "platform.h"

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

/* With the block locked: installs next and returns its generation. The
 * generation is written field by field and last, atomically, because
 * slot_is_current reads it without the lock. */
static uint64_t slot_replace_locked(shared_block *block, const slot_record *next, slot_record *replaced)
{
    slot_record *slot = &block->slot;
    if (replaced != NULL)
        *replaced = *slot;
    slot->kind = next->kind;
    slot->owner_pid = next->owner_pid;
    slot->event_mask = next->event_mask;
    slot->message = next->message;
    slot->descriptor = next->descriptor;
    slot->window = next->window;
    slot->event = next->event;
    uint64_t generation = slot->generation + 1;
    plat_atomic_store64(&slot->generation, generation);
    return generation;
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
        } else {
            next.event = reg->event;
        }
    }
    block_lock(block);
    uint64_t g = slot_replace_locked(block, &next, replaced);
    block_unlock(block);
    if (generation != NULL)
        *generation = g;
    return CORE_OK;
}

bool slot_cancel_for_descriptor(shared_block *block, uint64_t descriptor, slot_record *replaced)
{
    bool cancelled = false;
    block_lock(block);
    if (block->slot.kind != SLOT_NONE && block->slot.descriptor == descriptor &&
        block->slot.owner_pid == plat_process_id()) {
        slot_record none;
        memset(&none, 0, sizeof none);
        slot_replace_locked(block, &none, replaced);
        cancelled = true;
    }
    block_unlock(block);
    return cancelled;
}

void slot_snapshot(shared_block *block, slot_record *out)
{
    block_lock(block);
    *out = block->slot;
    block_unlock(block);
}

bool slot_is_current(shared_block *block, uint64_t generation)
{
    return plat_atomic_load64(&block->slot.generation) == generation;
}

#include "block.h"

#include <string.h>

#include "platform.h"

/* How long to spin on a held block lock before yielding the processor. */
enum { BLOCK_SPINS_BEFORE_YIELD = 64 };

void block_init(shared_block *block, uint64_t shared_id)
{
    memset(block, 0, sizeof *block);
    block->magic = BLOCK_MAGIC;
    block->version = BLOCK_VERSION;
    block->size = (uint32_t)sizeof *block;
    block->shared_id = shared_id;
}

static int slot_record_valid(const slot_record *slot)
{
    switch (slot->kind) {
    case SLOT_NONE:
        return slot->event_mask == 0 && slot->window == 0 && slot->event == 0;
    case SLOT_ASYNC:
        return slot->event_mask != 0 && (slot->event_mask & ~SLOT_EVENT_MASK_ALL) == 0 &&
               slot->owner_pid != 0 && slot->window != 0 && slot->event == 0;
    case SLOT_EVENT:
        return slot->event_mask != 0 && (slot->event_mask & ~SLOT_EVENT_MASK_ALL) == 0 &&
               slot->owner_pid != 0 && slot->event != 0 && slot->window == 0;
    default:
        return 0;
    }
}

core_status block_validate(const shared_block *block, size_t mapped_size)
{
    if (block == NULL || mapped_size < sizeof *block)
        return CORE_ERR_INVALID;
    /* Read each field once into a local: the other side may be writing. */
    shared_block copy;
    memcpy(&copy, block, sizeof copy);
    if (copy.magic != BLOCK_MAGIC || copy.version != BLOCK_VERSION || copy.size != sizeof copy)
        return CORE_ERR_INVALID;
    if (copy.shared_id == 0 || copy.tag_length > SHARELSP_TAG_MAX ||
        copy.descriptors_open > BLOCK_MAX_DESCRIPTORS)
        return CORE_ERR_INVALID;
    /* A slot is only ever seen mid-update with the lock held. */
    if (copy.lock == 0 && !slot_record_valid(&copy.slot))
        return CORE_ERR_INVALID;
    return CORE_OK;
}

void block_lock(shared_block *block)
{
    uint32_t self = plat_process_id();
    for (unsigned spins = 0; !plat_atomic_cas32(&block->lock, 0, self); spins++) {
        if (spins >= BLOCK_SPINS_BEFORE_YIELD)
            plat_yield();
    }
}

void block_unlock(shared_block *block) { plat_atomic_store32(&block->lock, 0); }

core_status block_set_tag(shared_block *block, const void *tag, size_t length)
{
    if (length > SHARELSP_TAG_MAX || (tag == NULL && length != 0))
        return CORE_ERR_INVALID;
    block_lock(block);
    if (length != 0)
        memcpy(block->tag, tag, length);
    memset(block->tag + length, 0, SHARELSP_TAG_MAX - length);
    block->tag_length = (uint32_t)length;
    block_unlock(block);
    return CORE_OK;
}

core_status block_get_tag(shared_block *block, void *buffer, size_t capacity, size_t *length)
{
    if (length == NULL || (buffer == NULL && capacity != 0))
        return CORE_ERR_INVALID;
    core_status st = CORE_OK;
    block_lock(block);
    size_t n = block->tag_length;
    if (n > SHARELSP_TAG_MAX) /* another process wrote nonsense: never overread */
        n = SHARELSP_TAG_MAX;
    if (capacity < n)
        st = CORE_ERR_SHORT_BUFFER;
    else if (n != 0)
        memcpy(buffer, block->tag, n);
    block_unlock(block);
    *length = n;
    return st;
}

void block_count_send(shared_block *block, uint64_t bytes)
{
    plat_atomic_add64(&block->bytes_sent, (int64_t)bytes);
    plat_atomic_add64(&block->calls_sent, 1);
}

void block_count_receive(shared_block *block, uint64_t bytes)
{
    plat_atomic_add64(&block->bytes_received, (int64_t)bytes);
    plat_atomic_add64(&block->calls_received, 1);
}

void block_stats(shared_block *block, sharelsp_stats *stats)
{
    stats->bytes_sent = plat_atomic_load64(&block->bytes_sent);
    stats->bytes_received = plat_atomic_load64(&block->bytes_received);
    stats->calls_sent = plat_atomic_load64(&block->calls_sent);
    stats->calls_received = plat_atomic_load64(&block->calls_received);
    stats->descriptors_open = plat_atomic_load32(&block->descriptors_open);
    stats->reserved = 0;
}

uint32_t block_descriptor_added(shared_block *block) { return plat_atomic_add32(&block->descriptors_open, 1); }

uint32_t block_descriptor_removed(shared_block *block)
{
    for (;;) {
        uint32_t n = plat_atomic_load32(&block->descriptors_open);
        if (n == 0)
            return 0;
        if (plat_atomic_cas32(&block->descriptors_open, n, n - 1))
            return n - 1;
    }
}

uint64_t block_new_shared_id(void)
{
    static volatile uint32_t counter;
    uint32_t n = plat_atomic_add32(&counter, 1);
    return ((uint64_t)plat_process_id() << 32) | n;
}

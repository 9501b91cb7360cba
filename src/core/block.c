#include "block.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

/* A 64-bit and a 32-bit process map one block (sharing across bitness): its
 * layout is fixed-width fields at fixed offsets, the same whatever the
 * pointer size or the compiler's alignment of the build. A change of the
 * layout changes these and BLOCK_VERSION together. */
_Static_assert(sizeof(slot_record) == 56, "slot_record layout");
_Static_assert(sizeof(block_publication) == 80, "block_publication layout");
_Static_assert(offsetof(shared_block, shared_id) == 16, "shared_block layout");
_Static_assert(offsetof(shared_block, bytes_sent) == 32, "shared_block layout");
_Static_assert(offsetof(shared_block, tag) == 64, "shared_block layout");
_Static_assert(offsetof(shared_block, slots) == 800, "shared_block layout");
_Static_assert(offsetof(shared_block, layer) == 1248, "shared_block layout");
_Static_assert(sizeof(shared_block) == 1376, "shared_block layout");

_Static_assert(sizeof(slot_record) % sizeof(uint64_t) == 0, "slot records copy in 64-bit words");
_Static_assert(sizeof(tag_record) % sizeof(uint64_t) == 0, "tag records copy in 64-bit words");

static uint64_t record_ready(uint64_t sequence) { return (sequence << 2) | BLOCK_RECORD_READY; }
int block_current_index(uint64_t current) { return (int)(current & 0xf); }
uint64_t block_current_sequence(uint64_t current) { return current >> 4; }
uint64_t block_current_word(int index, uint64_t sequence) { return (sequence << 4) | (uint64_t)index; }

static void publication_init(block_publication *pub)
{
    pub->current = block_current_word(BLOCK_NO_RECORD, 0);
}

void block_init(shared_block *block, uint64_t shared_id)
{
    memset(block, 0, sizeof *block);
    block->magic = BLOCK_MAGIC;
    block->version = BLOCK_VERSION;
    block->size = (uint32_t)sizeof *block;
    block->shared_id = shared_id;
    publication_init(&block->tag);
    publication_init(&block->slot);
}

static void words_load(void *to, const void *from, size_t size)
{
    for (size_t i = 0; i < size / sizeof(uint64_t); i++)
        ((uint64_t *)to)[i] = plat_atomic_load64((volatile uint64_t *)from + i);
}

void block_words_store(void *to, const void *from, size_t size)
{
    for (size_t i = 0; i < size / sizeof(uint64_t); i++)
        plat_atomic_store64((volatile uint64_t *)to + i, ((const uint64_t *)from)[i]);
}

uint64_t block_next_sequence(block_publication *pub)
{
    return plat_atomic_add64(&pub->sequence, 1) & ((UINT64_C(1) << 60) - 1);
}

int block_claim(block_publication *pub, uint64_t *sequence)
{
    *sequence = block_next_sequence(pub);
    for (int i = 0; i < BLOCK_RECORDS; i++) {
        if (plat_atomic_cas64(&pub->state[i], BLOCK_RECORD_FREE, BLOCK_RECORD_WRITING))
            return i;
    }
    return -1;
}

void block_ready(block_publication *pub, int index, uint64_t sequence)
{
    block_test_stop_point("publish");
    plat_atomic_store64(&pub->state[index], record_ready(sequence));
}

void block_release(block_publication *pub, int index) { plat_atomic_store64(&pub->state[index], BLOCK_RECORD_FREE); }

bool block_read_current(block_publication *pub, const void *records, size_t size, void *out, uint64_t *current)
{
    for (;;) {
        *current = plat_atomic_load64(&pub->current);
        int index = block_current_index(*current);
        if (index == BLOCK_NO_RECORD)
            return true;
        if (index >= BLOCK_RECORDS)
            break;
        words_load(out, (const uint8_t *)records + (size_t)index * size, size);
        if (plat_atomic_load64(&pub->state[index]) == record_ready(block_current_sequence(*current)))
            return true;
        /* Recycled while copied: only after a newer value became current. If
         * none did, the block contradicts itself: read as empty rather than
         * wait for a change that may never come. */
        if (plat_atomic_load64(&pub->current) == *current)
            return false;
    }
    return false;
}

bool block_publish(block_publication *pub, uint64_t expected, uint64_t desired)
{
    if (!plat_atomic_cas64(&pub->current, expected, desired))
        return false;
    int old = block_current_index(expected);
    if (old < BLOCK_RECORDS)
        plat_atomic_cas64(&pub->state[old], record_ready(block_current_sequence(expected)), BLOCK_RECORD_FREE);
    return true;
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
    /* The other side may be writing: published values are read as any reader
     * reads them, consistent or refused. */
    shared_block *live = (shared_block *)(uintptr_t)block;
    if (live->magic != BLOCK_MAGIC || live->version != BLOCK_VERSION || live->size != sizeof *live)
        return CORE_ERR_INVALID;
    if (plat_atomic_load64(&live->shared_id) == 0 ||
        plat_atomic_load32(&live->descriptors_open) > BLOCK_MAX_DESCRIPTORS)
        return CORE_ERR_INVALID;
    tag_record tag = {0};
    slot_record slot = {0};
    uint64_t current;
    if (!block_read_current(&live->tag, live->tags, sizeof tag, &tag, &current) || tag.length > SHARELSP_TAG_MAX)
        return CORE_ERR_INVALID;
    if (!block_read_current(&live->slot, live->slots, sizeof slot, &slot, &current) || !slot_record_valid(&slot))
        return CORE_ERR_INVALID;
    return CORE_OK;
}

core_status block_set_tag(shared_block *block, const void *tag, size_t length)
{
    if (length > SHARELSP_TAG_MAX || (tag == NULL && length != 0))
        return CORE_ERR_INVALID;
    tag_record next;
    memset(&next, 0, sizeof next);
    next.length = (uint32_t)length;
    if (length != 0)
        memcpy(next.bytes, tag, length);
    uint64_t sequence = 0;
    int index = block_claim(&block->tag, &sequence);
    if (index < 0)
        return CORE_ERR_NO_MEMORY;
    block_words_store(&block->tags[index], &next, sizeof next);
    block_ready(&block->tag, index, sequence);
    tag_record replaced;
    uint64_t current;
    do
        block_read_current(&block->tag, block->tags, sizeof replaced, &replaced, &current);
    while (!block_publish(&block->tag, current, block_current_word(index, sequence)));
    return CORE_OK;
}

core_status block_get_tag(shared_block *block, void *buffer, size_t capacity, size_t *length)
{
    if (length == NULL || (buffer == NULL && capacity != 0))
        return CORE_ERR_INVALID;
    tag_record tag = {0};
    uint64_t current;
    if (!block_read_current(&block->tag, block->tags, sizeof tag, &tag, &current) ||
        block_current_index(current) == BLOCK_NO_RECORD)
        tag.length = 0;
    size_t n = tag.length;
    if (n > SHARELSP_TAG_MAX) /* another process wrote nonsense: never overread */
        n = SHARELSP_TAG_MAX;
    *length = n;
    if (capacity < n)
        return CORE_ERR_SHORT_BUFFER;
    if (n != 0)
        memcpy(buffer, tag.bytes, n);
    return CORE_OK;
}

void block_count_send(shared_block *block, uint64_t bytes)
{
    plat_atomic_add64(&block->bytes_sent, (int64_t)bytes);
    block_test_stop_point("count");
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

void block_counts_move(shared_block *from, shared_block *to)
{
    volatile uint64_t *const counters[][2] = {
        {&from->bytes_sent, &to->bytes_sent}, {&from->bytes_received, &to->bytes_received},
        {&from->calls_sent, &to->calls_sent}, {&from->calls_received, &to->calls_received}};
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        uint64_t n = plat_atomic_exchange64(counters[i][0], 0);
        if (n != 0)
            plat_atomic_add64(counters[i][1], (int64_t)n);
    }
}

void block_copy_state(shared_block *to, const shared_block *from)
{
    /* The counters lie between descriptors_open's word and the tag, and are
     * the only words a thread may change meanwhile (object_count). */
    size_t counters = offsetof(shared_block, bytes_sent), rest = offsetof(shared_block, tag);
    memcpy(to, from, counters);
    memset((char *)to + counters, 0, rest - counters);
    memcpy((char *)to + rest, (const char *)from + rest, sizeof *to - rest);
}

uint32_t block_descriptor_added(shared_block *block) { return plat_atomic_add32(&block->descriptors_open, 1); }

uint32_t block_descriptor_removed(shared_block *block)
{
    for (;;) {
        uint32_t n = plat_atomic_load32(&block->descriptors_open);
        if (n == 0)
            return 0;
        if (plat_atomic_cas32(&block->descriptors_open, n, n - 1)) {
            block_test_stop_point("close");
            return n - 1;
        }
    }
}

uint64_t block_new_shared_id(void)
{
    static volatile uint32_t counter;
    uint32_t n = plat_atomic_add32(&counter, 1);
    return ((uint64_t)plat_process_id() << 32) | n;
}

#ifdef SHARELSP_TEST_HOOKS
void block_test_stop_point(const char *where)
{
    const char *armed = getenv("SHARELSP_TEST_STOP_IN_UPDATE");
    if (armed == NULL || strcmp(armed, where) != 0)
        return;
    fputs("stopped in update\n", stderr);
    fflush(stderr);
    for (;;)
        plat_yield();
}
#endif

/* The checks made on memory another process wrote, on arbitrary bytes:
 * - block_validate (src/core/block.c) on a mapped block: it reads only what
 *   is mapped, and a block it accepts stays valid, and readable, through this
 *   process's own updates (tag, registration, cancel, descriptor counts);
 * - ticket_check (src/core/ticket.c) on a ticket header and what the target
 *   expects: a ticket it accepts is the one expected, and its token
 *   re-encodes to the bytes it came from.
 * The first byte chooses (even: block, odd: ticket); the rest is the input:
 * the mapped bytes, or a ticket_header, then the ticket size, process id,
 * section, nonce and catalog entry expected (ticket_input, fuzz_inputs.h). */
#include "fuzz.h"

#include <string.h>

#include "block.h"
#include "fuzz_inputs.h"
#include "slot.h"

static void block_updates_keep_it_valid(shared_block *block, size_t mapped)
{
    char tag[SHARELSP_TAG_MAX];
    size_t length = 0;
    FUZZ_CHECK(block_get_tag(block, tag, sizeof tag, &length) == CORE_OK && length <= SHARELSP_TAG_MAX);
    slot_record slot;
    slot_snapshot(block, &slot);

    if (block_set_tag(block, "fuzz", 4) == CORE_OK) {
        FUZZ_CHECK(block_get_tag(block, tag, sizeof tag, &length) == CORE_OK);
        FUZZ_CHECK(length == 4 && memcmp(tag, "fuzz", 4) == 0);
    }
    slot_registration reg = {.kind = SLOT_EVENT, .event_mask = 0x21, .descriptor = 0x104, .event = 0x2a8};
    uint64_t generation = 0;
    if (slot_register(block, &reg, &slot, &generation) == CORE_OK) {
        FUZZ_CHECK(slot_is_current(block, generation));
        slot_snapshot(block, &slot);
        FUZZ_CHECK(slot.kind == SLOT_EVENT && slot.event_mask == 0x21 && slot.descriptor == 0x104);
        FUZZ_CHECK(slot_cancel_for_descriptor(block, 0x104, &slot));
        slot_snapshot(block, &slot);
        FUZZ_CHECK(slot.kind == SLOT_NONE);
    }
    uint32_t open = block_descriptor_added(block);
    FUZZ_CHECK(block_descriptor_removed(block) == open - 1);
    sharelsp_stats stats;
    block_stats(block, &stats);
    FUZZ_CHECK(block_validate(block, mapped) == CORE_OK);
}

static void fuzz_block(const uint8_t *data, size_t size)
{
    /* An exact-size copy: a read past what is mapped is a heap overflow. */
    shared_block *block = malloc(size ? size : 1);
    FUZZ_CHECK(block != NULL);
    memcpy(block, data, size);
    if (block_validate(block, size) == CORE_OK)
        block_updates_keep_it_valid(block, size);
    free(block);
}

static void fuzz_ticket(const uint8_t *data, size_t size)
{
    ticket_input in;
    if (size < sizeof in)
        return;
    memcpy(&in, data, sizeof in);
    ticket_expect expect = {.pid = in.pid, .section = in.section, .nonce = in.nonce,
                            .catalog_entry = in.catalog_entry};
    dup_token token, untouched;
    memset(&token, 0x5a, sizeof token);
    untouched = token;
    if (ticket_check(&in.header, in.ticket_size, &expect, &token) != CORE_OK) {
        FUZZ_CHECK(memcmp(&token, &untouched, sizeof token) == 0);
        return;
    }
    FUZZ_CHECK(in.header.magic == TICKET_MAGIC && in.header.version == TICKET_VERSION &&
               in.header.size == in.ticket_size);
    FUZZ_CHECK(token.target_pid == in.pid && token.section == in.section && token.nonce == in.nonce &&
               token.catalog_entry == in.catalog_entry);
    uint8_t again[TOKEN_SIZE];
    FUZZ_CHECK(token_encode(&token, again, sizeof again) == TOKEN_SIZE);
    FUZZ_CHECK(memcmp(again, in.header.token, TOKEN_SIZE) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] & 1)
        fuzz_ticket(data + 1, size - 1);
    else
        fuzz_block(data + 1, size - 1);
    return 0;
}

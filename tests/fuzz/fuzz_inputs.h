/* Input layouts that a fuzz target reads and fuzz_seeds writes. */
#ifndef SHARELSP_TESTS_FUZZ_INPUTS_H
#define SHARELSP_TESTS_FUZZ_INPUTS_H

#include <stdint.h>

#include "ticket.h"

/* fuzz_block, after its odd first byte: a ticket header and what the target
 * expects of it. */
typedef struct ticket_input {
    ticket_header header;
    uint32_t ticket_size;
    uint32_t pid;
    uint64_t section;
    uint64_t nonce;
    uint32_t catalog_entry;
} ticket_input;

/* fuzz_planner: bytes per catalog entry (fuzz_planner.c, entry_from). */
enum { PLANNER_ENTRY_BYTES = 12 };

#endif

/* The header of a duplication's ticket and the check the target makes before
 * using one. The ticket section is memory another process wrote, found
 * through an untrusted handle value, so the check decides on a copy of the
 * header alone; it is here, platform-neutral, so that it is unit-tested and
 * fuzzed natively (src/lsp/section.h holds the whole ticket).
 *
 * A ticket is ours when its header has TICKET_MAGIC, TICKET_VERSION and the
 * size of the whole ticket as this build lays it out, and its token decodes
 * and is meant for this process, names the very handle the ticket was found
 * through (a copied ticket cannot), carries the nonce of the info being used
 * and names the catalog entry that info names. */
#ifndef SHARELSP_CORE_TICKET_H
#define SHARELSP_CORE_TICKET_H

#include <stdint.h>

#include "status.h"
#include "token.h"

#define TICKET_MAGIC 0x4b544c53u /* "SLTK" */
#define TICKET_VERSION 2u

typedef struct ticket_header {
    uint32_t magic;
    uint32_t version;
    uint32_t size;          /* of the whole ticket */
    volatile uint32_t used; /* 0, then 1 for the one use the ticket allows */
    uint8_t token[TOKEN_SIZE];
} ticket_header;

/* What the target expects a ticket to say. */
typedef struct ticket_expect {
    uint32_t pid;           /* this process */
    uint64_t section;       /* the handle value the ticket was found through */
    uint64_t nonce;         /* the info's */
    uint32_t catalog_entry; /* the entry the info names */
} ticket_expect;

/* CORE_OK and *token filled when the ticket is ours (above); else
 * CORE_ERR_INVALID and *token untouched. Does not look at used. */
core_status ticket_check(const ticket_header *header, uint32_t ticket_size, const ticket_expect *expect,
                         dup_token *token);

#endif

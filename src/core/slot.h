/* The registration slot of a socket (rules R5, R6): one per socket, in its
 * shared block, a published value (block.h): no reader or writer ever waits
 * for another. WSPAsyncSelect and WSPEventSelect through any descriptor, in
 * any process, replace whatever was there, in both directions; a mask of 0
 * cancels. Every change has a new generation. */
#ifndef SHARELSP_CORE_SLOT_H
#define SHARELSP_CORE_SLOT_H

#include <stdbool.h>
#include <stdint.h>

#include "block.h"
#include "status.h"

typedef struct slot_registration {
    slot_kind kind;      /* SLOT_ASYNC or SLOT_EVENT (ignored when event_mask is 0) */
    uint32_t event_mask; /* FD_* bits; 0 cancels */
    uint64_t descriptor; /* the registering upper handle */
    uint64_t window;     /* SLOT_ASYNC */
    uint32_t message;    /* SLOT_ASYNC */
    uint64_t event;      /* SLOT_EVENT */
    uint32_t notice;     /* SLOT_ASYNC: the message the lower provider is given */
} slot_registration;

/* Replaces the registration. *replaced (may be NULL) receives the one that
 * was there (kind SLOT_NONE if none), so the caller can cancel it at the
 * lower provider; *generation (may be NULL) the new generation. Invalid input
 * (unknown kind, bits outside the ten events, missing window or event) gives
 * CORE_ERR_INVALID and changes nothing; so does CORE_ERR_NO_MEMORY, when
 * writers that died in an update hold every record. */
core_status slot_register(shared_block *block, const slot_registration *reg, slot_record *replaced,
                          uint64_t *generation);

/* Puts back the registration that the one of that generation replaced, if
 * that one is still current (its lower registration failed). Returns whether
 * it did. */
bool slot_undo(shared_block *block, uint64_t generation, const slot_record *replaced);

/* Empties the slot only if it is the registration of that descriptor of the
 * calling process (its descriptor is being closed). Returns whether it did. */
bool slot_cancel_for_descriptor(shared_block *block, uint64_t descriptor, slot_record *replaced);

/* A consistent copy of the slot. */
void slot_snapshot(shared_block *block, slot_record *out);

/* Is a notification issued for this generation still the current one? */
bool slot_is_current(shared_block *block, uint64_t generation);

#endif

/* Duplications into this process whose info is not used yet. Each is named
 * by the reference its info carries (a random non-zero value) and checked
 * against the 64-bit nonce the info carries too, so that neither a guessed
 * reference nor a reference drawn twice opens another duplication's socket.
 * A reference already pending is refused, never replaced: the first
 * duplication keeps it and the caller draws another. Thread-safe. */
#ifndef SHARELSP_CORE_PENDING_H
#define SHARELSP_CORE_PENDING_H

#include <stdint.h>

#include "hashmap.h"
#include "platform.h"
#include "status.h"

typedef struct pending_list {
    plat_rwlock lock;
    hashmap map; /* reference -> pending_entry */
} pending_list;

void pending_init(pending_list *list);
/* Frees the list; values still pending are forgotten, so a caller that owns
 * them takes them first (pending_take_any). */
void pending_free(pending_list *list);

/* CORE_ERR_EXISTS (nothing changed) if reference is pending already;
 * CORE_ERR_INVALID for a reference or nonce of 0 or a NULL value. */
core_status pending_add(pending_list *list, uint64_t reference, uint64_t nonce, void *value);
/* Removes and returns the value pending under reference if nonce is its
 * nonce; NULL, and nothing changed, otherwise. */
void *pending_take(pending_list *list, uint64_t reference, uint64_t nonce);
/* Removes and returns any one value; NULL when none is left. */
void *pending_take_any(pending_list *list);

#endif

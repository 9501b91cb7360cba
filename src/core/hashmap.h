/* An open-addressing hash map from 64-bit keys to non-null pointers: linear
 * probing, removal by backward shift (no tombstones, so probe lengths stay
 * short after any number of removals). Not thread-safe: table.c shards it and
 * guards each shard with a lock. */
#ifndef SHARELSP_CORE_HASHMAP_H
#define SHARELSP_CORE_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

typedef struct hashmap_entry {
    uint64_t key;
    void *value; /* NULL marks an empty entry */
} hashmap_entry;

typedef struct hashmap {
    hashmap_entry *entries;
    size_t capacity; /* a power of two, or 0 before the first insertion */
    size_t count;
} hashmap;

/* The mixer used for both shard choice and probing; exposed for table.c. */
uint64_t hashmap_hash(uint64_t key);

void hashmap_init(hashmap *map);
void hashmap_free(hashmap *map);
void *hashmap_get(const hashmap *map, uint64_t key);
/* Inserts or replaces; *previous (may be NULL) receives the replaced value. */
core_status hashmap_put(hashmap *map, uint64_t key, void *value, void **previous);
/* Removes key only while it still maps to value; returns whether it did. */
int hashmap_remove_if(hashmap *map, uint64_t key, const void *value);

#endif

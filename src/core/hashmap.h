/* An open-addressing hash map from 64-bit keys to non-null pointers: linear
 * probing, removal by backward shift (no tombstones, so probe lengths stay
 * short after any number of removals). Writers must be serialised by the
 * caller (table.c shards it and guards each shard with a lock).
 *
 * Readers may run without the writers' lock in a map made with
 * hashmap_init_concurrent: entries are read and written with atomics, the
 * capacity travels with its array (one pointer load gives both), and an array
 * replaced by a resize is kept until hashmap_free instead of freed (a reader
 * may still be probing it), with no shrinking, so what is kept stays below
 * the live array's size. Such a reader can still miss a key a concurrent
 * writer moves, or find one being removed: it must check, as table.c does
 * with its shards' sequence numbers, that no writer ran meanwhile. */
#ifndef SHARELSP_CORE_HASHMAP_H
#define SHARELSP_CORE_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

typedef struct hashmap_entry {
    uint64_t key;
    void *value; /* NULL marks an empty entry */
} hashmap_entry;

typedef struct hashmap_array {
    size_t capacity; /* a power of two */
    struct hashmap_array *retired_next; /* concurrent maps: replaced arrays, kept */
    hashmap_entry entries[];
} hashmap_array;

typedef struct hashmap {
    hashmap_array *array; /* NULL before the first insertion */
    size_t count;
    bool concurrent;
    hashmap_array *retired;
} hashmap;

/* The mixer used for both shard choice and probing; exposed for table.c. */
uint64_t hashmap_hash(uint64_t key);

void hashmap_init(hashmap *map);
/* A map whose readers may run without the writers' lock (above). */
void hashmap_init_concurrent(hashmap *map);
void hashmap_free(hashmap *map);
/* Safe concurrently with a writer in a concurrent map (see above). */
void *hashmap_get(const hashmap *map, uint64_t key);
/* Inserts or replaces; *previous (may be NULL) receives the replaced value. */
core_status hashmap_put(hashmap *map, uint64_t key, void *value, void **previous);
/* Removes key only while it still maps to value; returns whether it did. */
int hashmap_remove_if(hashmap *map, uint64_t key, const void *value);
/* Some entry's value (and its key), or NULL when the map is empty. */
void *hashmap_any(const hashmap *map, uint64_t *key);

#endif

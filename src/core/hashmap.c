#include "hashmap.h"

#include <stdlib.h>

enum { HASHMAP_MIN_CAPACITY = 16 };

uint64_t hashmap_hash(uint64_t key)
{
    /* splitmix64's finaliser: handle values are multiples of 4 and clustered,
     * every input bit must reach the low bits used for probing. */
    key ^= key >> 30;
    key *= 0xbf58476d1ce4e5b9ull;
    key ^= key >> 27;
    key *= 0x94d049bb133111ebull;
    key ^= key >> 31;
    return key;
}

void hashmap_init(hashmap *map)
{
    map->entries = NULL;
    map->capacity = 0;
    map->count = 0;
}

void hashmap_free(hashmap *map)
{
    free(map->entries);
    hashmap_init(map);
}

static size_t hashmap_home(const hashmap *map, uint64_t key)
{
    return (size_t)hashmap_hash(key) & (map->capacity - 1);
}

void *hashmap_get(const hashmap *map, uint64_t key)
{
    if (map->capacity == 0)
        return NULL;
    for (size_t i = hashmap_home(map, key);; i = (i + 1) & (map->capacity - 1)) {
        const hashmap_entry *e = &map->entries[i];
        if (e->value == NULL)
            return NULL;
        if (e->key == key)
            return e->value;
    }
}

/* Places an entry known to be absent into a map known to have room. */
static void hashmap_place(hashmap *map, uint64_t key, void *value)
{
    size_t i = hashmap_home(map, key);
    while (map->entries[i].value != NULL)
        i = (i + 1) & (map->capacity - 1);
    map->entries[i].key = key;
    map->entries[i].value = value;
    map->count++;
}

static core_status hashmap_resize(hashmap *map, size_t capacity)
{
    hashmap_entry *entries = calloc(capacity, sizeof *entries);
    if (entries == NULL)
        return CORE_ERR_NO_MEMORY;
    hashmap old = *map;
    map->entries = entries;
    map->capacity = capacity;
    map->count = 0;
    for (size_t i = 0; i < old.capacity; i++) {
        if (old.entries[i].value != NULL)
            hashmap_place(map, old.entries[i].key, old.entries[i].value);
    }
    free(old.entries);
    return CORE_OK;
}

core_status hashmap_put(hashmap *map, uint64_t key, void *value, void **previous)
{
    if (previous != NULL)
        *previous = NULL;
    if (value == NULL)
        return CORE_ERR_INVALID;
    if (map->capacity != 0) {
        for (size_t i = hashmap_home(map, key);; i = (i + 1) & (map->capacity - 1)) {
            hashmap_entry *e = &map->entries[i];
            if (e->value == NULL)
                break;
            if (e->key == key) {
                if (previous != NULL)
                    *previous = e->value;
                e->value = value;
                return CORE_OK;
            }
        }
    }
    /* Keep the load factor at or below one half. */
    if ((map->count + 1) * 2 > map->capacity) {
        size_t capacity = map->capacity ? map->capacity * 2 : HASHMAP_MIN_CAPACITY;
        core_status st = hashmap_resize(map, capacity);
        if (st != CORE_OK)
            return st;
    }
    hashmap_place(map, key, value);
    return CORE_OK;
}

int hashmap_remove_if(hashmap *map, uint64_t key, const void *value)
{
    if (map->capacity == 0)
        return 0;
    size_t mask = map->capacity - 1;
    size_t i = hashmap_home(map, key);
    for (;; i = (i + 1) & mask) {
        if (map->entries[i].value == NULL)
            return 0;
        if (map->entries[i].key == key)
            break;
    }
    if (map->entries[i].value != value)
        return 0;
    /* Backward shift: pull later entries of the run into the hole when their
     * home position does not lie cyclically in (hole, j]. */
    size_t hole = i;
    for (size_t j = (hole + 1) & mask; map->entries[j].value != NULL; j = (j + 1) & mask) {
        size_t home = hashmap_home(map, map->entries[j].key);
        int stays = (hole <= j) ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            map->entries[hole] = map->entries[j];
            hole = j;
        }
    }
    map->entries[hole].value = NULL;
    map->entries[hole].key = 0;
    map->count--;
    /* Give memory back once the map is mostly empty (100k sockets closed). */
    if (map->capacity > HASHMAP_MIN_CAPACITY && map->count * 8 < map->capacity)
        (void)hashmap_resize(map, map->capacity / 2); /* failure to shrink is harmless */
    return 1;
}

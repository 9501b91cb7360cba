#include "hashmap.h"

#include <stdlib.h>

#include "platform.h"

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

/* Entries are read and written with atomics so that a concurrent map's
 * readers see each word whole; a writer under its lock pays a little for it. */
static uint64_t entry_key(const hashmap_entry *e) { return plat_atomic_load64((volatile uint64_t *)&e->key); }
static void *entry_value(const hashmap_entry *e) { return plat_atomic_load_ptr((void *volatile *)&e->value); }

static void entry_set(hashmap_entry *e, uint64_t key, void *value)
{
    plat_atomic_store64(&e->key, key);
    plat_atomic_store_ptr(&e->value, value);
}

static hashmap_array *map_array(const hashmap *map)
{
    return plat_atomic_load_ptr((void *volatile *)&map->array);
}

void hashmap_init(hashmap *map)
{
    map->array = NULL;
    map->count = 0;
    map->concurrent = false;
    map->retired = NULL;
}

void hashmap_init_concurrent(hashmap *map)
{
    hashmap_init(map);
    map->concurrent = true;
}

void hashmap_free(hashmap *map)
{
    free(map->array);
    while (map->retired != NULL) {
        hashmap_array *next = map->retired->retired_next;
        free(map->retired);
        map->retired = next;
    }
    bool concurrent = map->concurrent;
    hashmap_init(map);
    map->concurrent = concurrent;
}

static size_t array_home(const hashmap_array *array, uint64_t key)
{
    return (size_t)hashmap_hash(key) & (array->capacity - 1);
}

void *hashmap_get(const hashmap *map, uint64_t key)
{
    const hashmap_array *array = map_array(map);
    if (array == NULL)
        return NULL;
    size_t mask = array->capacity - 1;
    /* At most one lap: writers moving entries under a concurrent reader must
     * not keep it probing (it retries when its check fails). */
    for (size_t n = 0, i = array_home(array, key); n <= mask; n++, i = (i + 1) & mask) {
        const hashmap_entry *e = &array->entries[i];
        void *value = entry_value(e);
        if (value == NULL)
            return NULL;
        if (entry_key(e) == key)
            return value;
    }
    return NULL;
}

/* Places an entry known to be absent into an array known to have room. */
static void array_place(hashmap_array *array, uint64_t key, void *value)
{
    size_t i = array_home(array, key);
    while (entry_value(&array->entries[i]) != NULL)
        i = (i + 1) & (array->capacity - 1);
    entry_set(&array->entries[i], key, value);
}

static core_status hashmap_resize(hashmap *map, size_t capacity)
{
    hashmap_array *array = calloc(1, sizeof *array + capacity * sizeof array->entries[0]);
    if (array == NULL)
        return CORE_ERR_NO_MEMORY;
    array->capacity = capacity;
    hashmap_array *old = map->array;
    for (size_t i = 0; old != NULL && i < old->capacity; i++) {
        void *value = entry_value(&old->entries[i]);
        if (value != NULL)
            array_place(array, entry_key(&old->entries[i]), value);
    }
    /* Filled before it is published: a reader sees it whole or not at all. */
    plat_atomic_store_ptr((void *volatile *)&map->array, array);
    if (old != NULL && map->concurrent) {
        old->retired_next = map->retired;
        map->retired = old;
    } else {
        free(old);
    }
    return CORE_OK;
}

core_status hashmap_put(hashmap *map, uint64_t key, void *value, void **previous)
{
    if (previous != NULL)
        *previous = NULL;
    if (value == NULL)
        return CORE_ERR_INVALID;
    hashmap_array *array = map->array;
    if (array != NULL) {
        for (size_t i = array_home(array, key);; i = (i + 1) & (array->capacity - 1)) {
            hashmap_entry *e = &array->entries[i];
            void *current = entry_value(e);
            if (current == NULL)
                break;
            if (entry_key(e) == key) {
                if (previous != NULL)
                    *previous = current;
                plat_atomic_store_ptr(&e->value, value);
                return CORE_OK;
            }
        }
    }
    /* Keep the load factor at or below one half. */
    size_t capacity = array != NULL ? array->capacity : 0;
    if ((map->count + 1) * 2 > capacity) {
        core_status st = hashmap_resize(map, capacity ? capacity * 2 : HASHMAP_MIN_CAPACITY);
        if (st != CORE_OK)
            return st;
    }
    array_place(map->array, key, value);
    map->count++;
    return CORE_OK;
}

int hashmap_remove_if(hashmap *map, uint64_t key, const void *value)
{
    hashmap_array *array = map->array;
    if (array == NULL)
        return 0;
    size_t mask = array->capacity - 1;
    size_t i = array_home(array, key);
    for (;; i = (i + 1) & mask) {
        if (entry_value(&array->entries[i]) == NULL)
            return 0;
        if (entry_key(&array->entries[i]) == key)
            break;
    }
    if (entry_value(&array->entries[i]) != value)
        return 0;
    /* Backward shift: pull later entries of the run into the hole when their
     * home position does not lie cyclically in (hole, j]. */
    size_t hole = i;
    for (size_t j = (hole + 1) & mask; entry_value(&array->entries[j]) != NULL; j = (j + 1) & mask) {
        uint64_t moved = entry_key(&array->entries[j]);
        size_t home = array_home(array, moved);
        int stays = (hole <= j) ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            entry_set(&array->entries[hole], moved, entry_value(&array->entries[j]));
            hole = j;
        }
    }
    plat_atomic_store_ptr(&array->entries[hole].value, NULL);
    plat_atomic_store64(&array->entries[hole].key, 0);
    map->count--;
    /* Give memory back once the map is mostly empty (100k sockets closed);
     * not in a concurrent map, whose replaced arrays are kept until the end. */
    if (!map->concurrent && array->capacity > HASHMAP_MIN_CAPACITY && map->count * 8 < array->capacity)
        (void)hashmap_resize(map, array->capacity / 2); /* failure to shrink is harmless */
    return 1;
}

void *hashmap_any(const hashmap *map, uint64_t *key)
{
    const hashmap_array *array = map_array(map);
    for (size_t i = 0; array != NULL && i < array->capacity; i++) {
        void *value = entry_value(&array->entries[i]);
        if (value != NULL) {
            if (key != NULL)
                *key = entry_key(&array->entries[i]);
            return value;
        }
    }
    return NULL;
}

#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "pending.h"
#include "platform.h"

enum { TABLE_SHARD_BITS = 6, TABLE_SHARDS = 1 << TABLE_SHARD_BITS };

/* Shards padded apart, so that two threads on two sockets do not contend on
 * one cache line. (Padding, not _Alignas: msvcrt has no aligned_alloc.) */
enum { TABLE_SHARD_BYTES = 128 };
typedef union table_shard {
    struct {
        plat_rwlock lock; /* writers; readers of objects */
        /* Odd while a writer changes the map. A descriptor look-up reads it
         * before and after its probe and takes no lock: a lock word written
         * by every look-up would be one cache line all threads write. */
        volatile uint32_t seq;
        hashmap map;
    };
    char pad[TABLE_SHARD_BYTES];
} table_shard;
_Static_assert(sizeof(table_shard) == TABLE_SHARD_BYTES, "one shard, two cache lines");

typedef struct table_index {
    table_shard shards[TABLE_SHARDS];
} table_index;

struct sock_table {
    table_index by_upper;  /* descriptor * */
    table_index by_lower;  /* sock_object * */
    table_index by_shared; /* sock_object * */
    pending_list pending;  /* descriptor *, unpublished and uncounted */
};

static table_shard *index_shard(table_index *index, uint64_t key)
{
    /* The high bits choose the shard, the low bits the position in it. */
    return &index->shards[hashmap_hash(key) >> (64 - TABLE_SHARD_BITS)];
}

/* concurrent: the map is read without the lock (descriptors by upper handle). */
static void index_init(table_index *index, bool concurrent)
{
    for (size_t i = 0; i < TABLE_SHARDS; i++) {
        plat_rwlock_init(&index->shards[i].lock);
        index->shards[i].seq = 0;
        if (concurrent)
            hashmap_init_concurrent(&index->shards[i].map);
        else
            hashmap_init(&index->shards[i].map);
    }
}

static void shard_write(table_shard *shard)
{
    plat_rwlock_write(&shard->lock);
    plat_atomic_store32(&shard->seq, shard->seq + 1);
}

static void shard_write_done(table_shard *shard)
{
    plat_atomic_store32(&shard->seq, shard->seq + 1);
    plat_rwlock_write_done(&shard->lock);
}

static void index_free(table_index *index)
{
    for (size_t i = 0; i < TABLE_SHARDS; i++) {
        hashmap_free(&index->shards[i].map);
        plat_rwlock_destroy(&index->shards[i].lock);
    }
}

static size_t index_count(table_index *index)
{
    size_t n = 0;
    for (size_t i = 0; i < TABLE_SHARDS; i++) {
        plat_rwlock_read(&index->shards[i].lock);
        n += index->shards[i].map.count;
        plat_rwlock_read_done(&index->shards[i].lock);
    }
    return n;
}

/* Replaces any entry: a lower handle or shared id still indexed by an object
 * being torn down belongs to the new object from now on. */
static core_status index_put(table_index *index, uint64_t key, void *value)
{
    table_shard *shard = index_shard(index, key);
    shard_write(shard);
    core_status st = hashmap_put(&shard->map, key, value, NULL);
    shard_write_done(shard);
    return st;
}

static void index_remove(table_index *index, uint64_t key, const void *value)
{
    table_shard *shard = index_shard(index, key);
    shard_write(shard);
    hashmap_remove_if(&shard->map, key, value);
    shard_write_done(shard);
}

sock_table *table_create(void)
{
    sock_table *table = calloc(1, sizeof *table);
    if (table == NULL)
        return NULL;
    index_init(&table->by_upper, true);
    index_init(&table->by_lower, false);
    index_init(&table->by_shared, false);
    pending_init(&table->pending);
    descriptor_pool_open();
    return table;
}

void table_destroy(sock_table *table)
{
    if (table == NULL)
        return;
    table_close_all(table, NULL, NULL);
    index_free(&table->by_upper);
    index_free(&table->by_lower);
    index_free(&table->by_shared);
    pending_free(&table->pending);
    free(table);
    descriptor_pool_close();
}

/* A first descriptor on a new object, which then has local count 1. */
static core_status table_first_descriptor(sock_object *object, descriptor **out)
{
    descriptor *d = descriptor_create(object);
    if (d == NULL)
        return CORE_ERR_NO_MEMORY;
    plat_atomic_store32(&object->local_descriptors, 1);
    shared_block *block = object_block_enter(object);
    block_descriptor_added(block);
    object_block_leave(object);
    *out = d;
    return CORE_OK;
}

static void table_unindex_object(sock_table *table, sock_object *object)
{
    shared_block *block = object_block_enter(object);
    uint64_t shared_id = block->shared_id;
    object_block_leave(object);
    index_remove(&table->by_lower, object->lower, object);
    index_remove(&table->by_shared, shared_id, object);
}

core_status table_socket_new(sock_table *table, uint64_t lower, void *lower_provider, descriptor **out)
{
    if (table == NULL || out == NULL)
        return CORE_ERR_INVALID;
    sock_object *object = object_create(lower, lower_provider, NULL, NULL);
    if (object == NULL)
        return CORE_ERR_NO_MEMORY;
    descriptor *d = NULL;
    core_status st = table_first_descriptor(object, &d);
    if (st == CORE_OK)
        st = index_put(&table->by_lower, lower, object);
    if (st == CORE_OK) {
        st = index_put(&table->by_shared, object->block->shared_id, object);
        if (st != CORE_OK)
            index_remove(&table->by_lower, lower, object);
    }
    object_release(object); /* the descriptor holds it from here */
    if (st != CORE_OK) {
        if (d != NULL)
            descriptor_release(d);
        return st;
    }
    *out = d;
    return CORE_OK;
}

core_status table_socket_attach(sock_table *table, uint64_t lower, void *lower_provider, shared_block *block,
                                const block_owner *owner, descriptor **out, bool *joined)
{
    if (table == NULL || block == NULL || owner == NULL || owner->release == NULL || out == NULL ||
        joined == NULL)
        return CORE_ERR_INVALID;
    uint64_t shared_id = block->shared_id;
    table_shard *shard = index_shard(&table->by_shared, shared_id);
    /* Held across look-up and insertion so that two duplicates of one socket
     * arriving together make one object, not two. */
    shard_write(shard);
    sock_object *existing = hashmap_get(&shard->map, shared_id);
    if (existing != NULL && object_try_add_local(existing)) {
        descriptor *d = descriptor_create(existing);
        if (d == NULL) {
            object_remove_local(existing);
            shard_write_done(shard);
            return CORE_ERR_NO_MEMORY;
        }
        shard_write_done(shard);
        shared_block *b = object_block_enter(existing);
        block_descriptor_added(b);
        object_block_leave(existing);
        *joined = true;
        *out = d;
        return CORE_OK;
    }
    sock_object *object = object_create(lower, lower_provider, block, owner);
    if (object == NULL) {
        shard_write_done(shard);
        return CORE_ERR_NO_MEMORY;
    }
    descriptor *d = NULL;
    core_status st = table_first_descriptor(object, &d);
    if (st == CORE_OK)
        st = hashmap_put(&shard->map, shared_id, object, NULL);
    shard_write_done(shard);
    if (st == CORE_OK) {
        st = index_put(&table->by_lower, lower, object);
        if (st != CORE_OK)
            index_remove(&table->by_shared, shared_id, object);
    }
    if (st != CORE_OK) {
        /* The caller keeps its block: do not let the object release it. */
        object->owner.release = NULL;
        object->block = NULL;
        if (d != NULL) {
            block_descriptor_removed(block);
            descriptor_release(d);
        }
        object_release(object);
        return st;
    }
    object_release(object);
    *joined = false;
    *out = d;
    return CORE_OK;
}

core_status table_duplicate_object(sock_table *table, sock_object *object, descriptor **out)
{
    if (table == NULL || object == NULL || out == NULL)
        return CORE_ERR_INVALID;
    if (!object_try_add_local(object))
        return CORE_ERR_CLOSING;
    descriptor *d = descriptor_create(object);
    if (d == NULL) {
        object_remove_local(object);
        return CORE_ERR_NO_MEMORY;
    }
    shared_block *block = object_block_enter(object);
    block_descriptor_added(block);
    object_block_leave(object);
    *out = d;
    return CORE_OK;
}

core_status table_duplicate(sock_table *table, descriptor *src, descriptor **out)
{
    if (table == NULL || src == NULL || out == NULL)
        return CORE_ERR_INVALID;
    if (plat_atomic_load32(&src->closing))
        return CORE_ERR_CLOSING;
    return table_duplicate_object(table, src->object, out);
}

core_status table_pending_add(sock_table *table, descriptor *src, uint64_t reference, uint64_t nonce)
{
    if (table == NULL || src == NULL)
        return CORE_ERR_INVALID;
    if (plat_atomic_load32(&src->closing))
        return CORE_ERR_CLOSING;
    descriptor *d = descriptor_create(src->object);
    if (d == NULL)
        return CORE_ERR_NO_MEMORY;
    core_status st = pending_add(&table->pending, reference, nonce, d);
    /* Counted only once added, so a refusal has nothing to undo here; no
     * one can take it before the caller hands out the info. */
    if (st == CORE_OK && !object_try_add_local(src->object)) {
        /* src's close, on another thread, was the last: too late. */
        pending_take(&table->pending, reference, nonce);
        st = CORE_ERR_CLOSING;
    }
    if (st != CORE_OK)
        descriptor_release(d);
    return st;
}

core_status table_pending_take(sock_table *table, uint64_t reference, uint64_t nonce, descriptor **out)
{
    if (table == NULL || out == NULL)
        return CORE_ERR_INVALID;
    descriptor *d = pending_take(&table->pending, reference, nonce);
    if (d == NULL)
        return CORE_ERR_NOT_FOUND;
    shared_block *block = object_block_enter(d->object);
    block_descriptor_added(block);
    object_block_leave(d->object);
    *out = d;
    return CORE_OK;
}

/* A pending duplication never used: as table_close, but it was never
 * published nor counted. */
static void table_pending_drop(sock_table *table, descriptor *d, close_result *result)
{
    memset(result, 0, sizeof *result);
    plat_atomic_store32(&d->closing, 1);
    sock_object *object = d->object;
    shared_block *block = object_block_enter(object);
    result->last_anywhere = plat_atomic_load32(&block->descriptors_open) == 0;
    object_block_leave(object);
    if (object_remove_local(object) == 0) {
        result->last_in_process = true;
        table_unindex_object(table, object);
    }
    object_retain(object);
    result->object = object;
    descriptor_release(d);
}

core_status table_publish(sock_table *table, descriptor *d, uint64_t upper)
{
    if (table == NULL || d == NULL || upper == 0 || d->upper != 0)
        return CORE_ERR_INVALID;
    table_shard *shard = index_shard(&table->by_upper, upper);
    shard_write(shard);
    core_status st = CORE_OK;
    if (hashmap_get(&shard->map, upper) != NULL) {
        st = CORE_ERR_EXISTS;
    } else {
        d->upper = upper;
        st = hashmap_put(&shard->map, upper, d, NULL);
        if (st != CORE_OK)
            d->upper = 0;
    }
    shard_write_done(shard);
    return st;
}

/* The lock-free look-up: a probe between two reads of the shard's sequence
 * number, and a reference taken on what it found before the second read.
 * What it found may be a descriptor released meanwhile (the pool keeps it a
 * descriptor, object.h): then the reference is refused, or the sequence
 * changed and the reference goes back. */
static bool lookup_upper_quick(table_shard *shard, uint64_t upper, descriptor **out)
{
    uint32_t seq = plat_atomic_load32(&shard->seq);
    if (seq & 1)
        return false;
    descriptor *d = hashmap_get(&shard->map, upper);
    if (d != NULL && !descriptor_try_retain(d))
        return false;
    if (plat_atomic_load32(&shard->seq) != seq) {
        if (d != NULL)
            descriptor_release(d);
        return false;
    }
    *out = d;
    return true;
}

descriptor *table_lookup_upper(sock_table *table, uint64_t upper)
{
    table_shard *shard = index_shard(&table->by_upper, upper);
    descriptor *d = NULL;
    if (!lookup_upper_quick(shard, upper, &d)) {
        /* A writer is in the shard: wait for it as a reader of the lock. */
        plat_rwlock_read(&shard->lock);
        d = hashmap_get(&shard->map, upper);
        if (d != NULL)
            descriptor_retain(d);
        plat_rwlock_read_done(&shard->lock);
    }
    if (d != NULL && plat_atomic_load32(&d->closing)) {
        descriptor_release(d);
        d = NULL;
    }
    return d;
}

static sock_object *index_lookup_object(table_index *index, uint64_t key)
{
    table_shard *shard = index_shard(index, key);
    plat_rwlock_read(&shard->lock);
    sock_object *object = hashmap_get(&shard->map, key);
    if (object != NULL)
        object_retain(object);
    plat_rwlock_read_done(&shard->lock);
    return object;
}

sock_object *table_lookup_lower(sock_table *table, uint64_t lower)
{
    return index_lookup_object(&table->by_lower, lower);
}

sock_object *table_lookup_shared(sock_table *table, uint64_t shared_id)
{
    return index_lookup_object(&table->by_shared, shared_id);
}

core_status table_close(sock_table *table, descriptor *d, table_lower_close close_lower, void *context,
                        close_result *result)
{
    if (table == NULL || d == NULL || result == NULL)
        return CORE_ERR_INVALID;
    memset(result, 0, sizeof *result);
    if (!plat_atomic_cas32(&d->closing, 0, 1))
        return CORE_ERR_CLOSING;
    sock_object *object = d->object;
    /* Settled before the lower close: at 0 no descriptor can join the
     * object, so the lower socket closes with nothing new on it. */
    result->last_in_process = object_remove_local(object) == 0;
    if (result->last_in_process && close_lower != NULL && close_lower(context, object) != 0) {
        object_restore_last_local(object);
        plat_atomic_store32(&d->closing, 0);
        memset(result, 0, sizeof *result);
        return CORE_ERR_REFUSED;
    }
    if (d->upper != 0)
        index_remove(&table->by_upper, d->upper, d);
    shared_block *block = object_block_enter(object);
    if (d->upper != 0)
        result->registration_cancelled = slot_cancel_for_descriptor(block, d->upper, &result->cancelled);
    result->last_anywhere = block_descriptor_removed(block) == 0;
    object_block_leave(object);
    if (result->last_in_process)
        table_unindex_object(table, object);
    object_retain(object);
    result->object = object;
    descriptor_release(d); /* the reference of the open handle */
    return CORE_OK;
}

core_status table_close_upper(sock_table *table, uint64_t upper, table_lower_close close_lower, void *context,
                              close_result *result)
{
    if (table == NULL || result == NULL)
        return CORE_ERR_INVALID;
    descriptor *d = table_lookup_upper(table, upper);
    if (d == NULL)
        return CORE_ERR_NOT_FOUND;
    core_status st = table_close(table, d, close_lower, context, result);
    descriptor_release(d);
    return st;
}

void table_close_all(sock_table *table, void (*on_last)(void *context, const close_result *result), void *context)
{
    for (size_t i = 0; i < TABLE_SHARDS; i++) {
        table_shard *shard = &table->by_upper.shards[i];
        for (;;) {
            /* Take one descriptor at a time: table_close needs the lock. */
            plat_rwlock_read(&shard->lock);
            descriptor *d = hashmap_any(&shard->map, NULL);
            if (d != NULL)
                descriptor_retain(d);
            plat_rwlock_read_done(&shard->lock);
            if (d == NULL)
                break;
            close_result r;
            if (table_close(table, d, NULL, NULL, &r) == CORE_OK) {
                if (r.last_in_process && on_last != NULL)
                    on_last(context, &r);
                object_release(r.object);
            } else {
                /* Another thread is closing it; wait for it to leave the map. */
                plat_yield();
            }
            descriptor_release(d);
        }
    }
    /* An info never used is released at the latest here (WSPCleanup). */
    descriptor *d;
    while ((d = pending_take_any(&table->pending)) != NULL) {
        close_result r;
        table_pending_drop(table, d, &r);
        if (r.last_in_process && on_last != NULL)
            on_last(context, &r);
        object_release(r.object);
    }
}

size_t table_descriptor_count(sock_table *table) { return index_count(&table->by_upper); }
size_t table_object_count(sock_table *table) { return index_count(&table->by_lower); }

#include "object.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define OBJECT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OBJECT_ASAN 1
#endif
#endif
#ifdef OBJECT_ASAN
#include <sanitizer/asan_interface.h>
#define POOL_POISON(d) ASAN_POISON_MEMORY_REGION(&(d)->handle_state, sizeof *(d) - offsetof(descriptor, handle_state))
#define POOL_UNPOISON(d) ASAN_UNPOISON_MEMORY_REGION(&(d)->handle_state, sizeof *(d) - offsetof(descriptor, handle_state))
#else
#define POOL_POISON(d) ((void)(d))
#define POOL_UNPOISON(d) ((void)(d))
#endif

static volatile uint32_t objects_live;
static volatile uint32_t descriptors_live;
static object_provider_hooks provider_hooks;

void object_set_provider_hooks(const object_provider_hooks *hooks) { provider_hooks = *hooks; }

/* The descriptor pool (object.h): released descriptors, and how many tables
 * use it. Taking and giving back happen at open and close only. */
static plat_rwlock pool_lock = PLAT_RWLOCK_INIT;
static descriptor *pool_free;
static uint32_t pool_users;

sock_object *object_create(uint64_t lower, void *lower_provider, shared_block *block,
                           const block_owner *owner)
{
    if (block != NULL && (owner == NULL || owner->release == NULL))
        return NULL;
    sock_object *object = calloc(1, sizeof *object);
    if (object == NULL)
        return NULL;
    if (block == NULL) {
        block = &object->own_block;
        block_init(block, block_new_shared_id());
    } else {
        object->owner = *owner;
    }
    object->refs = 1;
    object->lower = lower;
    object->lower_provider = lower_provider;
    if (lower_provider != NULL && provider_hooks.retain != NULL)
        provider_hooks.retain(lower_provider);
    object->block = block;
    plat_rwlock_init(&object->block_guard);
    plat_rwlock_init(&object->registration_local);
    plat_atomic_add32(&objects_live, 1);
    return object;
}

void object_retain(sock_object *object) { plat_atomic_add32(&object->refs, 1); }

void object_release(sock_object *object)
{
    if (plat_atomic_add32(&object->refs, -1) != 0)
        return;
    if (object->owner.release != NULL)
        object->owner.release(object->owner.context, object->block);
    plat_rwlock_destroy(&object->block_guard);
    plat_rwlock_destroy(&object->registration_local);
    if (object->lower_provider != NULL && provider_hooks.release != NULL)
        provider_hooks.release(object->lower_provider);
    free(object);
    plat_atomic_add32(&objects_live, -1);
}

bool object_try_add_local(sock_object *object)
{
    for (;;) {
        uint32_t n = plat_atomic_load32(&object->local_descriptors);
        if (n == 0)
            return false;
        if (plat_atomic_cas32(&object->local_descriptors, n, n + 1))
            return true;
    }
}

uint32_t object_remove_local(sock_object *object) { return plat_atomic_add32(&object->local_descriptors, -1); }

void object_restore_last_local(sock_object *object) { plat_atomic_store32(&object->local_descriptors, 1); }

shared_block *object_block_enter(sock_object *object)
{
    plat_rwlock_read(&object->block_guard);
    return object->block;
}

void object_block_leave(sock_object *object) { plat_rwlock_read_done(&object->block_guard); }

void object_count(sock_object *object, bool sent, uint64_t bytes)
{
    shared_block *block = plat_atomic_load_ptr((void *volatile *)&object->block);
    if (sent)
        block_count_send(block, bytes);
    else
        block_count_receive(block, bytes);
    /* A move between the two loads copied the block without this addition:
     * take it on to where the block is now (object_move_block does the same
     * after its switch, for an adder that saw the old block both times). */
    shared_block *now = plat_atomic_load_ptr((void *volatile *)&object->block);
    if (now != block)
        block_counts_move(block, now);
}

core_status object_move_block(sock_object *object, shared_block *to, const block_owner *owner)
{
    if (to == NULL || owner == NULL || owner->release == NULL)
        return CORE_ERR_INVALID;
    plat_rwlock_write(&object->block_guard);
    if (object->owner.release != NULL) {
        plat_rwlock_write_done(&object->block_guard);
        return CORE_ERR_INVALID;
    }
    /* No thread of this process is inside the block but object_count's
     * additions, and no other process can see a heap block. */
    shared_block *from = object->block;
    block_copy_state(to, from);
    block_counts_move(from, to);
    plat_atomic_store_ptr((void *volatile *)&object->block, to);
    block_counts_move(from, to);
    object->owner = *owner;
    plat_rwlock_write_done(&object->block_guard);
    return CORE_OK;
}

descriptor *descriptor_create(sock_object *object)
{
    plat_rwlock_write(&pool_lock);
    descriptor *d = pool_free;
    if (d != NULL) {
        pool_free = d->pool_next;
        POOL_UNPOISON(d);
    }
    plat_rwlock_write_done(&pool_lock);
    if (d == NULL && (d = calloc(1, sizeof *d)) == NULL)
        return NULL;
    d->pool_next = NULL;
    d->handle_state = 0;
    d->upper = 0;
    object_retain(object);
    d->object = object;
    plat_atomic_store32(&d->closing, 0);
    /* Last: a lookup that still holds this descriptor from its last life
     * may retain it from here on (and finds the table changed). */
    plat_atomic_store32(&d->refs, 1);
    plat_atomic_add32(&descriptors_live, 1);
    return d;
}

void descriptor_retain(descriptor *d) { plat_atomic_add32(&d->refs, 1); }

bool descriptor_try_retain(descriptor *d)
{
    for (;;) {
        uint32_t n = plat_atomic_load32(&d->refs);
        if (n == 0)
            return false;
        if (plat_atomic_cas32(&d->refs, n, n + 1))
            return true;
    }
}

void descriptor_release(descriptor *d)
{
    if (plat_atomic_add32(&d->refs, -1) != 0)
        return;
    object_release(d->object);
    plat_rwlock_write(&pool_lock);
    if (pool_users != 0) {
        POOL_POISON(d);
        d->pool_next = pool_free;
        pool_free = d;
        d = NULL;
    }
    plat_rwlock_write_done(&pool_lock);
    free(d);
    plat_atomic_add32(&descriptors_live, -1);
}

void descriptor_pool_open(void)
{
    plat_rwlock_write(&pool_lock);
    pool_users++;
    plat_rwlock_write_done(&pool_lock);
}

void descriptor_pool_close(void)
{
    plat_rwlock_write(&pool_lock);
    descriptor *d = --pool_users == 0 ? pool_free : NULL;
    if (d != NULL)
        pool_free = NULL;
    plat_rwlock_write_done(&pool_lock);
    /* No table is left to look anything up: the pool's descriptors are no
     * one's. */
    while (d != NULL) {
        descriptor *next = d->pool_next;
        free(d);
        d = next;
    }
}

void descriptor_handle_hold(descriptor *d) { plat_atomic_add32(&d->handle_state, 2); }

bool descriptor_handle_release(descriptor *d)
{
    /* The last use gone after the close was asked for: state 1. */
    return plat_atomic_add32(&d->handle_state, -2) == 1;
}

bool descriptor_handle_close(descriptor *d)
{
    for (;;) {
        uint32_t state = plat_atomic_load32(&d->handle_state);
        if (state & 1)
            return false; /* asked already */
        if (plat_atomic_cas32(&d->handle_state, state, state | 1))
            return state == 0; /* no use outstanding: close now */
    }
}

uint32_t object_live_count(void) { return plat_atomic_load32(&objects_live); }
uint32_t descriptor_live_count(void) { return plat_atomic_load32(&descriptors_live); }

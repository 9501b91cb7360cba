#include "object.h"

#include <stdlib.h>
#include <string.h>

static volatile uint32_t objects_live;
static volatile uint32_t descriptors_live;

sock_object *object_create(uint64_t lower, void *lower_provider, shared_block *block,
                           const block_owner *owner)
{
    if (block != NULL && (owner == NULL || owner->release == NULL))
        return NULL;
    sock_object *object = calloc(1, sizeof *object);
    if (object == NULL)
        return NULL;
    if (block == NULL) {
        block = malloc(sizeof *block);
        if (block == NULL) {
            free(object);
            return NULL;
        }
        block_init(block, block_new_shared_id());
    } else {
        object->owner = *owner;
    }
    object->refs = 1;
    object->lower = lower;
    object->lower_provider = lower_provider;
    object->block = block;
    plat_rwlock_init(&object->block_guard);
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
    else
        free(object->block);
    plat_rwlock_destroy(&object->block_guard);
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

core_status object_move_block(sock_object *object, shared_block *to, const block_owner *owner)
{
    if (to == NULL || owner == NULL || owner->release == NULL)
        return CORE_ERR_INVALID;
    plat_rwlock_write(&object->block_guard);
    if (object->owner.release != NULL) {
        plat_rwlock_write_done(&object->block_guard);
        return CORE_ERR_INVALID;
    }
    /* No thread of this process is inside the block, and no other process
     * can see a heap block: a plain copy is a consistent one. */
    memcpy(to, object->block, sizeof *to);
    free(object->block);
    object->block = to;
    object->owner = *owner;
    plat_rwlock_write_done(&object->block_guard);
    return CORE_OK;
}

descriptor *descriptor_create(sock_object *object)
{
    descriptor *d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    d->refs = 1;
    object_retain(object);
    d->object = object;
    plat_atomic_add32(&descriptors_live, 1);
    return d;
}

void descriptor_retain(descriptor *d) { plat_atomic_add32(&d->refs, 1); }

void descriptor_release(descriptor *d)
{
    if (plat_atomic_add32(&d->refs, -1) != 0)
        return;
    object_release(d->object);
    free(d);
    plat_atomic_add32(&descriptors_live, -1);
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

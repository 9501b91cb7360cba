/* Socket objects and descriptors.
 *
 * A socket object is one underlying socket in this process: the lower socket,
 * its provider, and the shared block with all of the socket's state. A
 * descriptor is one upper handle; it owns one reference on its object.
 *
 * Lifetime: both are reference counted. An object's references are its
 * descriptors plus lookups in flight; a descriptor's are the one its open
 * handle holds plus lookups in flight. Neither is freed while a reference is
 * held, so a close racing a send on another thread only ends the send's view
 * of the socket once the send releases it. */
#ifndef SHARELSP_CORE_OBJECT_H
#define SHARELSP_CORE_OBJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "block.h"
#include "platform.h"
#include "status.h"

/* Who frees a block that is not on the heap (a mapped section): release is
 * called once, when the object no longer needs it. release == NULL: the block
 * is the object's own heap block. */
typedef struct block_owner {
    void (*release)(void *context, shared_block *block);
    void *context;
} block_owner;

typedef struct sock_object {
    volatile uint32_t refs;
    volatile uint32_t local_descriptors; /* descriptors in this process */
    volatile uint32_t lower_calls;       /* lower_gate.h: calls passing `lower` down, and whether it is shut */
    uint64_t lower;                      /* the lower provider's socket */
    void *lower_provider;                /* opaque to the core */
    plat_rwlock block_guard;             /* shared: using block; exclusive: moving it */
    /* own_block, or a section once moved. The counters read it without the
     * guard (object_count): it changes once, and own_block stays. */
    shared_block *block;
    block_owner owner;
    volatile uint32_t lower_message;     /* the provider's: the async message it last gave the lower socket */
    void *lower_io;                      /* the provider's: the lower socket's completion binding */
    plat_rwlock registration_local;      /* the provider's: this process's registrations of the socket */
    volatile uint32_t registration_remote; /* the provider's: 1 once another process may register it too */
    shared_block own_block;              /* where a new socket's block starts, on the heap */
} sock_object;

/* Descriptors are kept in a pool rather than freed while a table exists:
 * table_lookup_upper reads them without a lock, so one it finds may have been
 * released meanwhile, and must still be a descriptor (refs 0: not retained).
 * refs and closing come first, the only words such a lookup touches; the
 * pool link follows, and the rest of a pooled descriptor is poisoned under
 * ASan, so a use after the last release is still reported. */
typedef struct descriptor {
    volatile uint32_t refs;
    volatile uint32_t closing;      /* 0, then 1 once a close has begun */
    struct descriptor *pool_next;   /* in the pool only */
    volatile uint32_t handle_state; /* twice the handle's uses, plus 1 once its close waits for them */
    uint64_t upper;                 /* upper handle; 0 until published */
    sock_object *object;            /* one reference, released with the descriptor */
} descriptor;

/* block == NULL: a new heap block with a new shared id. Otherwise the object
 * takes the block (released through owner, which must not be NULL). The new
 * object has one reference and no descriptor. NULL when out of memory. */
sock_object *object_create(uint64_t lower, void *lower_provider, shared_block *block,
                           const block_owner *owner);
void object_retain(sock_object *object);
void object_release(sock_object *object);

/* How the provider keeps a socket's lower_provider alive for as long as the
 * object lives: an object may outlive the provider's own hold on it (a
 * request still finishing after the last WSPCleanup reads it). retain runs
 * when an object takes a non-NULL lower_provider, release when that object
 * is freed. Set while no object exists (the provider sets them when its DLL
 * is loaded; a test between its objects); NULL functions (the default) do
 * nothing. */
typedef struct object_provider_hooks {
    void (*retain)(void *lower_provider);
    void (*release)(void *lower_provider);
} object_provider_hooks;
void object_set_provider_hooks(const object_provider_hooks *hooks);

/* Counts one more local descriptor unless the count already fell to zero
 * (the object is being torn down). */
bool object_try_add_local(sock_object *object);
/* Returns the local descriptors left. */
uint32_t object_remove_local(sock_object *object);
/* Undoes the object_remove_local that left 0, when that close was refused.
 * Nothing was added meanwhile: object_try_add_local refuses at 0. */
void object_restore_last_local(sock_object *object);

/* Block access: every use of object->block lies between enter and leave, so
 * that object_move_block can swap it safely; but for object_count. */
shared_block *object_block_enter(sock_object *object);
void object_block_leave(sock_object *object);

/* Counts a send or a receive in the block without its guard (every call
 * does it; the guard is a lock word all of them would write): an addition
 * that lands in own_block after a move copied it is moved on, by the adder
 * or by the move, whichever sees it first. */
void object_count(sock_object *object, bool sent, uint64_t bytes);

/* Moves the heap block to new memory (a section): copies it and uses the new
 * one from then on (own_block stays, unused). CORE_ERR_INVALID if the block
 * is not the object's own heap block (it has moved already). */
core_status object_move_block(sock_object *object, shared_block *to, const block_owner *owner);

/* A new descriptor on object (one reference on it taken), refs 1, unpublished. */
descriptor *descriptor_create(sock_object *object);
void descriptor_retain(descriptor *d);
/* A reference on a descriptor found without a lock: false when its count
 * is 0 already (released; in the pool, or about to be). */
bool descriptor_try_retain(descriptor *d);
void descriptor_release(descriptor *d);

/* The pool is in use while a table exists (table_create opens it, and
 * table_destroy closes it); when the last closes, the pool is freed and
 * released descriptors go back to the heap. */
void descriptor_pool_open(void);
void descriptor_pool_close(void);

/* The upper handle outlives a close while requests still complete through
 * it (an aborted request is still reported through its handle: its event,
 * its completion port). A request holds the handle for its life; closing
 * the descriptor asks for the handle's close. Exactly one of the two calls
 * that can end the handle's life returns true: its caller closes it. */
void descriptor_handle_hold(descriptor *d);
bool descriptor_handle_release(descriptor *d);
bool descriptor_handle_close(descriptor *d);

/* Live counts, for leak checks in tests. */
uint32_t object_live_count(void);
uint32_t descriptor_live_count(void);

#endif

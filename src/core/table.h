/* The socket table of one process: descriptors by upper handle, objects by
 * lower handle (async-select messages, select results, accept) and objects by
 * shared-socket id (a second duplicate into this process joins the object
 * already here). Each index is a hash map split into shards with a
 * reader/writer lock each: O(1) on average at any size, no linear scan, and
 * lookups on different sockets rarely meet on a lock. Every lookup returns a
 * reference that the caller releases. */
#ifndef SHARELSP_CORE_TABLE_H
#define SHARELSP_CORE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "object.h"
#include "slot.h"
#include "status.h"

typedef struct sock_table sock_table;

typedef struct close_result {
    bool last_in_process;   /* close the lower socket */
    bool last_anywhere;     /* no descriptor is left in any process */
    bool registration_cancelled; /* the closed descriptor's registration was dropped */
    slot_record cancelled;  /* what it was, to cancel at the lower provider */
    sock_object *object;    /* a reference: the caller releases it */
} close_result;

sock_table *table_create(void);
/* Closes every descriptor still open and frees the table. Objects still
 * referenced by calls in flight are freed when those calls release them. */
void table_destroy(sock_table *table);

/* A new socket: a new object (heap block, new shared id) indexed by lower
 * handle and shared id, and its first descriptor, not yet published. */
core_status table_socket_new(sock_table *table, uint64_t lower, void *lower_provider, descriptor **out);

/* A socket duplicated from another process: if an object with the block's
 * shared id is already here, a new descriptor on it (*joined = true; the
 * caller still owns block and its lower socket and must release both);
 * otherwise a new object that takes block and owner. */
core_status table_socket_attach(sock_table *table, uint64_t lower, void *lower_provider, shared_block *block,
                                const block_owner *owner, descriptor **out, bool *joined);

/* Same-process duplicate: a new descriptor on src's object, unpublished. */
core_status table_duplicate(sock_table *table, descriptor *src, descriptor **out);
/* A new descriptor on an object found by lookup (a duplicate's info used in
 * this process); CORE_ERR_CLOSING if its last descriptor has gone. */
core_status table_duplicate_object(sock_table *table, sock_object *object, descriptor **out);

/* A duplication into this process, pending until its info is used (rule
 * R7): a new descriptor on src's object, unpublished and not counted in the
 * block's descriptors_open (an info is not a descriptor), that keeps the
 * object, and so its lower socket, in this process after src and every
 * other descriptor here are closed, as Winsock keeps a socket for an info.
 * Named by reference and nonce (src/core/pending.h). CORE_ERR_EXISTS,
 * nothing changed, if reference is pending already: draw another.
 * CORE_ERR_CLOSING if src is closing. */
core_status table_pending_add(sock_table *table, descriptor *src, uint64_t reference, uint64_t nonce);
/* Uses a pending duplication: *out is its descriptor, now counted, for the
 * caller to publish. CORE_ERR_NOT_FOUND, nothing changed, unless reference
 * and nonce name one pending duplication. */
core_status table_pending_take(sock_table *table, uint64_t reference, uint64_t nonce, descriptor **out);

/* Makes d reachable by its upper handle. CORE_ERR_EXISTS if the handle is in
 * use, CORE_ERR_INVALID if d is published already or upper is 0. */
core_status table_publish(sock_table *table, descriptor *d, uint64_t upper);

descriptor *table_lookup_upper(sock_table *table, uint64_t upper);
sock_object *table_lookup_lower(sock_table *table, uint64_t lower);
sock_object *table_lookup_shared(sock_table *table, uint64_t shared_id);

/* Closes the lower socket of an object whose last descriptor in this
 * process is closing: 0 when it is closed, anything else refuses the close. */
typedef int (*table_lower_close)(void *context, sock_object *object);

/* Closes a descriptor: only it is freed. When d is its object's last
 * descriptor in this process and close_lower is not NULL, close_lower runs
 * first, before anything else of the close: if it refuses, the close is
 * undone (d stays published, counted and registered, as it was) and
 * CORE_ERR_REFUSED is returned. With close_lower NULL, a result with
 * last_in_process tells the caller to close the lower socket itself. While
 * close_lower runs, lookups of d fail as for any descriptor being closed.
 * The caller's own reference on d (if any) stays valid until released.
 * CORE_ERR_CLOSING if a close of d has begun already. */
core_status table_close(sock_table *table, descriptor *d, table_lower_close close_lower, void *context,
                        close_result *result);
/* table_close by upper handle; CORE_ERR_NOT_FOUND for an unknown handle. */
core_status table_close_upper(sock_table *table, uint64_t upper, table_lower_close close_lower, void *context,
                              close_result *result);

/* Closes every published descriptor, then drops every pending duplication;
 * on_last (may be NULL) is called for each object whose last local
 * descriptor or pending duplication that ends, before it is released, with
 * the close's result (last_anywhere: no descriptor is left anywhere). */
void table_close_all(sock_table *table, void (*on_last)(void *context, const close_result *result), void *context);

size_t table_descriptor_count(sock_table *table);
size_t table_object_count(sock_table *table);

#endif

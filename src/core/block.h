/* The shared block: all state ShareLSP keeps for one socket (rule R1). It has
 * a fixed layout of plain values and no pointers, because after the socket's
 * first duplication into another process it lives in a section that every
 * process holding a descriptor maps, each at its own address.
 *
 * Concurrency: counters and the slot's generation are updated with atomic
 * operations; the tag and the rest of the registration slot are guarded by a
 * spin lock that lives in the block itself (the word holds the holder's
 * process id), so it excludes other threads and other processes alike. It is
 * held only for a copy of at most a few dozen bytes, never across a call. */
#ifndef SHARELSP_CORE_BLOCK_H
#define SHARELSP_CORE_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include <sharelsp/sharelsp.h>

#include "status.h"

#define BLOCK_MAGIC 0x50534c53u /* "SLSP" little-endian */
#define BLOCK_VERSION 1u
/* More descriptors than this for one socket means the block is corrupt. */
#define BLOCK_MAX_DESCRIPTORS (1u << 24)

/* FD_READ .. FD_ADDRESS_LIST_CHANGE: the ten network events of Winsock 2. */
#define SLOT_EVENT_MASK_ALL 0x3ffu

typedef enum slot_kind {
    SLOT_NONE = 0,
    SLOT_ASYNC = 1, /* WSPAsyncSelect: window + message */
    SLOT_EVENT = 2  /* WSPEventSelect: event handle */
} slot_kind;

/* The single event registration of a socket (rules R5, R6). */
typedef struct slot_record {
    uint32_t kind;        /* slot_kind */
    uint32_t owner_pid;   /* the process that registered */
    uint64_t generation;  /* bumped by every registration and cancellation */
    uint32_t event_mask;  /* FD_* bits */
    uint32_t message;     /* SLOT_ASYNC */
    uint64_t descriptor;  /* upper handle that registered (the wParam to post) */
    uint64_t window;      /* SLOT_ASYNC: HWND value in the owner process */
    uint64_t event;       /* SLOT_EVENT: WSAEVENT value in the owner process */
} slot_record;

typedef struct shared_block {
    uint32_t magic;
    uint32_t version;
    uint32_t size;        /* sizeof(shared_block) of the writer */
    uint32_t lock;        /* spin lock word: 0 or the holder's process id */
    uint64_t shared_id;   /* names the socket across processes; never 0 */
    uint32_t descriptors_open; /* across all processes */
    uint32_t tag_length;
    uint8_t tag[SHARELSP_TAG_MAX];
    uint64_t bytes_sent;
    uint64_t bytes_received;
    uint64_t calls_sent;
    uint64_t calls_received;
    slot_record slot;
} shared_block;

/* Makes a fresh block: no descriptor, no tag, no registration. */
void block_init(shared_block *block, uint64_t shared_id);

/* Checks a block read from memory that another process can write (a mapped
 * section): mapped_size is how much is mapped. CORE_OK or CORE_ERR_INVALID. */
core_status block_validate(const shared_block *block, size_t mapped_size);

void block_lock(shared_block *block);
void block_unlock(shared_block *block);

core_status block_set_tag(shared_block *block, const void *tag, size_t length);
/* Copies the tag into buffer; *length receives its length. A buffer shorter
 * than the tag gives CORE_ERR_SHORT_BUFFER with *length set to what is needed. */
core_status block_get_tag(shared_block *block, void *buffer, size_t capacity, size_t *length);

void block_count_send(shared_block *block, uint64_t bytes);
void block_count_receive(shared_block *block, uint64_t bytes);
void block_stats(shared_block *block, sharelsp_stats *stats);

/* Descriptor count across processes. add returns the count after the change;
 * remove never goes below zero and returns the count after. */
uint32_t block_descriptor_added(shared_block *block);
uint32_t block_descriptor_removed(shared_block *block);

/* A shared-socket id unlikely to collide across processes: process id in the
 * high half, a per-process counter in the low half. */
uint64_t block_new_shared_id(void);

#endif

/* The shared block: all state ShareLSP keeps for one socket (rule R1). It has
 * a fixed layout of plain values and no pointers, because after the socket's
 * first duplication into another process it lives in a section that every
 * process holding a descriptor maps, each at its own address.
 *
 * Concurrency: nothing in the block is a lock, because any process using it
 * may be killed or suspended at any instruction. Counters are atomic. The tag
 * and the registration slot are published values: a writer claims a free
 * record, fills it, and makes it current with one compare-and-swap of a
 * 64-bit word; a reader copies the current record and checks that it was
 * not recycled meanwhile. A writer that stops half-way only holds the record
 * it claimed; readers and other writers never wait for it. */
#ifndef SHARELSP_CORE_BLOCK_H
#define SHARELSP_CORE_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sharelsp/sharelsp.h>

#include "status.h"

#define BLOCK_MAGIC 0x50534c53u /* "SLSP" little-endian */
#define BLOCK_VERSION 3u
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
    uint64_t generation;  /* new for every registration and cancellation */
    uint32_t event_mask;  /* FD_* bits */
    uint32_t message;     /* SLOT_ASYNC: the application's message */
    uint64_t descriptor;  /* upper handle that registered (the wParam to post) */
    uint64_t window;      /* SLOT_ASYNC: HWND value in the owner process */
    uint64_t event;       /* SLOT_EVENT: WSAEVENT value in the owner process */
    uint32_t notice;      /* SLOT_ASYNC: the message the lower provider posts to the owner */
    uint32_t reserved;
} slot_record;

typedef struct tag_record {
    uint32_t length;
    uint32_t reserved;
    uint8_t bytes[SHARELSP_TAG_MAX];
} tag_record;

/* Records per published value. A writer that dies in an update keeps one
 * record for good; only when all are kept do updates fail (CORE_ERR_NO_MEMORY). */
enum { BLOCK_RECORDS = 8 };

/* Which record of a published value is current. current is the value's
 * sequence number shifted left by 4 with the record's index in the low bits
 * (BLOCK_NO_RECORD: empty); state[i] is BLOCK_RECORD_FREE, BLOCK_RECORD_WRITING,
 * or the sequence shifted left by 2 with BLOCK_RECORD_READY. */
typedef struct block_publication {
    uint64_t current;
    uint64_t sequence; /* the last sequence number handed out */
    uint64_t state[BLOCK_RECORDS];
} block_publication;

enum { BLOCK_NO_RECORD = 0xf, BLOCK_RECORD_FREE = 0, BLOCK_RECORD_WRITING = 1, BLOCK_RECORD_READY = 2 };

typedef struct shared_block {
    uint32_t magic;
    uint32_t version;
    uint32_t size;        /* sizeof(shared_block) of the writer */
    uint32_t reserved;
    uint64_t shared_id;   /* names the socket across processes; never 0 */
    uint32_t descriptors_open; /* across all processes */
    uint32_t reserved2;
    uint64_t bytes_sent;
    uint64_t bytes_received;
    uint64_t calls_sent;
    uint64_t calls_received;
    block_publication tag;
    tag_record tags[BLOCK_RECORDS];
    block_publication slot;
    slot_record slots[BLOCK_RECORDS];
    /* A layer's own state for the socket (include/sharelsp/layer.h): zero
     * at creation, then only the layer's code writes it, with atomic
     * operations on whole words, since every process maps it. */
    uint64_t layer[SHARELSP_LAYER_WORDS];
} shared_block;

/* Makes a fresh block: no descriptor, no tag, no registration. */
void block_init(shared_block *block, uint64_t shared_id);

/* Checks a block read from memory that another process can write (a mapped
 * section): mapped_size is how much is mapped. CORE_OK or CORE_ERR_INVALID. */
core_status block_validate(const shared_block *block, size_t mapped_size);

/* A published value's parts, for slot.c. Records are copied 64 bits at a
 * time with atomic loads and stores: another process may write them. */
/* A free record for a new value, now being written, and the value's sequence
 * number; -1 when no record is free. */
int block_claim(block_publication *pub, uint64_t *sequence);
/* The value's next sequence number, kept below 2^60 so that a current word
 * (sequence << 4) and a ready state (sequence << 2) hold it whole, whatever
 * another process wrote into the counter. */
uint64_t block_next_sequence(block_publication *pub);
/* The claimed record is written; it may be published. */
void block_ready(block_publication *pub, int index, uint64_t sequence);
/* Gives back a claimed record that was not published. */
void block_release(block_publication *pub, int index);
/* The current word of a value whose record index, written and ready, holds
 * sequence; index BLOCK_NO_RECORD for an empty value. */
uint64_t block_current_word(int index, uint64_t sequence);
/* Copies the current record (size bytes each, from records) into out and
 * its current word into *current; an empty value leaves out alone. A record
 * found recycled means a newer value was published: it reads again, so it
 * only ever repeats while other writers make progress. A block that
 * contradicts itself gives false at once (out is then meaningless; *current
 * is still the word found, so a writer can replace it). */
bool block_read_current(block_publication *pub, const void *records, size_t size, void *out, uint64_t *current);
/* Makes desired current if current is still expected, and frees the record
 * expected named. */
bool block_publish(block_publication *pub, uint64_t expected, uint64_t desired);
int block_current_index(uint64_t current);
uint64_t block_current_sequence(uint64_t current);
void block_words_store(void *to, const void *from, size_t size);

core_status block_set_tag(shared_block *block, const void *tag, size_t length);
/* Copies the tag into buffer; *length receives its length. A buffer shorter
 * than the tag gives CORE_ERR_SHORT_BUFFER with *length set to what is needed. */
core_status block_get_tag(shared_block *block, void *buffer, size_t capacity, size_t *length);

void block_count_send(shared_block *block, uint64_t bytes);
void block_count_receive(shared_block *block, uint64_t bytes);
void block_stats(shared_block *block, sharelsp_stats *stats);
/* Moves the counts in from into to (each taken out with an exchange, so an
 * addition is moved once, whoever moves it). */
void block_counts_move(shared_block *from, shared_block *to);
/* Copies a block that no one else changes meanwhile but for its counters,
 * which it leaves out (to's are zero): they move with block_counts_move. */
void block_copy_state(shared_block *to, const shared_block *from);

/* Descriptor count across processes. add returns the count after the change;
 * remove never goes below zero and returns the count after. */
uint32_t block_descriptor_added(shared_block *block);
uint32_t block_descriptor_removed(shared_block *block);

#ifdef SHARELSP_TEST_HOOKS
/* Tests only (sharelsp_hooks.dll): with SHARELSP_TEST_STOP_IN_UPDATE set in
 * the environment to this point's name, a process that reaches it in the
 * middle of a change of shared state says "stopped in update" on stderr and
 * then never finishes the change, until the test kills it. The points:
 * "publish" (a tag or registration record filled, not yet published),
 * "count" (bytes counted, the call not yet), "close" (the descriptor count
 * lowered, the lower socket not yet closed), "duplicate" (everything given
 * to the target, the ticket not yet written). */
void block_test_stop_point(const char *where);
#else
#define block_test_stop_point(where) ((void)0)
#endif

/* A shared-socket id unlikely to collide across processes: process id in the
 * high half, a per-process counter in the low half. */
uint64_t block_new_shared_id(void);

#endif

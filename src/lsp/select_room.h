/* Heap room for the selects too large for the stack, kept for the next
 * call instead of freed. A select on more than a few sockets needs room
 * for its map (select.c) on every call; allocating it each time made a
 * select on 100 sockets over wspbase take 0.5-1 ms instead of 30 us once a
 * process had opened and closed many sockets: the heap behind msvcrt's
 * malloc, which every module of the process shares, then took 0.8-6 ms to
 * find the 4 KB asked among the blocks those sockets left free
 * (docs/architecture.md, "Costs"). A room given back is kept in
 * one of a few slots, taken and given with one atomic exchange each: a
 * room is one call's at a time, whichever thread makes it, and a call that
 * finds no slot filled (another thread's select, or one an APC makes inside
 * ours) allocates. */
#ifndef SHARELSP_LSP_SELECT_ROOM_H
#define SHARELSP_LSP_SELECT_ROOM_H

#include <stddef.h>
#include <stdint.h>

typedef struct select_room {
    size_t bytes;    /* usable bytes in data */
    uint64_t data[]; /* aligned for pointers and SOCKETs */
} select_room;

/* A room of at least bytes, a kept one when one is large enough; NULL when
 * out of memory. */
select_room *select_room_take(size_t bytes);
/* Keeps the room for a later call, or frees it (every slot taken, or too
 * large to keep). */
void select_room_give(select_room *room);
/* Frees the kept rooms: the last WSPCleanup. A select that a program lets
 * run on past its last WSPCleanup gives its room back after this: kept
 * until the next last cleanup, or to the process's end. */
void select_room_release_all(void);

#endif

/* The few things the core needs from the operating system: a lock, atomic
 * integers, a yield and the current process id. Two implementations:
 * platform_win.c (SRWLOCK, Interlocked*) and platform_posix.c (pthread, C11
 * atomics). This header names no Windows type, so the core stays portable. */
#ifndef SHARELSP_CORE_PLATFORM_H
#define SHARELSP_CORE_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#ifdef _WIN32
/* Same size and layout as SRWLOCK (checked in platform_win.c). */
typedef struct plat_rwlock {
    void *ptr;
} plat_rwlock;
#define PLAT_RWLOCK_INIT {NULL} /* SRWLOCK_INIT */
#else
#include <pthread.h>
typedef struct plat_rwlock {
    pthread_rwlock_t rw;
} plat_rwlock;
#define PLAT_RWLOCK_INIT {PTHREAD_RWLOCK_INITIALIZER}
#endif
/* PLAT_RWLOCK_INIT: a lock with static storage, ready without plat_rwlock_init. */

void plat_rwlock_init(plat_rwlock *lock);
void plat_rwlock_destroy(plat_rwlock *lock);
void plat_rwlock_read(plat_rwlock *lock);
void plat_rwlock_read_done(plat_rwlock *lock);
void plat_rwlock_write(plat_rwlock *lock);
void plat_rwlock_write_done(plat_rwlock *lock);

/* Atomic operations on plain, naturally aligned integers: the shared block is
 * plain memory mapped by several processes, so its fields cannot be _Atomic
 * objects of one program. All are sequentially consistent. The loads are
 * inline, the compiler's atomic builtins (gcc's and clang's, on every target
 * we build): a descriptor's look-up reads a shard's sequence twice, each hash
 * entry it probes, the descriptor's count and closing flag, and each read
 * was a call into the platform file. A load is a plain move on x86; a
 * CAS(x, 0, 0) would be one too, but it writes the cache line, and every
 * lock-free reader would contend on what it only reads. */
static inline uint32_t plat_atomic_load32(volatile uint32_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
void plat_atomic_store32(volatile uint32_t *p, uint32_t v);
/* Returns the value after the addition. */
uint32_t plat_atomic_add32(volatile uint32_t *p, int32_t delta);
bool plat_atomic_cas32(volatile uint32_t *p, uint32_t expected, uint32_t desired);

static inline uint64_t plat_atomic_load64(volatile uint64_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
void plat_atomic_store64(volatile uint64_t *p, uint64_t v);
uint64_t plat_atomic_add64(volatile uint64_t *p, int64_t delta);
bool plat_atomic_cas64(volatile uint64_t *p, uint64_t expected, uint64_t desired);
/* Returns the value replaced. */
uint64_t plat_atomic_exchange64(volatile uint64_t *p, uint64_t v);

/* Pointers published to lock-free readers (the table's arrays, a socket
 * object's block). */
static inline void *plat_atomic_load_ptr(void *volatile *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
void plat_atomic_store_ptr(void *volatile *p, void *v);

/* Gives up the rest of the time slice (spin-wait back-off). */
void plat_yield(void);

uint32_t plat_process_id(void);

#endif

/* POSIX side of platform.h: pthread read-write locks and C11 atomics. */
#include "platform.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

/* The casts below treat plain integers as atomic objects; that holds because
 * the atomic types have the plain types' size and alignment here. */
_Static_assert(sizeof(_Atomic uint32_t) == sizeof(uint32_t), "atomic u32 layout");
_Static_assert(sizeof(_Atomic uint64_t) == sizeof(uint64_t), "atomic u64 layout");
_Static_assert(_Alignof(_Atomic uint64_t) == _Alignof(uint64_t), "atomic u64 alignment");

#define AS_ATOMIC32(p) ((volatile _Atomic uint32_t *)(p))
#define AS_ATOMIC64(p) ((volatile _Atomic uint64_t *)(p))

void plat_rwlock_init(plat_rwlock *lock)
{
    if (pthread_rwlock_init(&lock->rw, NULL) != 0)
        abort(); /* only fails for want of memory at start-up */
}

void plat_rwlock_destroy(plat_rwlock *lock) { pthread_rwlock_destroy(&lock->rw); }
void plat_rwlock_read(plat_rwlock *lock) { pthread_rwlock_rdlock(&lock->rw); }
void plat_rwlock_read_done(plat_rwlock *lock) { pthread_rwlock_unlock(&lock->rw); }
void plat_rwlock_write(plat_rwlock *lock) { pthread_rwlock_wrlock(&lock->rw); }
void plat_rwlock_write_done(plat_rwlock *lock) { pthread_rwlock_unlock(&lock->rw); }

void plat_atomic_store32(volatile uint32_t *p, uint32_t v) { atomic_store(AS_ATOMIC32(p), v); }

uint32_t plat_atomic_add32(volatile uint32_t *p, int32_t delta)
{
    return atomic_fetch_add(AS_ATOMIC32(p), (uint32_t)delta) + (uint32_t)delta;
}

bool plat_atomic_cas32(volatile uint32_t *p, uint32_t expected, uint32_t desired)
{
    return atomic_compare_exchange_strong(AS_ATOMIC32(p), &expected, desired);
}

void plat_atomic_store64(volatile uint64_t *p, uint64_t v) { atomic_store(AS_ATOMIC64(p), v); }

uint64_t plat_atomic_add64(volatile uint64_t *p, int64_t delta)
{
    return atomic_fetch_add(AS_ATOMIC64(p), (uint64_t)delta) + (uint64_t)delta;
}

bool plat_atomic_cas64(volatile uint64_t *p, uint64_t expected, uint64_t desired)
{
    return atomic_compare_exchange_strong(AS_ATOMIC64(p), &expected, desired);
}

uint64_t plat_atomic_exchange64(volatile uint64_t *p, uint64_t v) { return atomic_exchange(AS_ATOMIC64(p), v); }

void plat_atomic_store_ptr(void *volatile *p, void *v) { atomic_store((void *volatile _Atomic *)p, v); }

void plat_yield(void) { sched_yield(); }

uint32_t plat_process_id(void) { return (uint32_t)getpid(); }

/* Windows side of platform.h: slim reader/writer locks and Interlocked*. */
#include "platform.h"

#include <windows.h>

_Static_assert(sizeof(plat_rwlock) == sizeof(SRWLOCK), "plat_rwlock mirrors SRWLOCK");
_Static_assert(sizeof(LONG) == sizeof(uint32_t), "LONG is 32 bits");
_Static_assert(sizeof(LONG64) == sizeof(uint64_t), "LONG64 is 64 bits");

#define AS_SRW(l) ((PSRWLOCK)(void *)(l))
#define AS_LONG(p) ((volatile LONG *)(p))
#define AS_LONG64(p) ((volatile LONG64 *)(p))

void plat_rwlock_init(plat_rwlock *lock) { InitializeSRWLock(AS_SRW(lock)); }
void plat_rwlock_destroy(plat_rwlock *lock) { (void)lock; /* an SRWLOCK holds nothing */ }
void plat_rwlock_read(plat_rwlock *lock) { AcquireSRWLockShared(AS_SRW(lock)); }
void plat_rwlock_read_done(plat_rwlock *lock) { ReleaseSRWLockShared(AS_SRW(lock)); }
void plat_rwlock_write(plat_rwlock *lock) { AcquireSRWLockExclusive(AS_SRW(lock)); }
void plat_rwlock_write_done(plat_rwlock *lock) { ReleaseSRWLockExclusive(AS_SRW(lock)); }

/* The stores are Interlocked* (full barriers on x86), so the loads, inline
 * in platform.h, are plain moves. */
void plat_atomic_store32(volatile uint32_t *p, uint32_t v) { InterlockedExchange(AS_LONG(p), (LONG)v); }

uint32_t plat_atomic_add32(volatile uint32_t *p, int32_t delta)
{
    return (uint32_t)InterlockedExchangeAdd(AS_LONG(p), (LONG)delta) + (uint32_t)delta;
}

bool plat_atomic_cas32(volatile uint32_t *p, uint32_t expected, uint32_t desired)
{
    return (uint32_t)InterlockedCompareExchange(AS_LONG(p), (LONG)desired, (LONG)expected) == expected;
}

void plat_atomic_store64(volatile uint64_t *p, uint64_t v) { InterlockedExchange64(AS_LONG64(p), (LONG64)v); }

uint64_t plat_atomic_add64(volatile uint64_t *p, int64_t delta)
{
    return (uint64_t)InterlockedExchangeAdd64(AS_LONG64(p), delta) + (uint64_t)delta;
}

bool plat_atomic_cas64(volatile uint64_t *p, uint64_t expected, uint64_t desired)
{
    return (uint64_t)InterlockedCompareExchange64(AS_LONG64(p), (LONG64)desired, (LONG64)expected) == expected;
}

uint64_t plat_atomic_exchange64(volatile uint64_t *p, uint64_t v)
{
    return (uint64_t)InterlockedExchange64(AS_LONG64(p), (LONG64)v);
}

void plat_atomic_store_ptr(void *volatile *p, void *v) { InterlockedExchangePointer((PVOID volatile *)p, v); }

void plat_yield(void) { SwitchToThread(); }

uint32_t plat_process_id(void) { return (uint32_t)GetCurrentProcessId(); }

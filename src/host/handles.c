/* The host's socket handle table: every handle an application holds maps to
 * the catalog entry whose provider serves it. IFS providers' own handles are
 * adopted when they are returned; non-IFS providers' handles come from
 * WPUCreateSocketHandle and carry the provider's context.
 *
 * Entries are counted: the table holds one reference while the handle is
 * listed, and every call that passes the handle down holds one more until
 * it returns. A handle of ours (an upcall handle) is closed with the last
 * reference, not when the provider releases it: while any call still passes
 * the value down, the system cannot give the value to another object, so no
 * call reaches the wrong one (issue 13). */
#include "host.h"

#include <stdlib.h>

#include "hashmap.h"
#include "signal.h"

struct host_entry {
    SOCKET s;
    host_handle h;
    volatile LONG refs;    /* the table's while listed, and one per holder */
    volatile LONG closing; /* a closesocket is on its way to the provider */
};

static SRWLOCK handles_lock = SRWLOCK_INIT;
static hashmap handles;

void host_handles_init(void)
{
    AcquireSRWLockExclusive(&handles_lock);
    if (handles.array == NULL)
        hashmap_init(&handles);
    ReleaseSRWLockExclusive(&handles_lock);
}

const host_handle *host_entry_handle(const host_entry *e) { return &e->h; }

void host_entry_release(host_entry *e)
{
    if (e == NULL || InterlockedDecrement(&e->refs) != 0)
        return;
    /* Unlisted and no call holds it: now the value may go. */
    if (e->h.from_upcall)
        CloseHandle((HANDLE)(uintptr_t)e->s);
    if (e->h.signal != NULL)
        signal_retire(e->h.signal);
    free(e);
}

/* An entry the table drops because its value names a new handle now: the
 * value is no longer its to close. With handles_lock held exclusively. */
static host_entry *entry_stale(host_entry *e)
{
    if (e != NULL)
        e->h.from_upcall = false;
    return e;
}

int host_handle_add(SOCKET s, const host_handle *h)
{
    host_entry *e = malloc(sizeof *e);
    if (e == NULL)
        return WSAENOBUFS;
    *e = (host_entry){.s = s, .h = *h, .refs = 1, .closing = 0};
    void *previous = NULL;
    AcquireSRWLockExclusive(&handles_lock);
    core_status st = hashmap_put(&handles, (uint64_t)s, e, &previous);
    entry_stale(previous);
    ReleaseSRWLockExclusive(&handles_lock);
    host_entry_release(previous); /* a stale entry for a value the system reused */
    if (st != CORE_OK) {
        free(e);
        return WSAENOBUFS;
    }
    return 0;
}

bool host_handle_get(SOCKET s, host_handle *out)
{
    AcquireSRWLockShared(&handles_lock);
    host_entry *e = hashmap_get(&handles, (uint64_t)s);
    if (e != NULL)
        *out = e->h;
    ReleaseSRWLockShared(&handles_lock);
    return e != NULL;
}

host_entry *host_entry_acquire(SOCKET s)
{
    AcquireSRWLockShared(&handles_lock);
    host_entry *e = hashmap_get(&handles, (uint64_t)s);
    if (e != NULL)
        InterlockedIncrement(&e->refs); /* listed: the table's reference keeps it */
    ReleaseSRWLockShared(&handles_lock);
    return e;
}

bool host_handle_hold(SOCKET s, void (*use)(SOCKET s, const host_handle *h, void *context), void *context)
{
    host_entry *e = host_entry_acquire(s);
    if (e == NULL)
        return false;
    use(s, &e->h, context);
    host_entry_release(e);
    return true;
}

bool host_handle_remove(SOCKET s, host_handle *out)
{
    AcquireSRWLockExclusive(&handles_lock);
    host_entry *e = hashmap_get(&handles, (uint64_t)s);
    if (e != NULL) {
        if (out != NULL)
            *out = e->h;
        hashmap_remove_if(&handles, (uint64_t)s, e);
    }
    ReleaseSRWLockExclusive(&handles_lock);
    host_entry_release(e);
    return e != NULL;
}

void host_entry_set_closing(host_entry *e, bool closing) { InterlockedExchange(&e->closing, closing ? 1 : 0); }

void host_entry_remove(host_entry *e)
{
    AcquireSRWLockExclusive(&handles_lock);
    /* Only this entry: once the provider closed its handle, the value may
     * name a new socket already, whose entry stays. */
    bool removed = hashmap_remove_if(&handles, (uint64_t)e->s, e) != 0;
    ReleaseSRWLockExclusive(&handles_lock);
    if (removed)
        host_entry_release(e);
}

void host_handles_clear(void)
{
    AcquireSRWLockExclusive(&handles_lock);
    hashmap old = handles;
    hashmap_init(&handles);
    ReleaseSRWLockExclusive(&handles_lock);
    for (size_t i = 0; old.array != NULL && i < old.array->capacity; i++)
        host_entry_release(old.array->entries[i].value);
    hashmap_free(&old);
}

host_call host_call_begin(SOCKET s)
{
    host_call c = {.provider = NULL, .entry = NULL, .error = 0};
    if (!host_is_started()) {
        c.error = WSANOTINITIALISED;
        return c;
    }
    c.entry = host_entry_acquire(s);
    if (c.entry == NULL || host_provider_for(c.entry->h.catalog_id, &c.provider) != 0) {
        host_entry_release(c.entry);
        c.entry = NULL;
        c.provider = NULL;
        c.error = WSAENOTSOCK;
    }
    return c;
}

void host_call_end(host_call *c)
{
    host_entry_release(c->entry);
    c->entry = NULL;
}

host_provider *host_route(SOCKET s, int *err)
{
    host_call c = host_call_begin(s);
    host_call_end(&c);
    *err = c.error;
    return c.provider;
}

void host_adopt_socket(SOCKET s, DWORD catalog_id)
{
    host_entry *e = malloc(sizeof *e);
    if (e == NULL)
        return; /* out of memory: the socket is unusable, as its calls will say */
    *e = (host_entry){.s = s,
                      .h = {.catalog_id = catalog_id, .context = 0, .from_upcall = false, .signal = NULL},
                      .refs = 1,
                      .closing = 0};
    host_entry *replaced = NULL;
    AcquireSRWLockExclusive(&handles_lock);
    host_entry *old = hashmap_get(&handles, (uint64_t)s);
    /* An entry an upcall made for this socket stays. One whose close is on
     * its way is the closed socket's: the provider closed it and the system
     * gave its value to this one, so this one replaces it (kept, it would be
     * removed when that close returns, and the new socket lost). */
    if (old == NULL || InterlockedCompareExchange(&old->closing, 0, 0) != 0) {
        void *previous = NULL;
        if (hashmap_put(&handles, (uint64_t)s, e, &previous) == CORE_OK) {
            replaced = entry_stale(previous);
            e = NULL;
        }
    }
    ReleaseSRWLockExclusive(&handles_lock);
    host_entry_release(replaced);
    free(e);
}

int host_finish(int r, const int *err)
{
    /* err is read here, after the provider call that set it has returned:
     * as a plain argument it could be read before the call is made. */
    if (r == SOCKET_ERROR)
        SetLastError((DWORD)*err); /* what WSASetLastError does */
    return r;
}

/* The host's socket handle table: every handle an application holds maps to
 * the catalog entry whose provider serves it. IFS providers' own handles are
 * adopted when they are returned; non-IFS providers' handles come from
 * WPUCreateSocketHandle and carry the provider's context. */
#include "host.h"

#include <stdlib.h>

#include "hashmap.h"
#include "signal.h"

static SRWLOCK handles_lock = SRWLOCK_INIT;
static hashmap handles;

void host_handles_init(void)
{
    AcquireSRWLockExclusive(&handles_lock);
    if (handles.array == NULL)
        hashmap_init(&handles);
    ReleaseSRWLockExclusive(&handles_lock);
}

int host_handle_add(SOCKET s, const host_handle *h)
{
    host_handle *copy = malloc(sizeof *copy);
    if (copy == NULL)
        return WSAENOBUFS;
    *copy = *h;
    void *previous = NULL;
    AcquireSRWLockExclusive(&handles_lock);
    core_status st = hashmap_put(&handles, (uint64_t)s, copy, &previous);
    ReleaseSRWLockExclusive(&handles_lock);
    free(previous); /* a stale entry for a value the system reused */
    if (st != CORE_OK) {
        free(copy);
        return WSAENOBUFS;
    }
    return 0;
}

bool host_handle_get(SOCKET s, host_handle *out)
{
    AcquireSRWLockShared(&handles_lock);
    host_handle *h = hashmap_get(&handles, (uint64_t)s);
    if (h != NULL)
        *out = *h;
    ReleaseSRWLockShared(&handles_lock);
    return h != NULL;
}

bool host_handle_hold(SOCKET s, void (*use)(SOCKET s, const host_handle *h, void *context), void *context)
{
    /* Shared: uses of different handles, or of one, run side by side; a
     * removal waits for them. */
    AcquireSRWLockShared(&handles_lock);
    host_handle *h = hashmap_get(&handles, (uint64_t)s);
    if (h != NULL)
        use(s, h, context);
    ReleaseSRWLockShared(&handles_lock);
    return h != NULL;
}

bool host_handle_remove(SOCKET s, host_handle *out)
{
    AcquireSRWLockExclusive(&handles_lock);
    host_handle *h = hashmap_get(&handles, (uint64_t)s);
    if (h != NULL) {
        if (out != NULL)
            *out = *h;
        hashmap_remove_if(&handles, (uint64_t)s, h);
    }
    ReleaseSRWLockExclusive(&handles_lock);
    free(h);
    return h != NULL;
}

void host_handles_clear(void)
{
    AcquireSRWLockExclusive(&handles_lock);
    hashmap_array *array = handles.array;
    for (size_t i = 0; array != NULL && i < array->capacity; i++) {
        host_handle *h = array->entries[i].value;
        if (h != NULL && h->from_upcall)
            CloseHandle((HANDLE)(uintptr_t)array->entries[i].key);
        if (h != NULL && h->signal != NULL)
            signal_retire(h->signal);
        free(h);
    }
    hashmap_free(&handles);
    ReleaseSRWLockExclusive(&handles_lock);
}

host_provider *host_route(SOCKET s, int *err)
{
    if (!host_is_started()) {
        *err = WSANOTINITIALISED;
        return NULL;
    }
    host_handle h;
    host_provider *p = NULL;
    if (!host_handle_get(s, &h) || host_provider_for(h.catalog_id, &p) != 0) {
        *err = WSAENOTSOCK;
        return NULL;
    }
    return p;
}

void host_adopt_socket(SOCKET s, DWORD catalog_id)
{
    host_handle h;
    if (host_handle_get(s, &h))
        return;
    h = (host_handle){.catalog_id = catalog_id, .context = 0, .from_upcall = false, .signal = NULL};
    (void)host_handle_add(s, &h); /* out of memory: the socket is unusable, as its calls will say */
}

int host_finish(int r, const int *err)
{
    /* err is read here, after the provider call that set it has returned:
     * as a plain argument it could be read before the call is made. */
    if (r == SOCKET_ERROR)
        SetLastError((DWORD)*err); /* what WSASetLastError does */
    return r;
}

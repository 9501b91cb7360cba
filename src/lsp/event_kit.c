#include "event_kit.h"

#include <stdlib.h>

/* Enough for the requests a busy program has in flight at once; a kit
 * given back beyond it is closed. */
enum { EVENT_KIT_POOL_MAX = 64 };

static SRWLOCK pool_lock = SRWLOCK_INIT;
static event_kit *pool;
static int pool_count;
static bool pool_open;

static void CALLBACK event_kit_signalled(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WAIT wait,
                                         TP_WAIT_RESULT result)
{
    (void)wait, (void)result; /* no time-out: always WAIT_OBJECT_0 */
    event_kit *kit = context;
    kit->callback(instance, kit->context);
}

static void event_kit_close(event_kit *kit)
{
    CloseThreadpoolWait(kit->wait);
    CloseHandle(kit->event);
    free(kit);
}

event_kit *event_kit_take(event_kit_callback callback)
{
    AcquireSRWLockExclusive(&pool_lock);
    event_kit *kit = pool;
    if (kit != NULL) {
        pool = kit->next;
        pool_count--;
    }
    ReleaseSRWLockExclusive(&pool_lock);
    if (kit == NULL) {
        kit = calloc(1, sizeof *kit);
        if (kit == NULL)
            return NULL;
        kit->event = CreateEventW(NULL, TRUE, FALSE, NULL);
        kit->wait = kit->event != NULL ? CreateThreadpoolWait(event_kit_signalled, kit, NULL) : NULL;
        if (kit->wait == NULL) {
            if (kit->event != NULL)
                CloseHandle(kit->event);
            free(kit);
            return NULL;
        }
    }
    kit->callback = callback;
    kit->context = NULL;
    kit->next = NULL;
    return kit;
}

void event_kit_clean(event_kit *kit)
{
    if (kit->dirty) {
        ResetEvent(kit->event);
        kit->dirty = false;
    }
}

void event_kit_arm(event_kit *kit, void *context)
{
    kit->context = context;
    SetThreadpoolWait(kit->wait, kit->event, NULL);
}

void event_kit_give(event_kit *kit)
{
    /* Its event may be set (the lower request finished, or TransmitPackets'
     * last element did): left so, for the next user to reset if it must. */
    kit->dirty = true;
    AcquireSRWLockExclusive(&pool_lock);
    bool kept = pool_open && pool_count < EVENT_KIT_POOL_MAX;
    if (kept) {
        kit->next = pool;
        pool = kit;
        pool_count++;
    }
    ReleaseSRWLockExclusive(&pool_lock);
    if (!kept)
        event_kit_close(kit);
}

void event_kit_pool_open(void)
{
    AcquireSRWLockExclusive(&pool_lock);
    pool_open = true;
    ReleaseSRWLockExclusive(&pool_lock);
}

void event_kit_pool_close(void)
{
    AcquireSRWLockExclusive(&pool_lock);
    event_kit *kits = pool;
    pool = NULL;
    pool_count = 0;
    pool_open = false;
    ReleaseSRWLockExclusive(&pool_lock);
    /* Closing a wait that is not armed waits for nothing: safe under the
     * loader lock, where the last WSPCleanup may run. */
    while (kits != NULL) {
        event_kit *next = kits->next;
        event_kit_close(kits);
        kits = next;
    }
}

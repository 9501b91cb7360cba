/* Socket handles for non-IFS providers, made ahead of need and closed after
 * it, on the thread pool.
 *
 * Under Wine, making a handle (an unnamed pipe, completion.c) is a request
 * to the wineserver, and so is closing it: a round trip each, tens of
 * microseconds, which socket() and closesocket() through a layered provider
 * would pay on top of the base provider's own. So a few handles are made
 * ahead on the thread pool and a socket takes one of them; a handle the
 * program is done with is closed there too. Only new handles are handed
 * out, never one a program has used: a used one may carry a completion port
 * association or a completion mode that no call can take back.
 *
 * In steady use the stock stays full and nothing waits to be closed, so a
 * process holds STOCK_FILL handles more than it would otherwise, no more:
 * each handle taken or given back queues the work at once. */
#include "handle_stock.h"

#include <stdbool.h>
#include <stddef.h>

#include "completion.h"

enum {
    STOCK_FILL = HANDLE_STOCK_FILL,
    STOCK_CLOSE_MAX = 64, /* waiting to be closed; beyond, the caller closes its own */
};

static SRWLOCK stock_lock = SRWLOCK_INIT;
static HANDLE stocked[STOCK_FILL];
static size_t stocked_count;
static HANDLE closing[STOCK_CLOSE_MAX];
static size_t closing_count;
static bool work_queued; /* the work is queued or running; it looks again before it ends */

static INIT_ONCE work_once = INIT_ONCE_STATIC_INIT;
static PTP_WORK work;
static TP_CALLBACK_ENVIRON work_environment;

/* Made ahead, with stock_lock not held: one handle into the stock. False
 * when none can be made now, or the stock is full already (the handle is
 * closed again). */
static bool stock_fill_one(void)
{
    HANDLE h = host_completion_handle_open();
    if (h == NULL)
        return false;
    AcquireSRWLockExclusive(&stock_lock);
    bool kept = stocked_count < STOCK_FILL;
    if (kept)
        stocked[stocked_count++] = h;
    ReleaseSRWLockExclusive(&stock_lock);
    if (!kept)
        CloseHandle(h);
    return kept;
}

static void CALLBACK stock_work(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK w)
{
    (void)instance;
    (void)context;
    (void)w;
    for (;;) {
        HANDLE spent[STOCK_CLOSE_MAX];
        AcquireSRWLockExclusive(&stock_lock);
        size_t n = closing_count, wanted = STOCK_FILL - stocked_count;
        for (size_t i = 0; i < n; i++)
            spent[i] = closing[i];
        closing_count = 0;
        if (n == 0 && wanted == 0)
            work_queued = false;
        ReleaseSRWLockExclusive(&stock_lock);
        if (n == 0 && wanted == 0)
            return;
        for (size_t i = 0; i < n; i++)
            CloseHandle(spent[i]);
        bool made = true;
        for (; made && wanted > 0; wanted--)
            made = stock_fill_one();
        if (!made) {
            /* Out of handles, or full already: the next take or close
             * queues the work again. */
            AcquireSRWLockExclusive(&stock_lock);
            bool more = closing_count > 0;
            work_queued = more;
            ReleaseSRWLockExclusive(&stock_lock);
            if (!more)
                return;
        }
    }
}

static BOOL CALLBACK stock_work_create(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    /* The pool holds wsphost while the work runs, so FreeLibrary cannot
     * take the code from under it. */
    HMODULE self = NULL;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)stock_work, &self))
        return TRUE;
    InitializeThreadpoolEnvironment(&work_environment);
    SetThreadpoolCallbackLibrary(&work_environment, self);
    work = CreateThreadpoolWork(stock_work, NULL, &work_environment);
    return TRUE;
}

/* With stock_lock held: whether the caller is to queue the work. */
static bool stock_work_due(void)
{
    if (work == NULL || work_queued)
        return false;
    work_queued = true;
    return true;
}

HANDLE stock_handle_take(void)
{
    InitOnceExecuteOnce(&work_once, stock_work_create, NULL, NULL);
    AcquireSRWLockExclusive(&stock_lock);
    HANDLE h = stocked_count > 0 ? stocked[--stocked_count] : NULL;
    bool due = stock_work_due();
    ReleaseSRWLockExclusive(&stock_lock);
    if (due)
        SubmitThreadpoolWork(work);
    return h != NULL ? h : host_completion_handle_open();
}

void stock_handle_close(HANDLE handle)
{
    AcquireSRWLockExclusive(&stock_lock);
    bool queued = work != NULL && closing_count < STOCK_CLOSE_MAX;
    if (queued)
        closing[closing_count++] = handle;
    bool due = queued && stock_work_due();
    ReleaseSRWLockExclusive(&stock_lock);
    if (due)
        SubmitThreadpoolWork(work);
    if (!queued)
        CloseHandle(handle);
}

void stock_drain(void)
{
    if (work == NULL)
        return;
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    AcquireSRWLockExclusive(&stock_lock);
    HANDLE spent[STOCK_FILL + STOCK_CLOSE_MAX];
    size_t n = 0;
    while (stocked_count > 0)
        spent[n++] = stocked[--stocked_count];
    while (closing_count > 0)
        spent[n++] = closing[--closing_count];
    ReleaseSRWLockExclusive(&stock_lock);
    for (size_t i = 0; i < n; i++)
        CloseHandle(spent[i]);
}

/* The fault plan: which entry point fails, on which call, with what. The
 * test changes it while sockets are in use on other threads, so every read
 * and change is under one lock. */
#include "faulty.h"

#include <string.h>

static SRWLOCK plan_lock = SRWLOCK_INIT;
static char plan_entry[32];
static LONG plan_nth, plan_calls, plan_fired;
static int plan_error;
static bool plan_pend;

void faulty_arm(const char *entry, LONG nth, int error, BOOL pend)
{
    AcquireSRWLockExclusive(&plan_lock);
    strncpy(plan_entry, entry, sizeof plan_entry - 1);
    plan_entry[sizeof plan_entry - 1] = '\0';
    plan_nth = nth;
    plan_calls = 0;
    plan_error = error;
    plan_pend = pend != FALSE;
    ReleaseSRWLockExclusive(&plan_lock);
}

void faulty_clear(void)
{
    AcquireSRWLockExclusive(&plan_lock);
    plan_nth = 0;
    ReleaseSRWLockExclusive(&plan_lock);
}

LONG faulty_fired(void)
{
    AcquireSRWLockShared(&plan_lock);
    LONG fired = plan_fired;
    ReleaseSRWLockShared(&plan_lock);
    return fired;
}

int faulty_plan_take(const char *entry, bool *pend)
{
    int error = 0;
    AcquireSRWLockExclusive(&plan_lock);
    if (plan_nth > 0 && strcmp(entry, plan_entry) == 0 && ++plan_calls == plan_nth) {
        error = plan_error;
        *pend = plan_pend;
        plan_nth = 0; /* spent: the calls after it work */
        plan_fired++;
    }
    ReleaseSRWLockExclusive(&plan_lock);
    return error;
}

/* nullbase: select and the registrations. Every socket is always ready to
 * read and to write, and never has anything exceptional to report: a
 * registration for either is answered at once, as a provider answers one
 * for a socket that is ready when it is made. */
#include "nullbase.h"

#include <string.h>

#include "bench_clock.h"

static volatile LONG64 nullbase_post_ns;

uint64_t nullbase_last_post_ns(void) { return (uint64_t)InterlockedCompareExchange64(&nullbase_post_ns, 0, 0); }

/* The ready events a registration asks for. */
static long nullbase_ready(long lNetworkEvents) { return lNetworkEvents & (FD_READ | FD_WRITE); }

static int WSPAPI nullbase_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                                  struct timeval *const timeout, LPINT lpErrno)
{
    (void)nfds, (void)timeout;
    if (readfds == NULL && writefds == NULL && exceptfds == NULL)
        return nullbase_error(WSAEINVAL, lpErrno);
    int ready = (readfds != NULL ? (int)readfds->fd_count : 0) + (writefds != NULL ? (int)writefds->fd_count : 0);
    if (exceptfds != NULL)
        exceptfds->fd_count = 0;
    return ready;
}

static int WSPAPI nullbase_event_select(SOCKET s, WSAEVENT hEventObject, long lNetworkEvents, LPINT lpErrno)
{
    (void)s;
    if (nullbase_ready(lNetworkEvents) != 0 && hEventObject != NULL && !SetEvent(hEventObject))
        return nullbase_error(WSAEINVAL, lpErrno);
    return 0;
}

/* The last async registration for FD_WRITE, which nullbase_post_again
 * posts once more, as a provider posts when a socket becomes writable. */
static SRWLOCK last_lock = SRWLOCK_INIT;
static struct {
    SOCKET s;
    HWND window;
    UINT message;
} last_registration;

/* Posts FD_WRITE for s to hWnd through the host, noting when. */
static BOOL nullbase_post_write(SOCKET s, HWND hWnd, UINT wMsg)
{
    InterlockedExchange64(&nullbase_post_ns, (LONG64)bench_now_ns());
    return nullbase_upcalls()->lpWPUPostMessage(hWnd, wMsg, (WPARAM)s, WSAMAKESELECTREPLY(FD_WRITE, 0));
}

BOOL nullbase_post_again(void)
{
    AcquireSRWLockShared(&last_lock);
    BOOL posted = last_registration.window != NULL &&
                  nullbase_post_write(last_registration.s, last_registration.window, last_registration.message);
    ReleaseSRWLockShared(&last_lock);
    return posted;
}

static int WSPAPI nullbase_async_select(SOCKET s, HWND hWnd, unsigned int wMsg, long lEvent, LPINT lpErrno)
{
    long ready = nullbase_ready(lEvent);
    AcquireSRWLockExclusive(&last_lock);
    last_registration.s = s;
    last_registration.window = (ready & FD_WRITE) != 0 ? hWnd : NULL;
    last_registration.message = wMsg;
    ReleaseSRWLockExclusive(&last_lock);
    const long events[] = {FD_READ, FD_WRITE};
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        if ((ready & events[i]) == 0)
            continue;
        BOOL posted = events[i] == FD_WRITE ? nullbase_post_write(s, hWnd, wMsg)
                                            : nullbase_upcalls()->lpWPUPostMessage(hWnd, wMsg, (WPARAM)s,
                                                                                  WSAMAKESELECTREPLY(events[i], 0));
        if (!posted)
            return nullbase_error(WSAEINVAL, lpErrno);
    }
    return 0;
}

static int WSPAPI nullbase_enum_network_events(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents,
                                               LPINT lpErrno)
{
    (void)s;
    if (lpNetworkEvents == NULL)
        return nullbase_error(WSAEFAULT, lpErrno);
    memset(lpNetworkEvents, 0, sizeof *lpNetworkEvents);
    lpNetworkEvents->lNetworkEvents = FD_READ | FD_WRITE;
    if (hEventObject != NULL)
        ResetEvent(hEventObject);
    return 0;
}

void nullbase_fill_notify_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPSelect = nullbase_select;
    procs->lpWSPEventSelect = nullbase_event_select;
    procs->lpWSPAsyncSelect = nullbase_async_select;
    procs->lpWSPEnumNetworkEvents = nullbase_enum_network_events;
}

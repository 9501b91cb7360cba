/* nullbase: select and the registrations. Every socket is always ready to
 * read and to write, and never has anything exceptional to report. */
#include "nullbase.h"

#include <string.h>

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
    /* Accepted and never signalled: a null socket has no events to report
     * but those a program can ask WSPEnumNetworkEvents for at any time. */
    (void)s, (void)hEventObject, (void)lNetworkEvents, (void)lpErrno;
    return 0;
}

static int WSPAPI nullbase_async_select(SOCKET s, HWND hWnd, unsigned int wMsg, long lEvent, LPINT lpErrno)
{
    (void)s, (void)hWnd, (void)wMsg, (void)lEvent, (void)lpErrno;
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

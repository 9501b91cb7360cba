/* wspbase: select and event notification. The platform's own sockets already
 * keep one registration per socket, the last one made through any handle. */
#include "base.h"

static int WSPAPI base_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                              struct timeval *const timeout, LPINT lpErrno)
{
    return base_result(select(nfds, readfds, writefds, exceptfds, timeout), lpErrno);
}

static int WSPAPI base_async_select(SOCKET s, HWND hWnd, unsigned int wMsg, long lEvent, LPINT lpErrno)
{
    return base_result(WSAAsyncSelect(s, hWnd, wMsg, lEvent), lpErrno);
}

static int WSPAPI base_event_select(SOCKET s, WSAEVENT hEventObject, long lNetworkEvents, LPINT lpErrno)
{
    return base_result(WSAEventSelect(s, hEventObject, lNetworkEvents), lpErrno);
}

static int WSPAPI base_enum_network_events(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents,
                                           LPINT lpErrno)
{
    return base_result(WSAEnumNetworkEvents(s, hEventObject, lpNetworkEvents), lpErrno);
}

void base_fill_notify_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPSelect = base_select;
    procs->lpWSPAsyncSelect = base_async_select;
    procs->lpWSPEventSelect = base_event_select;
    procs->lpWSPEnumNetworkEvents = base_enum_network_events;
}

/* wspbase: select and event notification. The platform's own sockets already
 * keep one registration per socket, the last one made through any handle. */
#include "base.h"

#include <mswsock.h>
#include <stddef.h>
#include <string.h>

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

int base_ext_poll(const void *in, DWORD in_length, void *out, DWORD out_length, LPDWORD returned, LPINT lpErrno)
{
    const size_t header = offsetof(WSAPOLLDATA, fdArray);
    if (in == NULL || out == NULL || in_length < header || out_length < in_length) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    ULONG fds = ((const WSAPOLLDATA *)in)->fds;
    if (fds == 0) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    if (fds > (in_length - header) / sizeof(WSAPOLLFD)) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    /* Only this provider's sockets, the platform's: a layer above that
     * passed its own handles down would be told POLLNVAL for them, a wrong
     * answer; WSAEINVAL lets ws2_32 (or wsphost) poll through WSPSelect. */
    for (ULONG i = 0; i < fds; i++) {
        if (!base_is_socket(((const WSAPOLLDATA *)in)->fdArray[i].fd)) {
            *lpErrno = WSAEINVAL;
            return SOCKET_ERROR;
        }
    }
    WSAPOLLDATA *data = out;
    DWORD size = (DWORD)(header + fds * sizeof(WSAPOLLFD));
    memmove(data, in, size);
    int r = WSAPoll(data->fdArray, fds, data->timeout);
    if (r == SOCKET_ERROR) {
        *lpErrno = WSAGetLastError();
        return SOCKET_ERROR;
    }
    data->result = r;
    if (returned != NULL)
        *returned = size;
    return 0;
}

void base_fill_notify_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPSelect = base_select;
    procs->lpWSPAsyncSelect = base_async_select;
    procs->lpWSPEventSelect = base_event_select;
    procs->lpWSPEnumNetworkEvents = base_enum_network_events;
}

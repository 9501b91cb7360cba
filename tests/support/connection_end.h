/* Tells how a peer ended a connection: reset, or an orderly end. A receive
 * already waiting when the end arrives says which (Wine answers a receive
 * made after a reset with 0 bytes, as if the end were orderly). Header
 * only, Windows only. */
#ifndef SHARELSP_TESTS_CONNECTION_END_H
#define SHARELSP_TESTS_CONNECTION_END_H

#include <winsock2.h>

#include <stdbool.h>
#include <string.h>

typedef struct connection_end {
    WSAOVERLAPPED overlapped;
    WSABUF buffer;
    char byte;
} connection_end;

/* Starts the waiting receive on s: true when it waits (nothing arrived). */
static inline bool connection_end_watch(connection_end *w, SOCKET s)
{
    DWORD got = 0, flags = 0;
    memset(&w->overlapped, 0, sizeof w->overlapped);
    w->overlapped.hEvent = WSACreateEvent();
    w->buffer.buf = &w->byte;
    w->buffer.len = 1;
    return WSARecv(s, &w->buffer, 1, &got, &flags, &w->overlapped, NULL) == SOCKET_ERROR &&
           WSAGetLastError() == WSA_IO_PENDING;
}

/* How the connection ended, within timeout_ms: WSAECONNRESET (or another
 * error) for a reset, 0 for an orderly end, WSAETIMEDOUT if it has not,
 * WSAEMSGSIZE if data came instead. */
static inline int connection_end_result(connection_end *w, SOCKET s, DWORD timeout_ms)
{
    DWORD got = 0, flags = 0;
    int result = WSAETIMEDOUT;
    if (WaitForSingleObject(w->overlapped.hEvent, timeout_ms) == WAIT_OBJECT_0)
        result = WSAGetOverlappedResult(s, &w->overlapped, &got, FALSE, &flags) ? (got == 0 ? 0 : WSAEMSGSIZE)
                                                                                : WSAGetLastError();
    WSACloseEvent(w->overlapped.hEvent);
    return result;
}

#endif

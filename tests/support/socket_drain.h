/* Empties what a socket has received, for tests that check a connection
 * still carries data after they sent it things it did not read. Header
 * only: conformance programs link ws2_32 or wsphost, and each gets the
 * recv of its own build. Windows only. */
#ifndef SHARELSP_TESTS_SOCKET_DRAIN_H
#define SHARELSP_TESTS_SOCKET_DRAIN_H

#include <winsock2.h>

/* Waits settle_ms for data still on its way, then reads until nothing is
 * left, without blocking; the socket ends blocking again. */
static inline void test_drain_received(SOCKET s, DWORD settle_ms)
{
    u_long on = 1, off = 0;
    char sink[4096];
    Sleep(settle_ms);
    ioctlsocket(s, FIONBIO, &on);
    while (recv(s, sink, sizeof sink, 0) > 0)
        ;
    ioctlsocket(s, FIONBIO, &off);
}

#endif

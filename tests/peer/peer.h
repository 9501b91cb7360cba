/* Force-included before Wine's ws2_32 tests (sock.c, protocol.c) when they
 * are built with mingw-w64: the few constants Wine's headers have and
 * mingw's lack (values from Wine's include/ws2def.h and ws2ipdef.h), and
 * the gate fetch.sh puts around each test function's call. */
#ifndef SHARELSP_PEER_H
#define SHARELSP_PEER_H

#include <stdlib.h>
#include <string.h>

#define SO_BSP_STATE 0x1009
#define SIO_IDEAL_SEND_BACKLOG_QUERY _IOR('t', 123, ULONG)
#define WSA_CMSG_ALIGN(len) (((len) + sizeof(SIZE_T) - 1) & ~(sizeof(SIZE_T) - 1))
#define AI_DNS_ONLY 0x00000010

/* PEER_ONLY names the one test function to run; unset, all run. */
static inline int peer_run(const char *function)
{
    const char *only = getenv("PEER_ONLY");
    return only == NULL || strcmp(only, function) == 0;
}

#endif

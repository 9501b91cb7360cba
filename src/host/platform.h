/* The platform's ws2_32 (Wine's), called by wsphost under names of its own
 * (def/wsphost_platform.def): wsphost exports the standard names itself. */
#ifndef SHARELSP_HOST_PLATFORM_H
#define SHARELSP_HOST_PLATFORM_H

#include <winsock2.h>

int WSAAPI platform_WSAStartup(WORD version, LPWSADATA data);
int WSAAPI platform_WSACleanup(void);

#endif

/* Listing catalog entries into a caller's buffer, shared by WSAEnumProtocols
 * (visible entries) and WSCEnumProtocols (all of them). */
#ifndef SHARELSP_HOST_ENUMERATE_H
#define SHARELSP_HOST_ENUMERATE_H

#include "catalog.h"

/* Copies the entries that match protocols (0-terminated iProtocol values;
 * NULL: all). Returns their number, or SOCKET_ERROR with *err = WSAENOBUFS
 * and *length set to the bytes needed, or WSAEFAULT. */
int enumerate_entries(const catalog *cat, bool visible_only, const INT *protocols, WSAPROTOCOL_INFOW *buffer,
                      LPDWORD length, int *err);

#endif

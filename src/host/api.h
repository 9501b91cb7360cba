/* Shared by the files that implement the Winsock API of wsphost. They define
 * functions winsock2.h declares as imports, so each includes this first. */
#ifndef SHARELSP_HOST_API_H
#define SHARELSP_HOST_API_H

#define WINSOCK_API_LINKAGE /* we define them: not dllimport */
#define WSPAPI_LINKAGE

#include "host.h"

/* api_convert.c: WSAPROTOCOL_INFO between its A and W forms. */
void protocol_info_a_to_w(const WSAPROTOCOL_INFOA *a, WSAPROTOCOL_INFOW *w);
void protocol_info_w_to_a(const WSAPROTOCOL_INFOW *w, WSAPROTOCOL_INFOA *a);

/* Finds the provider of s or returns failure with the error set. The
 * handle's entry is held until the function returns, by whichever path
 * (GCC's cleanup attribute): a close on another thread cannot let the value
 * name another object while the provider is handed it. */
#define HOST_ROUTE(s, p, failure)                                                                                  \
    host_call route_call_ __attribute__((cleanup(host_call_end))) = host_call_begin(s);                           \
    host_provider *p = route_call_.provider;                                                                       \
    if (p == NULL) {                                                                                               \
        WSASetLastError(route_call_.error);                                                                        \
        return failure;                                                                                            \
    }

#endif

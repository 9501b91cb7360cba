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

/* Finds the provider of s or returns failure with the error set. */
#define HOST_ROUTE(s, p, failure)                                                                                  \
    int route_err_ = 0;                                                                                            \
    host_provider *p = host_route((s), &route_err_);                                                               \
    if (p == NULL) {                                                                                               \
        WSASetLastError(route_err_);                                                                               \
        return failure;                                                                                            \
    }

#endif

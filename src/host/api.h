/* Shared by the files that implement the Winsock API of wsphost. They define
 * functions winsock2.h declares as imports, so each includes this first. */
#ifndef SHARELSP_HOST_API_H
#define SHARELSP_HOST_API_H

#define WINSOCK_API_LINKAGE /* we define them: not dllimport */
#define WSPAPI_LINKAGE

#include "host.h"

/* Finds the provider of s or returns failure with the error set. */
#define HOST_ROUTE(s, p, failure)                                                                                  \
    int route_err_ = 0;                                                                                            \
    host_provider *p = host_route((s), &route_err_);                                                               \
    if (p == NULL) {                                                                                               \
        WSASetLastError(route_err_);                                                                               \
        return failure;                                                                                            \
    }

#endif

/* Winsock version negotiation, as WSAStartup and WSPStartup do it. A version
 * word holds the major version in its low byte and the minor in its high. */
#ifndef SHARELSP_CORE_WSVERSION_H
#define SHARELSP_CORE_WSVERSION_H

#include <stdbool.h>
#include <stdint.h>

#define WSVERSION(major, minor) ((uint16_t)((uint16_t)(major) | ((uint16_t)(minor) << 8)))

/* *agreed receives the version to use: the requested one if it lies in
 * [lowest, highest], highest if a newer one was requested. Returns false (and
 * *agreed = 0) when the request is older than lowest. */
bool wsversion_negotiate(uint16_t requested, uint16_t lowest, uint16_t highest, uint16_t *agreed);

#endif

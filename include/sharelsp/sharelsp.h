/* ShareLSP public interface: what an application may use through ordinary
 * Winsock calls on a socket that ShareLSP carries. Plain C, no Windows types,
 * so it can be included by both Windows programs and the platform-neutral core. */
#ifndef SHARELSP_SHARELSP_H
#define SHARELSP_SHARELSP_H

#include <stdint.h>

#include <sharelsp/version.h>

/* The provider GUID of ShareLSP's hidden layered entry:
 * {70e05b19-4b30-4013-9921-585bd284aa63}. Initialiser for a GUID. */
#define SHARELSP_PROVIDER_GUID_INIT \
    { 0x70e05b19, 0x4b30, 0x4013, { 0x99, 0x21, 0x58, 0x5b, 0xd2, 0x84, 0xaa, 0x63 } }

/* Option level of the options ShareLSP owns (getsockopt / setsockopt).
 * They live in the socket's shared block: set through one descriptor, they
 * are seen through every descriptor of the socket, in every process. */
#define SOL_SHARELSP 0x534c

/* Tag: up to SHARELSP_TAG_MAX bytes of the application's choosing. */
#define SHARELSP_SO_TAG 1
/* Statistics, read-only: a struct sharelsp_stats. */
#define SHARELSP_SO_STATS 2

#define SHARELSP_TAG_MAX 64

/* A layer's storage in each socket's shared block, in 64-bit words
 * (include/sharelsp/layer.h). */
#define SHARELSP_LAYER_WORDS 16

/* Counted for the socket across all of its descriptors and processes. */
typedef struct sharelsp_stats {
    uint64_t bytes_sent;
    uint64_t bytes_received;
    uint64_t calls_sent;
    uint64_t calls_received;
    uint32_t descriptors_open;
    uint32_t reserved; /* zero */
} sharelsp_stats;

#endif

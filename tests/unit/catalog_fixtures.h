/* Catalogs for the planner's tests, written as data: a Windows 10/11 x64
 * base catalog (MSAFD TCP, UDP and RAW over IPv4 and IPv6, RSVP, Hyper-V
 * RAW), and the same with other layered providers installed. */
#ifndef SHARELSP_TESTS_CATALOG_FIXTURES_H
#define SHARELSP_TESTS_CATALOG_FIXTURES_H

#include "planner.h"

/* {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}: MSAFD Tcpip */
#define GUID_MSAFD {{0xe7, 0x0f, 0x1a, 0xa0, 0xab, 0x8b, 0x11, 0xcf, 0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}}
/* {9D60A9E0-337A-11D0-BD88-0000C082E69A}: RSVP */
#define GUID_RSVP {{0x9d, 0x60, 0xa9, 0xe0, 0x33, 0x7a, 0x11, 0xd0, 0xbd, 0x88, 0x00, 0x00, 0xc0, 0x82, 0xe6, 0x9a}}
/* {1234191B-4BF7-4CA7-86E0-DFD7C32B5445}: Hyper-V RAW */
#define GUID_HYPERV {{0x12, 0x34, 0x19, 0x1b, 0x4b, 0xf7, 0x4c, 0xa7, 0x86, 0xe0, 0xdf, 0xd7, 0xc3, 0x2b, 0x54, 0x45}}
#define GUID_SHARELSP {{0x70, 0xe0, 0x5b, 0x19, 0x4b, 0x30, 0x40, 0x13, 0x99, 0x21, 0x58, 0x5b, 0xd2, 0x84, 0xaa, 0x63}}
#define GUID_SHARELSP_CHAINS {{0x70, 0xe0, 0x5b, 0x19, 0x4b, 0x30, 0x40, 0x13, 0x99, 0x21, 0x58, 0x5b, 0xd2, 0x84, 0xaa, 0x64}}
#define GUID_OTHER_LSP {{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00}}

#define TCP_FLAGS 0x20066u
#define UDP_FLAGS 0x20609u
#define RAW_FLAGS 0x20609u

/* id, provider, chain_len, chain, family, type, protocol, flags1, provider flags, name */
#define WINDOWS_BASE_ENTRIES                                                                                     \
    {1001, GUID_MSAFD, 1, {0}, 2, 1, 6, TCP_FLAGS, 8, "MSAFD Tcpip [TCP/IP]"},                                   \
    {1002, GUID_MSAFD, 1, {0}, 2, 2, 17, UDP_FLAGS, 8, "MSAFD Tcpip [UDP/IP]"},                                  \
    {1003, GUID_MSAFD, 1, {0}, 2, 3, 0, RAW_FLAGS, 12, "MSAFD Tcpip [RAW/IP]"},                                  \
    {1004, GUID_MSAFD, 1, {0}, 23, 1, 6, TCP_FLAGS, 8, "MSAFD Tcpip [TCP/IPv6]"},                                \
    {1005, GUID_MSAFD, 1, {0}, 23, 2, 17, UDP_FLAGS, 8, "MSAFD Tcpip [UDP/IPv6]"},                               \
    {1006, GUID_MSAFD, 1, {0}, 23, 3, 0, RAW_FLAGS, 12, "MSAFD Tcpip [RAW/IPv6]"},                               \
    {1007, GUID_RSVP, 1, {0}, 23, 1, 6, TCP_FLAGS, 8, "RSVP TCPv6 Service Provider"},                            \
    {1008, GUID_RSVP, 1, {0}, 2, 1, 6, TCP_FLAGS, 8, "RSVP TCP Service Provider"},                               \
    {1009, GUID_RSVP, 1, {0}, 23, 2, 17, UDP_FLAGS, 8, "RSVP UDPv6 Service Provider"},                           \
    {1010, GUID_RSVP, 1, {0}, 2, 2, 17, UDP_FLAGS, 8, "RSVP UDP Service Provider"},                              \
    {1011, GUID_HYPERV, 1, {0}, 34, 1, 1, 0x20026u, 8, "Hyper-V RAW"}

static const plan_entry windows_base[] = {WINDOWS_BASE_ENTRIES};

/* Another LSP over MSAFD TCP/IPv4, placed first. */
static const plan_entry windows_with_other_lsp[] = {
    {1013, GUID_OTHER_LSP, 2, {1012, 1001}, 2, 1, 6, 0x00066u, 0, "Other over [MSAFD Tcpip [TCP/IP]]"},
    WINDOWS_BASE_ENTRIES,
    {1012, GUID_OTHER_LSP, 0, {0}, 2, 1, 6, 0x00066u, 4, "Other"},
};

/* ShareLSP installed over tcp,udp,tcp6,udp6 (as sharelsp-install leaves it). */
#define SHARELSP_ENTRIES                                                                                         \
    {1013, GUID_SHARELSP_CHAINS, 2, {1012, 1001}, 2, 1, 6, 0x66u, 8, "ShareLSP over [MSAFD Tcpip [TCP/IP]]"},    \
    {1014, GUID_SHARELSP_CHAINS, 2, {1012, 1002}, 2, 2, 17, 0x609u, 8, "ShareLSP over [MSAFD Tcpip [UDP/IP]]"},  \
    {1015, GUID_SHARELSP_CHAINS, 2, {1012, 1004}, 23, 1, 6, 0x66u, 8, "ShareLSP over [MSAFD Tcpip [TCP/IPv6]]"}, \
    {1016, GUID_SHARELSP_CHAINS, 2, {1012, 1005}, 23, 2, 17, 0x609u, 8, "ShareLSP over [MSAFD Tcpip [UDP/IPv6]]"}

static const plan_entry windows_with_sharelsp[] = {
    SHARELSP_ENTRIES,
    WINDOWS_BASE_ENTRIES,
    {1012, GUID_SHARELSP, 0, {0}, 2, 1, 6, 0x66u, 4, "ShareLSP"},
};

/* Another LSP installed later, over ShareLSP's TCP/IPv4 chain. */
static const plan_entry windows_other_over_sharelsp[] = {
    {1018, GUID_OTHER_LSP, 3, {1017, 1012, 1001}, 2, 1, 6, 0x66u, 0, "Other over [ShareLSP over [MSAFD]]"},
    SHARELSP_ENTRIES,
    WINDOWS_BASE_ENTRIES,
    {1012, GUID_SHARELSP, 0, {0}, 2, 1, 6, 0x66u, 4, "ShareLSP"},
    {1017, GUID_OTHER_LSP, 0, {0}, 2, 1, 6, 0x66u, 4, "Other"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif

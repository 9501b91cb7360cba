/* The catalog planner: from a list of catalog entries, decides what
 * sharelsp-install adds, in which order, and what it removes and repairs,
 * without touching any catalog. Platform-neutral, so it is tested natively
 * against catalogs written as data. Windows values it needs are restated
 * here (PLAN_*), as the core includes no Windows header. */
#ifndef SHARELSP_CORE_PLANNER_H
#define SHARELSP_CORE_PLANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define PLAN_MAX_CHAIN 7
#define PLAN_NAME_MAX 256
#define PLAN_MAX_ENTRIES 256

#define PLAN_AF_INET 2
#define PLAN_AF_INET6 23
#define PLAN_SOCK_STREAM 1
#define PLAN_SOCK_DGRAM 2
#define PLAN_IPPROTO_TCP 6
#define PLAN_IPPROTO_UDP 17
#define PLAN_XP1_IFS_HANDLES 0x00020000u
#define PLAN_PFL_HIDDEN 0x00000004u

typedef struct plan_guid {
    uint8_t bytes[16];
} plan_guid;

typedef struct plan_entry {
    uint32_t id;
    plan_guid provider;
    int chain_len; /* 0 layered, 1 base, 2.. a chain */
    uint32_t chain[PLAN_MAX_CHAIN];
    int family, type, protocol;
    uint32_t flags1, provider_flags;
    char name[PLAN_NAME_MAX]; /* UTF-8 */
} plan_entry;

/* Which base protocols to layer over. */
enum plan_protocol { PLAN_TCP = 1, PLAN_UDP = 2, PLAN_TCP6 = 4, PLAN_UDP6 = 8, PLAN_ALL_BASES = 16 };

/* Parses "tcp,udp,tcp6,udp6" (any subset, any order) into plan_protocol
 * bits; CORE_ERR_INVALID on an unknown or empty name. */
core_status planner_parse_protocols(const char *list, unsigned *protocols);

typedef struct plan_install {
    bool already;                          /* installed as asked: nothing to do */
    plan_entry layered;                    /* id 0: assigned when installed */
    plan_entry chains[PLAN_MAX_ENTRIES];   /* chain[0] 0: the layered entry's id, once known */
    size_t chain_count;
    char problem[200];                     /* why not, when the result is not CORE_OK */
} plan_install;

/* The entries to add for ShareLSP over the chosen base protocols. A base
 * protocol asked for but absent, or a partial earlier install, is refused
 * (CORE_ERR_INVALID) with the problem said. */
core_status planner_install(const plan_entry *catalog, size_t count, const plan_guid *layered_guid,
                            const plan_guid *chain_guid, unsigned protocols, plan_install *plan);

/* The catalog order to write after installing: ShareLSP's chains first (in
 * catalog order), then every other entry in its present order. Returns the
 * number of ids written to order (count). */
size_t planner_order(const plan_entry *catalog, size_t count, uint32_t layered_id, uint32_t *order);

typedef struct plan_remove {
    bool installed; /* anything of ShareLSP's is in the catalog */
    uint32_t remove_ids[PLAN_MAX_ENTRIES];
    size_t remove_count;
    plan_entry repairs[PLAN_MAX_ENTRIES]; /* other providers' chains, with ShareLSP taken out */
    size_t repair_count;
} plan_remove;

/* What removing ShareLSP takes out (its layered entries and every chain
 * that starts with one) and which other chains it repairs (those that pass
 * through ShareLSP lower down). */
core_status planner_remove(const plan_entry *catalog, size_t count, const plan_guid *layered_guid, plan_remove *plan);

/* Checks ShareLSP's entries are consistent: one layered entry, at least one
 * chain, every chain's first link is it and every other link exists. false
 * with the reason said. */
bool planner_verify(const plan_entry *catalog, size_t count, const plan_guid *layered_guid, char *reason,
                    size_t capacity);

#endif

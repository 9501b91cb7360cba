#include "planner.h"

#include <stdio.h>
#include <string.h>

static bool guid_equal(const plan_guid *a, const plan_guid *b) { return memcmp(a, b, sizeof *a) == 0; }

static const plan_entry *find_id(const plan_entry *catalog, size_t count, uint32_t id)
{
    for (size_t i = 0; i < count; i++) {
        if (catalog[i].id == id)
            return &catalog[i];
    }
    return NULL;
}

/* The ids of ShareLSP's layered entries. */
static size_t layered_ids(const plan_entry *catalog, size_t count, const plan_guid *guid, uint32_t *ids)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (catalog[i].chain_len == 0 && guid_equal(&catalog[i].provider, guid))
            ids[n++] = catalog[i].id;
    }
    return n;
}

static bool in_ids(const uint32_t *ids, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == id)
            return true;
    }
    return false;
}

core_status planner_parse_protocols(const char *list, unsigned *protocols)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"tcp", PLAN_TCP}, {"udp", PLAN_UDP}, {"tcp6", PLAN_TCP6}, {"udp6", PLAN_UDP6}};
    unsigned bits = 0;
    if (list == NULL || *list == '\0')
        return CORE_ERR_INVALID;
    const char *p = list;
    while (*p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        unsigned bit = 0;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            if (strlen(names[i].name) == len && strncmp(p, names[i].name, len) == 0)
                bit = names[i].bit;
        }
        if (bit == 0)
            return CORE_ERR_INVALID;
        bits |= bit;
        p += len + (comma ? 1 : 0);
        if (comma != NULL && *p == '\0')
            return CORE_ERR_INVALID; /* a trailing comma */
    }
    *protocols = bits;
    return CORE_OK;
}

/* Does a base entry serve one of the asked protocols? */
static bool base_wanted(const plan_entry *e, unsigned protocols)
{
    if (e->chain_len != 1)
        return false;
    if (protocols & PLAN_ALL_BASES)
        return true;
    bool tcp = e->type == PLAN_SOCK_STREAM && e->protocol == PLAN_IPPROTO_TCP;
    bool udp = e->type == PLAN_SOCK_DGRAM && e->protocol == PLAN_IPPROTO_UDP;
    if (e->family == PLAN_AF_INET)
        return (tcp && (protocols & PLAN_TCP)) || (udp && (protocols & PLAN_UDP));
    if (e->family == PLAN_AF_INET6)
        return (tcp && (protocols & PLAN_TCP6)) || (udp && (protocols & PLAN_UDP6));
    return false;
}

static unsigned protocol_bit(const plan_entry *e)
{
    bool tcp = e->protocol == PLAN_IPPROTO_TCP, six = e->family == PLAN_AF_INET6;
    return tcp ? (six ? PLAN_TCP6 : PLAN_TCP) : (six ? PLAN_UDP6 : PLAN_UDP);
}

core_status planner_install(const plan_entry *catalog, size_t count, const plan_guid *layered_guid,
                            const plan_guid *chain_guid, unsigned protocols, plan_install *plan)
{
    memset(plan, 0, sizeof *plan);
    if (catalog == NULL || layered_guid == NULL || chain_guid == NULL || protocols == 0 ||
        count > PLAN_MAX_ENTRIES) {
        snprintf(plan->problem, sizeof plan->problem, "bad arguments");
        return CORE_ERR_INVALID;
    }
    uint32_t ours[PLAN_MAX_ENTRIES];
    size_t layered = layered_ids(catalog, count, layered_guid, ours);
    /* One base entry per protocol (the first, the one socket() picks), or
     * every base entry with --all. */
    unsigned covered = 0;
    const plan_entry *bases[PLAN_MAX_ENTRIES];
    size_t nbases = 0;
    for (size_t i = 0; i < count; i++) {
        const plan_entry *e = &catalog[i];
        if (!base_wanted(e, protocols) || guid_equal(&e->provider, layered_guid) ||
            guid_equal(&e->provider, chain_guid))
            continue;
        if (!(protocols & PLAN_ALL_BASES)) {
            if (covered & protocol_bit(e))
                continue;
            covered |= protocol_bit(e);
        }
        bases[nbases++] = e;
    }
    unsigned missing = (protocols & ~(unsigned)PLAN_ALL_BASES) & ~covered;
    if (!(protocols & PLAN_ALL_BASES) && missing != 0) {
        snprintf(plan->problem, sizeof plan->problem, "the catalog has no base entry for%s%s%s%s",
                 (missing & PLAN_TCP) ? " tcp" : "", (missing & PLAN_UDP) ? " udp" : "",
                 (missing & PLAN_TCP6) ? " tcp6" : "", (missing & PLAN_UDP6) ? " udp6" : "");
        return CORE_ERR_INVALID;
    }
    if (nbases == 0) {
        snprintf(plan->problem, sizeof plan->problem, "the catalog has no base entry to layer over");
        return CORE_ERR_INVALID;
    }
    if (layered > 0) {
        /* Installed before: as asked (every base has its chain) or partly. */
        size_t chained = 0;
        for (size_t b = 0; b < nbases; b++) {
            for (size_t i = 0; i < count; i++) {
                const plan_entry *e = &catalog[i];
                if (e->chain_len == 2 && in_ids(ours, layered, e->chain[0]) && e->chain[1] == bases[b]->id) {
                    chained++;
                    break;
                }
            }
        }
        if (layered == 1 && chained == nbases) {
            plan->already = true;
            return CORE_OK;
        }
        snprintf(plan->problem, sizeof plan->problem,
                 "ShareLSP is partly installed (%zu layered entries, %zu of %zu chains): remove it first", layered,
                 chained, nbases);
        return CORE_ERR_INVALID;
    }
    plan_entry *l = &plan->layered;
    *l = *bases[0];
    l->id = 0;
    l->provider = *layered_guid;
    l->chain_len = 0;
    memset(l->chain, 0, sizeof l->chain);
    l->flags1 &= ~PLAN_XP1_IFS_HANDLES;
    l->provider_flags = PLAN_PFL_HIDDEN;
    snprintf(l->name, sizeof l->name, "ShareLSP");
    for (size_t b = 0; b < nbases; b++) {
        plan_entry *c = &plan->chains[plan->chain_count++];
        *c = *bases[b];
        c->id = 0;
        c->provider = *chain_guid;
        c->chain_len = 2;
        memset(c->chain, 0, sizeof c->chain);
        c->chain[1] = bases[b]->id;
        c->flags1 &= ~PLAN_XP1_IFS_HANDLES;
        c->provider_flags &= ~PLAN_PFL_HIDDEN;
        snprintf(c->name, sizeof c->name, "ShareLSP over [%.*s]", PLAN_NAME_MAX - 20, bases[b]->name);
    }
    return CORE_OK;
}

size_t planner_order(const plan_entry *catalog, size_t count, uint32_t layered_id, uint32_t *order)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (catalog[i].chain_len >= 2 && catalog[i].chain[0] == layered_id)
            order[n++] = catalog[i].id;
    }
    for (size_t i = 0; i < count; i++) {
        if (!(catalog[i].chain_len >= 2 && catalog[i].chain[0] == layered_id))
            order[n++] = catalog[i].id;
    }
    return n;
}

core_status planner_remove(const plan_entry *catalog, size_t count, const plan_guid *layered_guid, plan_remove *plan)
{
    memset(plan, 0, sizeof *plan);
    if (catalog == NULL || layered_guid == NULL || count > PLAN_MAX_ENTRIES)
        return CORE_ERR_INVALID;
    uint32_t ours[PLAN_MAX_ENTRIES];
    size_t layered = layered_ids(catalog, count, layered_guid, ours);
    for (size_t i = 0; i < count; i++) {
        const plan_entry *e = &catalog[i];
        bool layered_entry = e->chain_len == 0 && in_ids(ours, layered, e->id);
        bool our_chain = e->chain_len >= 2 && in_ids(ours, layered, e->chain[0]);
        if (layered_entry || our_chain) {
            plan->remove_ids[plan->remove_count++] = e->id;
            continue;
        }
        /* A chain longer than Winsock holds is damaged: no link past the
         * seventh is read, and it is not ours to repair. */
        if (e->chain_len < 2 || e->chain_len > PLAN_MAX_CHAIN)
            continue;
        /* Another LSP's chain through ShareLSP: take ShareLSP's link out. */
        plan_entry fixed = *e;
        int k = 0;
        for (int j = 0; j < e->chain_len; j++) {
            if (!in_ids(ours, layered, e->chain[j]))
                fixed.chain[k++] = e->chain[j];
        }
        if (k == e->chain_len)
            continue;
        for (int j = k; j < PLAN_MAX_CHAIN; j++)
            fixed.chain[j] = 0;
        fixed.chain_len = k;
        if (k < 2)
            plan->remove_ids[plan->remove_count++] = e->id; /* nothing left under it */
        else
            plan->repairs[plan->repair_count++] = fixed;
    }
    plan->installed = plan->remove_count > 0;
    return CORE_OK;
}

bool planner_verify(const plan_entry *catalog, size_t count, const plan_guid *layered_guid, char *reason,
                    size_t capacity)
{
    uint32_t ours[PLAN_MAX_ENTRIES];
    size_t layered = count <= PLAN_MAX_ENTRIES ? layered_ids(catalog, count, layered_guid, ours) : 0;
    if (layered == 0) {
        snprintf(reason, capacity, "ShareLSP's layered entry is not in the catalog");
        return false;
    }
    if (layered > 1) {
        snprintf(reason, capacity, "the catalog holds %zu layered entries of ShareLSP", layered);
        return false;
    }
    size_t chains = 0;
    for (size_t i = 0; i < count; i++) {
        const plan_entry *e = &catalog[i];
        if (e->chain_len < 2 || !in_ids(ours, 1, e->chain[0]))
            continue;
        chains++;
        for (int j = 1; j < e->chain_len && j < PLAN_MAX_CHAIN; j++) {
            if (find_id(catalog, count, e->chain[j]) == NULL) {
                snprintf(reason, capacity, "chain entry %u names entry %u, which is not in the catalog",
                         (unsigned)e->id, (unsigned)e->chain[j]);
                return false;
            }
        }
    }
    if (chains == 0) {
        snprintf(reason, capacity, "no chain entry starts with ShareLSP's layered entry %u", (unsigned)ours[0]);
        return false;
    }
    snprintf(reason, capacity, "ShareLSP: layered entry %u and %zu chains, consistent", (unsigned)ours[0], chains);
    return true;
}

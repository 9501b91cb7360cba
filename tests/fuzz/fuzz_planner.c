/* The installer's planner (src/core/planner.c) on catalogs made from
 * arbitrary bytes, with ids from a small range so that chains name entries
 * that exist, and with any chain length, as a damaged catalog may hold.
 *
 * Input: a mode byte; with its top bit, a protocol list ("tcp,udp6") up to a
 * newline for planner_parse_protocols, else its low five bits are the
 * protocols; then PLANNER_ENTRY_BYTES per catalog entry (entry_from).
 *
 * Invariants: install plans chains over base entries only, and once applied
 * the catalog verifies, a second install finds it done, and removal takes out
 * exactly what was added; removal repairs only into valid chains free of
 * ShareLSP; the order is a permutation of the catalog. */
#include "fuzz.h"

#include <stdbool.h>
#include <string.h>

#include "fuzz_inputs.h"
#include "planner.h"

enum { MAX_FUZZ_ENTRIES = PLAN_MAX_ENTRIES + 4 };

static const plan_guid guids[4] = {
    {{0x19, 0x5b, 0xe0, 0x70, 0x30, 0x4b, 0x13, 0x40, 0x99, 0x21, 0x58, 0x5b, 0xd2, 0x84, 0xaa, 0x63}},
    {{0x19, 0x5b, 0xe0, 0x70, 0x30, 0x4b, 0x13, 0x40, 0x99, 0x21, 0x58, 0x5b, 0xd2, 0x84, 0xaa, 0x64}},
    {{0xd4, 0xcf, 0xb7, 0x88, 0xce, 0x81, 0xde, 0x42, 0xa7, 0x12, 0x30, 0x58, 0xf1, 0x79, 0x88, 0x96}},
    {{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10}},
};
#define LAYERED_GUID (&guids[0])
#define CHAIN_GUID (&guids[1])

static void entry_from(const uint8_t *b, plan_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = b[0];
    e->provider = guids[b[1] % 4];
    e->chain_len = (int8_t)b[2];
    for (int i = 0; i < PLAN_MAX_CHAIN; i++)
        e->chain[i] = b[3 + i];
    e->family = (b[10] & 2) ? b[10] : (b[10] & 1) ? PLAN_AF_INET6 : PLAN_AF_INET;
    e->type = (b[10] & 4) ? PLAN_SOCK_STREAM : PLAN_SOCK_DGRAM;
    e->protocol = (b[10] & 8) ? 0 : (b[10] & 4) ? PLAN_IPPROTO_TCP : PLAN_IPPROTO_UDP;
    e->flags1 = (b[11] & 1) ? PLAN_XP1_IFS_HANDLES : 0;
    e->provider_flags = (b[11] & 2) ? PLAN_PFL_HIDDEN : 0;
    size_t n = (size_t)(b[11] >> 2) * 4u;
    for (size_t i = 0; i < n && i < PLAN_NAME_MAX - 1; i++)
        e->name[i] = (char)('a' + i % 26);
}

static bool terminated(const char *s, size_t capacity) { return memchr(s, '\0', capacity) != NULL; }

static bool has_base(const plan_entry *catalog, size_t count, uint32_t id)
{
    for (size_t i = 0; i < count; i++) {
        if (catalog[i].id == id && catalog[i].chain_len == 1)
            return true;
    }
    return false;
}

static int compare_ids(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void check_order(const plan_entry *catalog, size_t count, uint32_t layered_id, size_t ours)
{
    static uint32_t order[MAX_FUZZ_ENTRIES], ids[MAX_FUZZ_ENTRIES];
    FUZZ_CHECK(planner_order(catalog, count, layered_id, order) == count);
    for (size_t i = 0; i < ours; i++) {
        bool chain_of_ours = false;
        for (size_t j = 0; j < count; j++)
            chain_of_ours |= catalog[j].id == order[i] && catalog[j].chain_len >= 2 && catalog[j].chain[0] == layered_id;
        FUZZ_CHECK(chain_of_ours);
    }
    for (size_t i = 0; i < count; i++)
        ids[i] = catalog[i].id;
    qsort(order, count, sizeof *order, compare_ids);
    qsort(ids, count, sizeof *ids, compare_ids);
    FUZZ_CHECK(memcmp(order, ids, count * sizeof *ids) == 0);
}

static bool in_list(const uint32_t *ids, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == id)
            return true;
    }
    return false;
}

static void check_remove(const plan_entry *catalog, size_t count)
{
    static plan_remove plan;
    if (planner_remove(catalog, count, LAYERED_GUID, &plan) != CORE_OK) {
        FUZZ_CHECK(count > PLAN_MAX_ENTRIES);
        return;
    }
    FUZZ_CHECK(plan.remove_count + plan.repair_count <= count);
    FUZZ_CHECK(plan.installed == (plan.remove_count > 0));
    uint32_t layered[MAX_FUZZ_ENTRIES];
    size_t nlayered = 0;
    for (size_t i = 0; i < count; i++) {
        if (catalog[i].chain_len == 0 && memcmp(&catalog[i].provider, LAYERED_GUID, sizeof(plan_guid)) == 0)
            layered[nlayered++] = catalog[i].id;
    }
    for (size_t r = 0; r < plan.repair_count; r++) {
        const plan_entry *e = &plan.repairs[r];
        FUZZ_CHECK(e->chain_len >= 2 && e->chain_len <= PLAN_MAX_CHAIN);
        for (int j = 0; j < e->chain_len; j++)
            FUZZ_CHECK(!in_list(layered, nlayered, e->chain[j]));
    }
}

/* Applies an install plan with ids above every id the catalog holds or
 * names, and checks the result is ShareLSP installed as asked. */
static void check_installed(const plan_entry *catalog, size_t count, unsigned protocols, const plan_install *plan)
{
    static plan_entry after[MAX_FUZZ_ENTRIES];
    static plan_install again;
    static plan_remove removal;
    size_t added = 1 + plan->chain_count;
    if (count + added > PLAN_MAX_ENTRIES)
        return;
    uint32_t next = 1;
    for (size_t i = 0; i < count; i++) {
        next = catalog[i].id >= next ? catalog[i].id + 1 : next;
        for (int j = 0; j < PLAN_MAX_CHAIN; j++)
            next = catalog[i].chain[j] >= next ? catalog[i].chain[j] + 1 : next;
    }
    memcpy(after, catalog, count * sizeof *catalog);
    after[count] = plan->layered;
    after[count].id = next;
    for (size_t c = 0; c < plan->chain_count; c++) {
        after[count + 1 + c] = plan->chains[c];
        after[count + 1 + c].id = next + 1 + (uint32_t)c;
        after[count + 1 + c].chain[0] = next;
    }
    char reason[200];
    FUZZ_CHECK(planner_verify(after, count + added, LAYERED_GUID, reason, sizeof reason));
    FUZZ_CHECK(planner_install(after, count + added, LAYERED_GUID, CHAIN_GUID, protocols, &again) == CORE_OK);
    FUZZ_CHECK(again.already);
    FUZZ_CHECK(planner_remove(after, count + added, LAYERED_GUID, &removal) == CORE_OK);
    FUZZ_CHECK(removal.installed && removal.remove_count == added && removal.repair_count == 0);
    check_order(after, count + added, next, plan->chain_count);
}

static void check_install(const plan_entry *catalog, size_t count, unsigned protocols)
{
    static plan_install plan;
    core_status st = planner_install(catalog, count, LAYERED_GUID, CHAIN_GUID, protocols, &plan);
    FUZZ_CHECK(terminated(plan.problem, sizeof plan.problem));
    if (st != CORE_OK || plan.already)
        return;
    FUZZ_CHECK(plan.chain_count >= 1 && plan.chain_count <= count);
    FUZZ_CHECK(plan.layered.chain_len == 0 && terminated(plan.layered.name, PLAN_NAME_MAX));
    for (size_t c = 0; c < plan.chain_count; c++) {
        const plan_entry *e = &plan.chains[c];
        FUZZ_CHECK(e->chain_len == 2 && has_base(catalog, count, e->chain[1]));
        FUZZ_CHECK(memcmp(&e->provider, CHAIN_GUID, sizeof e->provider) == 0);
        FUZZ_CHECK(terminated(e->name, PLAN_NAME_MAX) && (e->flags1 & PLAN_XP1_IFS_HANDLES) == 0);
    }
    check_installed(catalog, count, protocols, &plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static plan_entry catalog[MAX_FUZZ_ENTRIES];
    if (size == 0)
        return 0;
    unsigned protocols = data[0] & 0x1fu;
    size_t at = 1;
    if (data[0] & 0x80) {
        const uint8_t *nl = memchr(data + 1, '\n', size - 1);
        size_t n = nl ? (size_t)(nl - (data + 1)) : size - 1;
        char text[64];
        if (n < sizeof text) {
            memcpy(text, data + 1, n);
            text[n] = '\0';
            unsigned parsed = 0;
            if (planner_parse_protocols(text, &parsed) == CORE_OK) {
                FUZZ_CHECK(parsed != 0 && (parsed & ~0xfu) == 0);
                protocols = parsed;
            }
        }
        at = 1 + n + (nl ? 1 : 0);
    }
    size_t count = 0;
    for (; at + PLANNER_ENTRY_BYTES <= size && count < MAX_FUZZ_ENTRIES; at += PLANNER_ENTRY_BYTES)
        entry_from(data + at, &catalog[count++]);
    char reason[200];
    planner_verify(catalog, count, LAYERED_GUID, reason, sizeof reason);
    FUZZ_CHECK(terminated(reason, sizeof reason));
    check_order(catalog, count, data[0], 0);
    check_remove(catalog, count);
    if (protocols != 0)
        check_install(catalog, count, protocols);
    return 0;
}

/* The installer's catalog reader (catalog_read in src/install/catalog_io.c,
 * built natively with the stand-ins of win/) on a Winsock catalog made of
 * arbitrary bytes, then the planner on what it read: every field of every
 * WSAPROTOCOL_INFOW is untrusted, as a catalog damaged or written by another
 * tool may hold anything.
 *
 * Input: a mode byte (low five bits: the protocols to plan for; bit 5: the
 * catalog grows between WSCEnumProtocols' two calls), then
 * WSAPROTOCOL_INFOWs as this build lays them out; the last one partial is
 * dropped. szProtocol holds UTF-16 units, as on Windows. */
#include "fuzz.h"

#include <string.h>

#include "install.h"
#include "win_shim.h"

enum { MAX_INFOS = 300 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static WSAPROTOCOL_INFOW infos[MAX_INFOS];
    static plan_install install;
    static plan_remove removal;
    static uint32_t order[MAX_INFOS + 1];
    if (size == 0)
        return 0;
    size_t count = (size - 1) / sizeof *infos;
    count = count < MAX_INFOS ? count : MAX_INFOS;
    memcpy(infos, data + 1, count * sizeof *infos);
    for (size_t i = 0; i < count; i++) {
        for (size_t k = 0; k <= WSAPROTOCOL_LEN; k++)
            infos[i].szProtocol[k] = (WCHAR)(uint16_t)infos[i].szProtocol[k];
    }
    win_shim_set_catalog(infos, count, data[0] & 0x20);
    install_catalog cat;
    if (catalog_read(&cat) != 0) {
        FUZZ_CHECK(cat.infos == NULL && cat.entries == NULL);
        return 0;
    }
    FUZZ_CHECK(cat.count >= 0 && (size_t)cat.count == count);
    for (int i = 0; i < cat.count; i++) {
        const plan_entry *e = &cat.entries[i];
        FUZZ_CHECK(e->id == cat.infos[i].dwCatalogEntryId);
        FUZZ_CHECK(memchr(e->name, '\0', sizeof e->name) != NULL);
        FUZZ_CHECK(catalog_info(&cat, e->id) != NULL);
    }
    size_t n = (size_t)cat.count;
    const plan_guid *layered = (const plan_guid *)&install_layered_guid;
    const plan_guid *chain = (const plan_guid *)&install_chain_guid;
    unsigned protocols = data[0] & 0x1fu;
    if (protocols != 0)
        planner_install(cat.entries, n, layered, chain, protocols, &install);
    planner_remove(cat.entries, n, layered, &removal);
    char reason[200];
    planner_verify(cat.entries, n, layered, reason, sizeof reason);
    FUZZ_CHECK(planner_order(cat.entries, n, 0, order) == n);
    FUZZ_CHECK(catalog_same(&cat, &cat));
    catalog_release(&cat);
    return 0;
}

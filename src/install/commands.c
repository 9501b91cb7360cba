/* install, remove, list and verify. Every change is transactional: the
 * catalog is read before, and if any step fails, what was added is taken
 * out and the order written back, then the catalog is read again to make
 * sure it is what it was. */
#include "install.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int(WSPAPI *install_chains_fn)(LPGUID, const LPWSTR, const LPWSTR, const LPWSTR, DWORD, LPWSAPROTOCOL_INFOW,
                                       DWORD, LPDWORD, LPINT);
typedef int(WSPAPI *set_info_fn)(LPGUID, WSC_PROVIDER_INFO_TYPE, PBYTE, size_t, DWORD, LPINT);
typedef int(WSPAPI *update_fn)(LPGUID, const WCHAR *, const LPWSAPROTOCOL_INFOW, DWORD, LPINT);

static void guid_text(const GUID *g, char out[39])
{
    snprintf(out, 39, "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned long)g->Data1, g->Data2,
             g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
             g->Data4[7]);
}

static int report_step(const char *step, int err)
{
    fprintf(stderr, "sharelsp-install: %s failed with WSC error %d\n", step, err);
    return err;
}

/* Puts the catalog back as `before` had it: ShareLSP's GUIDs removed, the
 * order written back. Returns EXIT_FAILED if that worked, else EXIT_BROKEN. */
static int rollback(const install_catalog *before)
{
    /* The plan was made on a catalog without ShareLSP (an install over a
     * partial one is refused), so whatever carries its GUIDs was added now. */
    int err = 0;
    WSCDeinstallProvider((LPGUID)&install_chain_guid, &err);
    WSCDeinstallProvider((LPGUID)&install_layered_guid, &err);
    DWORD *order = malloc(((size_t)before->count + 1) * sizeof *order);
    for (int i = 0; order != NULL && i < before->count; i++)
        order[i] = before->infos[i].dwCatalogEntryId;
    if (order != NULL)
        WSCWriteProviderOrder(order, (DWORD)before->count);
    free(order);
    install_catalog after;
    bool same = catalog_read(&after) == 0 && catalog_same(before, &after);
    catalog_release(&after);
    fprintf(stderr, "sharelsp-install: %s\n",
            same ? "the catalog was restored as it was" : "the catalog could NOT be restored: see docs/install.md");
    return same ? EXIT_FAILED : EXIT_BROKEN;
}

static void to_info(const plan_entry *e, const install_catalog *cat, WSAPROTOCOL_INFOW *info)
{
    /* Start from the base entry the planner copied, then its changes. */
    DWORD base_id = e->chain_len >= 2 ? e->chain[1] : 0;
    const WSAPROTOCOL_INFOW *base = base_id ? catalog_info(cat, base_id) : NULL;
    memset(info, 0, sizeof *info);
    if (base != NULL)
        *info = *base;
    info->dwServiceFlags1 = e->flags1;
    info->dwProviderFlags = e->provider_flags;
    info->ProtocolChain.ChainLen = e->chain_len;
    for (int i = 0; i < PLAN_MAX_CHAIN; i++)
        info->ProtocolChain.ChainEntries[i] = e->chain[i];
    MultiByteToWideChar(CP_UTF8, 0, e->name, -1, info->szProtocol, WSAPROTOCOL_LEN + 1);
    info->szProtocol[WSAPROTOCOL_LEN] = L'\0';
}

static DWORD find_layered(const install_catalog *cat)
{
    for (int i = 0; i < cat->count; i++) {
        if (cat->infos[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL &&
            IsEqualGUID(&cat->infos[i].ProviderId, &install_layered_guid))
            return cat->infos[i].dwCatalogEntryId;
    }
    return 0;
}

/* WSCInstallProvider for the layered entry and the chains, then
 * WSCWriteProviderOrder with the chains first. */
static int install_legacy(const install_options *o, const plan_install *plan, const install_catalog *before)
{
    int err = 0;
    WSAPROTOCOL_INFOW layered;
    const WSAPROTOCOL_INFOW *first = catalog_info(before, plan->chains[0].chain[1]);
    layered = *first;
    layered.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    layered.dwServiceFlags1 = plan->layered.flags1;
    layered.dwProviderFlags = plan->layered.provider_flags;
    wcscpy(layered.szProtocol, L"ShareLSP");
    if (WSCInstallProvider((LPGUID)&install_layered_guid, o->path, &layered, 1, &err) != 0)
        return report_step("WSCInstallProvider (layered entry)", err);
    install_catalog now;
    if ((err = catalog_read(&now)) != 0)
        return report_step("WSCEnumProtocols", err);
    DWORD layered_id = find_layered(&now);
    catalog_release(&now);
    if (layered_id == 0)
        return INSTALL_NOT_KEPT;
    WSAPROTOCOL_INFOW chains[PLAN_MAX_ENTRIES];
    for (size_t i = 0; i < plan->chain_count; i++) {
        to_info(&plan->chains[i], before, &chains[i]);
        chains[i].ProtocolChain.ChainEntries[0] = layered_id;
    }
    if (WSCInstallProvider((LPGUID)&install_chain_guid, o->path, chains, (DWORD)plan->chain_count, &err) != 0)
        return report_step("WSCInstallProvider (chain entries)", err);
    if ((err = catalog_read(&now)) != 0)
        return report_step("WSCEnumProtocols", err);
    uint32_t planned[PLAN_MAX_ENTRIES];
    DWORD order[PLAN_MAX_ENTRIES];
    size_t n = planner_order(now.entries, (size_t)now.count, layered_id, planned);
    catalog_release(&now);
    for (size_t i = 0; i < n; i++)
        order[i] = planned[i]; /* DWORD and uint32_t are not one type to the compiler */
    err = WSCWriteProviderOrder(order, (DWORD)n);
    return err ? report_step("WSCWriteProviderOrder", err) : 0;
}

static int install_with_chains_api(install_chains_fn install_chains, const install_options *o,
                                   const plan_install *plan, const install_catalog *before)
{
    WSAPROTOCOL_INFOW over[PLAN_MAX_ENTRIES];
    for (size_t i = 0; i < plan->chain_count; i++)
        over[i] = *catalog_info(before, plan->chains[i].chain[1]);
    DWORD layered_id = 0;
    int err = 0;
    WCHAR name[] = L"ShareLSP";
    WCHAR path[MAX_PATH];
    wcscpy(path, o->path);
    if (install_chains((LPGUID)&install_layered_guid, path, path, name, 0, over, (DWORD)plan->chain_count,
                       &layered_id, &err) != 0)
        return report_step("WSCInstallProviderAndChains64_32", err);
    return 0;
}

int command_install(const install_options *o)
{
    install_catalog before;
    int err = catalog_read(&before);
    if (err != 0) {
        fprintf(stderr, "sharelsp-install: cannot read the catalog (WSCEnumProtocols: %d)\n", err);
        return EXIT_CATALOG;
    }
    static plan_install plan;
    if (planner_install(before.entries, (size_t)before.count, (const plan_guid *)&install_layered_guid,
                        (const plan_guid *)&install_chain_guid, o->protocols, &plan) != CORE_OK) {
        fprintf(stderr, "sharelsp-install: cannot install: %s\n", plan.problem);
        catalog_release(&before);
        return EXIT_REFUSED;
    }
    if (plan.already) {
        printf("ShareLSP is already installed as asked; nothing changed.\n");
        catalog_release(&before);
        return EXIT_OK;
    }
    install_chains_fn install_chains =
        o->legacy_api ? NULL : (install_chains_fn)(void (*)(void))wsc_optional("WSCInstallProviderAndChains64_32");
    err = install_chains ? install_with_chains_api(install_chains, o, &plan, &before)
                         : install_legacy(o, &plan, &before);
    set_info_fn set_info = (set_info_fn)(void (*)(void))wsc_optional("WSCSetProviderInfo");
    if (err == 0 && set_info != NULL) {
        DWORD categories = LSP_INSPECTOR;
        if (set_info((LPGUID)&install_layered_guid, ProviderInfoLspCategories, (PBYTE)&categories,
                     sizeof categories, 0, &err) != 0)
            err = report_step("WSCSetProviderInfo", err);
    }
    if (err != 0 && err != INSTALL_NOT_KEPT) {
        int code = rollback(&before);
        catalog_release(&before);
        return code;
    }
    /* Read it back: a platform that reports success and keeps nothing
     * (Wine's own ws2_32) must not be taken at its word. */
    install_catalog after;
    memset(&after, 0, sizeof after);
    char reason[200] = "the layered entry is not in the catalog after WSCInstallProvider";
    bool kept = err == 0 && catalog_read(&after) == 0 &&
                planner_verify(after.entries, (size_t)after.count, (const plan_guid *)&install_layered_guid, reason,
                               sizeof reason);
    if (!kept) {
        fprintf(stderr,
                "sharelsp-install: the WSC calls reported success but the catalog does not hold ShareLSP's entries "
                "(%s). This platform's Winsock keeps no catalog (Wine's own ws2_32 does this).\n",
                reason);
        rollback(&before);
        catalog_release(&before);
        catalog_release(&after);
        return EXIT_NOT_KEPT;
    }
    printf("ShareLSP installed: %s, placed first in the catalog (%s).\n", reason,
           install_chains ? "WSCInstallProviderAndChains64_32" : "WSCInstallProvider + WSCWriteProviderOrder");
    catalog_release(&after);
    catalog_release(&before);
    return EXIT_OK;
}

int command_remove(void)
{
    install_catalog before;
    int err = catalog_read(&before);
    if (err != 0) {
        fprintf(stderr, "sharelsp-install: cannot read the catalog (WSCEnumProtocols: %d)\n", err);
        return EXIT_CATALOG;
    }
    static plan_remove plan;
    planner_remove(before.entries, (size_t)before.count, (const plan_guid *)&install_layered_guid, &plan);
    if (!plan.installed) {
        printf("ShareLSP is not installed; nothing changed.\n");
        catalog_release(&before);
        return EXIT_OK;
    }
    /* Other LSPs layered over ShareLSP first get their chains repaired. */
    update_fn update = (update_fn)(void (*)(void))wsc_optional("WSCUpdateProvider");
    for (size_t i = 0; err == 0 && i < plan.repair_count; i++) {
        const plan_entry *fixed = &plan.repairs[i];
        WSAPROTOCOL_INFOW info = *catalog_info(&before, fixed->id);
        info.ProtocolChain.ChainLen = fixed->chain_len;
        for (int k = 0; k < PLAN_MAX_CHAIN; k++)
            info.ProtocolChain.ChainEntries[k] = fixed->chain[k];
        WCHAR path[MAX_PATH];
        int len = MAX_PATH;
        if (update == NULL) {
            fprintf(stderr, "sharelsp-install: another LSP is layered over ShareLSP and this platform has no "
                            "WSCUpdateProvider to repair its chain; remove that LSP first\n");
            err = WSAEOPNOTSUPP;
        } else if (WSCGetProviderPath(&info.ProviderId, path, &len, &err) != 0) {
            err = report_step("WSCGetProviderPath", err);
        } else if (update(&info.ProviderId, path, &info, 1, &err) != 0) {
            err = report_step("WSCUpdateProvider", err);
        }
    }
    /* Then every provider GUID ShareLSP's entries carry. */
    GUID done[4];
    int ndone = 0;
    for (size_t i = 0; err == 0 && i < plan.remove_count; i++) {
        const WSAPROTOCOL_INFOW *e = catalog_info(&before, plan.remove_ids[i]);
        bool seen = false;
        for (int k = 0; k < ndone; k++)
            seen = seen || IsEqualGUID(&done[k], &e->ProviderId);
        if (seen)
            continue;
        if (WSCDeinstallProvider((LPGUID)&e->ProviderId, &err) != 0)
            err = report_step("WSCDeinstallProvider", err);
        else if (ndone < 4)
            done[ndone++] = e->ProviderId;
    }
    catalog_release(&before);
    if (err != 0)
        return EXIT_FAILED;
    printf("ShareLSP removed: %zu entries taken out, %zu chains of other LSPs repaired.\n", plan.remove_count,
           plan.repair_count);
    return EXIT_OK;
}

int command_list(void)
{
    install_catalog cat;
    int err = catalog_read(&cat);
    if (err != 0) {
        fprintf(stderr, "sharelsp-install: cannot read the catalog (WSCEnumProtocols: %d)\n", err);
        return EXIT_CATALOG;
    }
    DWORD layered = find_layered(&cat);
    printf("Winsock catalog: %d entries, in catalog order (* = ShareLSP's)\n\n", cat.count);
    for (int i = 0; i < cat.count; i++) {
        const WSAPROTOCOL_INFOW *p = &cat.infos[i];
        bool ours = IsEqualGUID(&p->ProviderId, &install_layered_guid) ||
                    IsEqualGUID(&p->ProviderId, &install_chain_guid) ||
                    (layered != 0 && p->ProtocolChain.ChainLen >= 2 && p->ProtocolChain.ChainEntries[0] == layered);
        char guid[39], chain[96] = "";
        guid_text(&p->ProviderId, guid);
        int at = 0;
        for (int k = 0; p->ProtocolChain.ChainLen >= 2 && k < p->ProtocolChain.ChainLen && k < MAX_PROTOCOL_CHAIN; k++)
            at += snprintf(chain + at, sizeof chain - (size_t)at, " %lu",
                           (unsigned long)p->ProtocolChain.ChainEntries[k]);
        const char *kind = p->ProtocolChain.ChainLen == LAYERED_PROTOCOL ? "layered"
                           : p->ProtocolChain.ChainLen == BASE_PROTOCOL  ? "base"
                                                                         : "chain";
        printf("%c Catalog Entry ID:   %lu\n", ours ? '*' : ' ', (unsigned long)p->dwCatalogEntryId);
        printf("  Description:        %ls\n", p->szProtocol);
        printf("  Provider ID:        %s\n", guid);
        printf("  Protocol chain:     %s, length %d%s%s\n", kind, p->ProtocolChain.ChainLen, chain[0] ? ":" : "",
               chain);
        printf("  Family/type/proto:  %d / %d / %d\n", p->iAddressFamily, p->iSocketType, p->iProtocol);
        printf("  Service flags:      0x%08lx%s   Provider flags: 0x%08lx\n\n", (unsigned long)p->dwServiceFlags1,
               (p->dwServiceFlags1 & XP1_IFS_HANDLES) ? " (IFS)" : "", (unsigned long)p->dwProviderFlags);
    }
    catalog_release(&cat);
    return EXIT_OK;
}

int command_verify(void)
{
    install_catalog cat;
    int err = catalog_read(&cat);
    if (err != 0) {
        fprintf(stderr, "sharelsp-install: cannot read the catalog (WSCEnumProtocols: %d)\n", err);
        return EXIT_CATALOG;
    }
    char reason[200];
    bool ok = planner_verify(cat.entries, (size_t)cat.count, (const plan_guid *)&install_layered_guid, reason,
                             sizeof reason);
    if (ok) {
        /* The DLL of the layered entry must load and export WSPStartup. */
        WCHAR raw[MAX_PATH], path[MAX_PATH];
        int len = MAX_PATH;
        HMODULE m = NULL;
        if (WSCGetProviderPath((LPGUID)&install_layered_guid, raw, &len, &err) != 0 ||
            ExpandEnvironmentStringsW(raw, path, MAX_PATH) == 0) {
            snprintf(reason, sizeof reason, "the provider path cannot be read (WSCGetProviderPath: %d)", err);
            ok = false;
        } else if ((m = LoadLibraryW(path)) == NULL) {
            snprintf(reason, sizeof reason, "the provider %ls does not load (error %lu)", path, GetLastError());
            ok = false;
        } else if (GetProcAddress(m, "WSPStartup") == NULL) {
            snprintf(reason, sizeof reason, "the provider %ls exports no WSPStartup", path);
            ok = false;
        }
        if (m != NULL)
            FreeLibrary(m);
    }
    catalog_release(&cat);
    printf("%s: %s\n", ok ? "ok" : "NOT OK", reason);
    return ok ? EXIT_OK : EXIT_INVALID;
}

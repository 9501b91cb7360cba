/* install, remove, list and verify. Every change is transactional: the
 * catalog is read before, and if any step fails, what was added is taken
 * out and the order written back, then the catalog is read again to make
 * sure it is what it was. */
#include "halves.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN64
#define CHAINS_API "WSCInstallProviderAndChains64_32"
#else
#define CHAINS_API "WSCInstallProviderAndChains"
#endif

/* WSCInstallProviderAndChains64_32 (a 64-bit Windows) and
 * WSCInstallProviderAndChains (a 32-bit one, no second path). */
typedef int(WSPAPI *install_chains_fn)(LPGUID, const LPWSTR, const LPWSTR, const LPWSTR, DWORD, LPWSAPROTOCOL_INFOW,
                                       DWORD, LPDWORD, LPINT);
typedef int(WSPAPI *install_chains32_fn)(LPGUID, const LPWSTR, const LPWSTR, DWORD, LPWSAPROTOCOL_INFOW, DWORD,
                                         LPDWORD, LPINT);

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

/* Puts each half back as `before` had it: ShareLSP's GUIDs removed, the
 * order written back. Returns EXIT_FAILED if that worked, else EXIT_BROKEN. */
static int rollback(const install_half *halves, const install_catalog *before, int count)
{
    /* The plan was made on a catalog without ShareLSP (an install over a
     * partial one is refused), so whatever carries its GUIDs was added now. */
    bool same = true;
    for (int h = 0; h < count; h++) {
        int err = 0;
        halves[h].deinstall((LPGUID)&install_chain_guid, &err);
        halves[h].deinstall((LPGUID)&install_layered_guid, &err);
        DWORD *order = malloc(((size_t)before[h].count + 1) * sizeof *order);
        for (int i = 0; order != NULL && i < before[h].count; i++)
            order[i] = before[h].infos[i].dwCatalogEntryId;
        if (order != NULL)
            halves[h].write_order(order, (DWORD)before[h].count);
        free(order);
        install_catalog after;
        same = catalog_read_by(halves[h].enumerate, &after) == 0 && catalog_same(&before[h], &after) && same;
        catalog_release(&after);
    }
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
    wcscpy(layered.szProtocol, install_name);
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

static int install_with_chains_api(const install_options *o, const plan_install *plan,
                                   const install_catalog *before)
{
    WSAPROTOCOL_INFOW over[PLAN_MAX_ENTRIES];
    for (size_t i = 0; i < plan->chain_count; i++)
        over[i] = *catalog_info(before, plan->chains[i].chain[1]);
    DWORD layered_id = 0;
    int err = 0;
    WCHAR name[INSTALL_NAME_MAX + 1];
    wcscpy(name, install_name);
    WCHAR path[MAX_PATH], path32[MAX_PATH];
    wcscpy(path, o->path);
    wcscpy(path32, o->path32);
#ifdef _WIN64
    install_chains_fn install_chains =
        (install_chains_fn)(void (*)(void))wsc_optional("WSCInstallProviderAndChains64_32");
    if (install_chains((LPGUID)&install_layered_guid, path, path32, name, 0, over, (DWORD)plan->chain_count,
                       &layered_id, &err) != 0)
        return report_step(CHAINS_API, err);
#else
    install_chains32_fn install_chains =
        (install_chains32_fn)(void (*)(void))wsc_optional("WSCInstallProviderAndChains");
    if (install_chains((LPGUID)&install_layered_guid, path, name, 0, over, (DWORD)plan->chain_count, &layered_id,
                       &err) != 0)
        return report_step(CHAINS_API, err);
#endif
    return 0;
}

static void release_all(install_catalog *cats, int count)
{
    for (int h = 0; h < count; h++)
        catalog_release(&cats[h]);
}

int command_install(const install_options *o)
{
    install_half halves[2];
    int nh = install_halves(halves);
    install_catalog before[2];
    memset(before, 0, sizeof before);
    static plan_install plans[2];
    int already = 0;
    for (int h = 0; h < nh; h++) {
        int err = catalog_read_by(halves[h].enumerate, &before[h]);
        if (err != 0) {
            fprintf(stderr, "sharelsp-install: cannot read the %s (WSCEnumProtocols: %d)\n", halves[h].name, err);
            release_all(before, nh);
            return EXIT_CATALOG;
        }
        if (planner_install(before[h].entries, (size_t)before[h].count, (const plan_guid *)&install_layered_guid,
                            (const plan_guid *)&install_chain_guid, o->protocols, &plans[h]) != CORE_OK) {
            fprintf(stderr, "sharelsp-install: cannot install into the %s: %s\n", halves[h].name, plans[h].problem);
            release_all(before, nh);
            return EXIT_REFUSED;
        }
        already += plans[h].already;
        install_identity_rename(plans[h].layered.name, sizeof plans[h].layered.name);
        for (size_t c = 0; c < plans[h].chain_count; c++)
            install_identity_rename(plans[h].chains[c].name, sizeof plans[h].chains[c].name);
    }
    if (already == nh) {
        printf("%ls is already installed as asked; nothing changed.\n", install_name);
        release_all(before, nh);
        return EXIT_OK;
    }
    if (already != 0) {
        fprintf(stderr, "sharelsp-install: cannot install: ShareLSP is installed in the %s alone; remove it first\n",
                plans[0].already ? halves[0].name : halves[1].name);
        release_all(before, nh);
        return EXIT_REFUSED;
    }
    /* Every half's processes must be able to load the DLL it names. */
    for (int h = 0; h < nh; h++) {
        char why[MAX_PATH + 100];
        if (!install_dll_is(h == 0 ? o->path : o->path32, halves[h].machine, why, sizeof why)) {
            fprintf(stderr, "sharelsp-install: cannot install into the %s: %s%s\n", halves[h].name, why,
                    h == 1 ? "; give the 32-bit sharelsp.dll with --path32" : "");
            release_all(before, nh);
            return EXIT_REFUSED;
        }
    }
    if (o->legacy_api && nh == 2) {
        fprintf(stderr, "sharelsp-install: --legacy-api changes one catalog, and this Windows has two (64-bit and "
                        "32-bit): install without it\n");
        release_all(before, nh);
        return EXIT_REFUSED;
    }
    bool chains_api = !o->legacy_api && wsc_optional(CHAINS_API) != NULL;
    int err = chains_api ? install_with_chains_api(o, &plans[0], &before[0]) : install_legacy(o, &plans[0], &before[0]);
    for (int h = 0; err == 0 && h < nh; h++) {
        if (halves[h].set_info == NULL)
            continue;
        DWORD categories = LSP_INSPECTOR;
        if (halves[h].set_info((LPGUID)&install_layered_guid, ProviderInfoLspCategories, (PBYTE)&categories,
                               sizeof categories, 0, &err) != 0)
            err = report_step(h == 0 ? "WSCSetProviderInfo" : "WSCSetProviderInfo32", err);
    }
    if (err != 0 && err != INSTALL_NOT_KEPT) {
        int code = rollback(halves, before, nh);
        release_all(before, nh);
        return code;
    }
    /* Read it back: a platform that reports success and keeps nothing
     * (Wine's own ws2_32) must not be taken at its word. */
    char reason[2][200] = {"the layered entry is not in the catalog after WSCInstallProvider",
                           "the layered entry is not in the catalog after WSCInstallProvider"};
    bool kept = err == 0;
    for (int h = 0; kept && h < nh; h++) {
        install_catalog after;
        kept = catalog_read_by(halves[h].enumerate, &after) == 0 &&
               planner_verify(after.entries, (size_t)after.count, (const plan_guid *)&install_layered_guid,
                              reason[h], sizeof reason[h]);
        catalog_release(&after);
        if (!kept)
            fprintf(stderr,
                    "sharelsp-install: the WSC calls reported success but the %s does not hold ShareLSP's entries "
                    "(%s). This platform's Winsock keeps no catalog (Wine's own ws2_32 does this).\n",
                    halves[h].name, reason[h]);
    }
    if (!kept) {
        rollback(halves, before, nh);
        release_all(before, nh);
        return EXIT_NOT_KEPT;
    }
    for (int h = 0; h < nh; h++)
        printf("%ls installed%s%s: %s, placed first in the catalog (%s).\n", install_name, nh == 2 ? " in the " : "",
               nh == 2 ? halves[h].name : "", reason[h],
               chains_api ? CHAINS_API : "WSCInstallProvider + WSCWriteProviderOrder");
    release_all(before, nh);
    return EXIT_OK;
}

/* Takes ShareLSP out of one half; the count of entries removed and chains
 * repaired, or -1 after a failed step. */
static int remove_from(const install_half *half, size_t *removed, size_t *repaired)
{
    install_catalog before;
    int err = catalog_read_by(half->enumerate, &before);
    if (err != 0) {
        fprintf(stderr, "sharelsp-install: cannot read the %s (WSCEnumProtocols: %d)\n", half->name, err);
        return EXIT_CATALOG;
    }
    static plan_remove plan;
    planner_remove(before.entries, (size_t)before.count, (const plan_guid *)&install_layered_guid, &plan);
    if (!plan.installed) {
        catalog_release(&before);
        return EXIT_OK;
    }
    /* Other LSPs layered over ShareLSP first get their chains repaired. */
    for (size_t i = 0; err == 0 && i < plan.repair_count; i++) {
        const plan_entry *fixed = &plan.repairs[i];
        WSAPROTOCOL_INFOW info = *catalog_info(&before, fixed->id);
        info.ProtocolChain.ChainLen = fixed->chain_len;
        for (int k = 0; k < PLAN_MAX_CHAIN; k++)
            info.ProtocolChain.ChainEntries[k] = fixed->chain[k];
        WCHAR path[MAX_PATH];
        int len = MAX_PATH;
        if (half->update == NULL) {
            fprintf(stderr, "sharelsp-install: another LSP is layered over ShareLSP and this platform has no "
                            "WSCUpdateProvider to repair its chain; remove that LSP first\n");
            err = WSAEOPNOTSUPP;
        } else if (half->get_path(&info.ProviderId, path, &len, &err) != 0) {
            err = report_step("WSCGetProviderPath", err);
        } else if (half->update(&info.ProviderId, path, &info, 1, &err) != 0) {
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
        if (half->deinstall((LPGUID)&e->ProviderId, &err) != 0)
            err = report_step("WSCDeinstallProvider", err);
        else if (ndone < 4)
            done[ndone++] = e->ProviderId;
    }
    catalog_release(&before);
    if (err != 0)
        return EXIT_FAILED;
    *removed += plan.remove_count;
    *repaired += plan.repair_count;
    return EXIT_OK;
}

int command_remove(void)
{
    install_half halves[2];
    int nh = install_halves(halves);
    size_t removed = 0, repaired = 0;
    for (int h = 0; h < nh; h++) {
        int code = remove_from(&halves[h], &removed, &repaired);
        if (code != EXIT_OK)
            return code;
    }
    if (removed == 0) {
        printf("%ls is not installed; nothing changed.\n", install_name);
        return EXIT_OK;
    }
    printf("%ls removed: %zu entries taken out, %zu chains of other LSPs repaired%s.\n", install_name, removed, repaired,
           nh == 2 ? " (both catalogs)" : "");
    return EXIT_OK;
}

static int list_half(const install_half *half, bool both)
{
    install_catalog cat;
    int err = catalog_read_by(half->enumerate, &cat);
    if (err != 0) {
        fprintf(stderr, "sharelsp-install: cannot read the %s (WSCEnumProtocols: %d)\n", half->name, err);
        return EXIT_CATALOG;
    }
    DWORD layered = find_layered(&cat);
    if (both)
        printf("Winsock %s (%s programs): %d entries, in catalog order (* = ShareLSP's)\n\n", half->name,
               half->machine == IMAGE_FILE_MACHINE_I386 ? "32-bit" : "64-bit", cat.count);
    else
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

int command_list(void)
{
    install_half halves[2];
    int nh = install_halves(halves);
    for (int h = 0; h < nh; h++) {
        int code = list_half(&halves[h], nh == 2);
        if (code != EXIT_OK)
            return code;
    }
    return EXIT_OK;
}

/* Verifies the tool's own half, loading the DLL in this process. */
static int verify_own(const install_half *half, bool both)
{
    install_catalog cat;
    int err = catalog_read_by(half->enumerate, &cat);
    if (err != 0) {
        fprintf(stderr, "sharelsp-install: cannot read the %s (WSCEnumProtocols: %d)\n", half->name, err);
        return EXIT_CATALOG;
    }
    char reason[MAX_PATH + 100];
    bool ok = planner_verify(cat.entries, (size_t)cat.count, (const plan_guid *)&install_layered_guid, reason,
                             sizeof reason);
    if (ok) {
        /* The DLL of the layered entry must load and export WSPStartup. */
        WCHAR raw[MAX_PATH], path[MAX_PATH];
        int len = MAX_PATH;
        HMODULE m = NULL;
        if (half->get_path((LPGUID)&install_layered_guid, raw, &len, &err) != 0 ||
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
    printf("%s%s%s: %s\n", ok ? "ok" : "NOT OK", both ? ", " : "", both ? half->name : "", reason);
    return ok ? EXIT_OK : EXIT_INVALID;
}

/* The 32-bit half is verified by the 32-bit tool, whose own catalog it is:
 * its DLL loads only in a 32-bit process. */
static int verify_by_32bit_tool(const install_half *half, const WCHAR *installer32)
{
    WCHAR command[2 * MAX_PATH];
    WCHAR guid[40];
    StringFromGUID2(&install_layered_guid, guid, 40);
    _snwprintf(command, sizeof command / sizeof *command, L"\"%ls\" verify --guid %ls --name \"%ls\"", installer32,
               guid, install_name);
    command[sizeof command / sizeof *command - 1] = L'\0';
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessW(installer32, command, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("NOT OK, %s: the 32-bit sharelsp-install that checks it, %ls, cannot be started (error %lu); give "
               "it with --installer32\n",
               half->name, installer32, GetLastError());
        return EXIT_INVALID;
    }
    DWORD code = EXIT_INVALID;
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return code == EXIT_OK ? EXIT_OK : EXIT_INVALID;
}

int command_verify(const WCHAR *installer32)
{
    install_half halves[2];
    int nh = install_halves(halves);
    int code = verify_own(&halves[0], nh == 2);
    if (nh == 2 && code != EXIT_CATALOG) {
        int other = verify_by_32bit_tool(&halves[1], installer32);
        if (code == EXIT_OK)
            code = other;
    }
    return code;
}

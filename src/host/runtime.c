/* The running host: WSAStartup/WSACleanup reference counting, the catalog as
 * this process sees it, and the providers it has started, one WSPStartup per
 * catalog entry, balanced by one WSPCleanup at the last WSACleanup. */
#include "host.h"

#include <stdio.h>
#include <string.h>

#include "catalog_file.h"
#include "platform.h"
#include "proctable.h"
#include "wsversion.h"

static SRWLOCK runtime_lock = SRWLOCK_INIT;
static LONG startups;
static host_provider *providers;

static catalog view;
static bool view_loaded;
static FILETIME view_written;

bool host_is_started(void) { return InterlockedCompareExchange(&startups, 0, 0) > 0; }

/* Each start of ours holds one of the platform's Winsock: the calls wsphost
 * forwards to it (gethostbyname, gethostname, ...) then work from WSAStartup
 * on, as with ws2_32, not only once a provider has started it. The platform
 * answers for both: it negotiates the version and fills WSADATA as ws2_32
 * does, and refuses (WSAVERNOTSUPPORTED, WSAEFAULT) before anything starts. */
int host_startup(WORD version, LPWSADATA data)
{
    int rc = platform_WSAStartup(version, data);
    if (rc != 0)
        return rc;
    host_handles_init();
    AcquireSRWLockExclusive(&runtime_lock);
    startups++;
    ReleaseSRWLockExclusive(&runtime_lock);
    return 0;
}

static void runtime_stop_providers(void)
{
    host_provider *p = providers;
    providers = NULL;
    while (p != NULL) {
        host_provider *next = p->next;
        int err = 0;
        if (p->procs.lpWSPCleanup(&err) != 0)
            fprintf(stderr, "wsphost: catalog entry %lu: WSPCleanup failed with error %d\n",
                    (unsigned long)p->catalog_id, err);
        FreeLibrary(p->module);
        HeapFree(GetProcessHeap(), 0, p);
        p = next;
    }
}

int host_cleanup(void)
{
    AcquireSRWLockExclusive(&runtime_lock);
    if (startups == 0) {
        ReleaseSRWLockExclusive(&runtime_lock);
        return WSANOTINITIALISED;
    }
    if (--startups == 0) {
        runtime_stop_providers();
        host_handles_clear();
        catalog_free(&view);
        view_loaded = false;
    }
    ReleaseSRWLockExclusive(&runtime_lock);
    /* The platform's start this one held; the providers' own are released
     * by their WSPCleanup above. */
    return platform_WSACleanup() == 0 ? 0 : (int)GetLastError();
}

static bool file_written(const WCHAR *path, FILETIME *when)
{
    WIN32_FILE_ATTRIBUTE_DATA attributes;
    if (!GetFileAttributesExW(path, GetFileExInfoStandard, &attributes))
        return false;
    *when = attributes.ftLastWriteTime;
    return true;
}

/* With runtime_lock held exclusively. */
static int runtime_refresh_view(void)
{
    WCHAR path[MAX_PATH];
    if (!catalog_file_path(path, MAX_PATH))
        return WSASYSCALLFAILURE;
    FILETIME written;
    if (view_loaded && file_written(path, &written) && CompareFileTime(&written, &view_written) == 0)
        return 0;
    catalog fresh;
    catalog_error err;
    int rc = catalog_file_load(path, &fresh, &err);
    if (rc != 0)
        return rc;
    catalog_free(&view);
    view = fresh;
    view_loaded = true;
    if (!file_written(path, &view_written))
        memset(&view_written, 0, sizeof view_written);
    return 0;
}

int host_catalog_snapshot(catalog *out)
{
    AcquireSRWLockExclusive(&runtime_lock);
    int rc = runtime_refresh_view();
    if (rc == 0 && !catalog_copy(out, &view))
        rc = WSAENOBUFS;
    ReleaseSRWLockExclusive(&runtime_lock);
    return rc;
}

_Static_assert(sizeof(WSPPROC_TABLE) == PROCTABLE_ENTRIES * sizeof(void (*)(void)), "the core's proc table");

/* Loads and starts one entry's provider. With runtime_lock held. */
static int runtime_start(const catalog_entry *entry, host_provider **out)
{
    DWORD id = entry->info.dwCatalogEntryId;
    host_provider *p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *p);
    if (p == NULL)
        return WSAENOBUFS;
    p->catalog_id = id;
    p->info = entry->info;
    DWORD n = ExpandEnvironmentStringsW(entry->path, p->path, MAX_PATH);
    if (n == 0 || n > MAX_PATH) {
        fprintf(stderr, "wsphost: catalog entry %lu: provider path '%ls' does not expand\n", (unsigned long)id,
                entry->path);
        HeapFree(GetProcessHeap(), 0, p);
        return WSAEPROVIDERFAILEDINIT;
    }
    p->module = host_provider_load_library_w(p->path);
    if (p->module == NULL) {
        fprintf(stderr, "wsphost: catalog entry %lu: cannot load provider '%ls' (error %lu)\n", (unsigned long)id,
                p->path, GetLastError());
        HeapFree(GetProcessHeap(), 0, p);
        return WSAEPROVIDERFAILEDINIT;
    }
    LPWSPSTARTUP startup = (LPWSPSTARTUP)(void (*)(void))GetProcAddress(p->module, "WSPStartup");
    int rc = 0;
    if (startup == NULL) {
        fprintf(stderr, "wsphost: catalog entry %lu: '%ls' exports no WSPStartup\n", (unsigned long)id, p->path);
        rc = WSAEPROVIDERFAILEDINIT;
    } else {
        WSPDATA data;
        WSAPROTOCOL_INFOW info = entry->info;
        memset(&data, 0, sizeof data);
        rc = startup(WSVERSION(2, 2), &data, &info, *host_upcall_table(), &p->procs);
        if (rc != 0) {
            fprintf(stderr, "wsphost: catalog entry %lu: WSPStartup of '%ls' failed with error %d\n",
                    (unsigned long)id, p->path, rc);
            rc = WSAEPROVIDERFAILEDINIT;
        } else if (data.wVersion != WSVERSION(2, 2)) {
            fprintf(stderr, "wsphost: catalog entry %lu: '%ls' agreed on version %u.%u, not 2.2\n",
                    (unsigned long)id, p->path, data.wVersion & 0xff, data.wVersion >> 8);
            int ignored = 0;
            if (p->procs.lpWSPCleanup != NULL)
                p->procs.lpWSPCleanup(&ignored);
            rc = WSAVERNOTSUPPORTED;
        } else {
            const char *missing = proctable_first_missing(&p->procs);
            if (missing != NULL) {
                fprintf(stderr, "wsphost: catalog entry %lu: '%ls' returned a proc table without %s\n",
                        (unsigned long)id, p->path, missing);
                int ignored = 0;
                if (p->procs.lpWSPCleanup != NULL)
                    p->procs.lpWSPCleanup(&ignored);
                rc = WSAEINVALIDPROCTABLE;
            }
        }
    }
    if (rc != 0) {
        FreeLibrary(p->module);
        HeapFree(GetProcessHeap(), 0, p);
        return rc;
    }
    p->next = providers;
    providers = p;
    *out = p;
    return 0;
}

int host_provider_for(DWORD catalog_id, host_provider **out)
{
    AcquireSRWLockShared(&runtime_lock);
    for (host_provider *p = providers; p != NULL; p = p->next) {
        if (p->catalog_id == catalog_id) {
            *out = p;
            ReleaseSRWLockShared(&runtime_lock);
            return 0;
        }
    }
    ReleaseSRWLockShared(&runtime_lock);

    AcquireSRWLockExclusive(&runtime_lock);
    int rc = 0;
    host_provider *found = NULL;
    for (host_provider *p = providers; p != NULL && found == NULL; p = p->next) {
        if (p->catalog_id == catalog_id)
            found = p; /* another thread started it meanwhile */
    }
    if (found == NULL) {
        rc = runtime_refresh_view();
        const catalog_entry *entry = rc == 0 ? catalog_find_id(&view, catalog_id) : NULL;
        if (rc == 0 && entry == NULL)
            rc = WSAEINVAL;
        else if (rc == 0)
            rc = runtime_start(entry, &found);
    }
    ReleaseSRWLockExclusive(&runtime_lock);
    if (rc == 0)
        *out = found;
    return rc;
}

static bool entry_serves(const WSAPROTOCOL_INFOW *info, int af, int type, int protocol)
{
    if (af != AF_UNSPEC && info->iAddressFamily != af)
        return false;
    if (type != 0 && info->iSocketType != type)
        return false;
    if (protocol == 0)
        return (info->dwProviderFlags & PFL_MATCHES_PROTOCOL_ZERO) != 0 || info->iProtocol == 0;
    return protocol >= info->iProtocol && protocol <= info->iProtocol + info->iProtocolMaxOffset;
}

int host_pick_entry(int af, int type, int protocol, WSAPROTOCOL_INFOW *out)
{
    AcquireSRWLockExclusive(&runtime_lock);
    int rc = runtime_refresh_view();
    bool family_seen = false, type_seen = false, both_seen = false, found = false;
    for (size_t i = 0; rc == 0 && i < view.count && !found; i++) {
        const WSAPROTOCOL_INFOW *info = &view.entries[i].info;
        if (!catalog_entry_visible(&view.entries[i]))
            continue;
        bool family = af == AF_UNSPEC || info->iAddressFamily == af;
        bool type_served = type == 0 || info->iSocketType == type;
        family_seen = family_seen || family;
        type_seen = type_seen || type_served;
        both_seen = both_seen || (family && type_served);
        if (entry_serves(info, af, type, protocol)) {
            *out = *info;
            found = true;
        }
    }
    ReleaseSRWLockExclusive(&runtime_lock);
    if (rc != 0)
        return rc;
    if (found)
        return 0;
    /* Windows' order (Wine's sock.c test_WSASocket): a type no entry has
     * comes first, then a family no entry has, then the protocol. */
    if (!type_seen)
        return WSAESOCKTNOSUPPORT;
    if (!family_seen)
        return WSAEAFNOSUPPORT;
    return both_seen ? WSAEPROTONOSUPPORT : WSAESOCKTNOSUPPORT;
}

int host_pick_family(int af, WSAPROTOCOL_INFOW *out)
{
    return host_pick_entry(af, 0, 0, out) == 0 ? 0 : WSAEINVAL;
}

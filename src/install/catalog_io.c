/* Reading the catalog through the WSC API. */
#include "install.h"

#include <stdlib.h>
#include <string.h>

/* {70e05b19-4b30-4013-9921-585bd284aa63}: ShareLSP's layered entry (the
 * provider GUID of include/sharelsp/sharelsp.h), unless --guid names a
 * layer's (install_identity_set). */
GUID install_layered_guid = {0x70e05b19, 0x4b30, 0x4013, {0x99, 0x21, 0x58, 0x5b, 0xd2, 0x84, 0xaa, 0x63}};
/* {70e05b19-4b30-4013-9921-585bd284aa64}: its chain entries. */
GUID install_chain_guid = {0x70e05b19, 0x4b30, 0x4013, {0x99, 0x21, 0x58, 0x5b, 0xd2, 0x84, 0xaa, 0x64}};
WCHAR install_name[INSTALL_NAME_MAX + 1] = L"ShareLSP";

/* szProtocol in UTF-8, always terminated: the catalog may fill the array
 * with no NUL, and a name of up to 256 UTF-16 units needs up to 768 bytes, so
 * it is cut after the last whole character that fits. */
static void name_to_plan(const WCHAR *name, char *out, size_t capacity)
{
    char utf8[3 * (WSAPROTOCOL_LEN + 1)]; /* 3 bytes per UTF-16 unit at most */
    int units = 0;
    while (units < WSAPROTOCOL_LEN + 1 && name[units] != L'\0')
        units++;
    int n = units > 0 ? WideCharToMultiByte(CP_UTF8, 0, name, units, utf8, (int)sizeof utf8, NULL, NULL) : 0;
    size_t length = n > 0 ? (size_t)n : 0;
    if (length > capacity - 1) {
        length = capacity - 1;
        /* The first byte cut off continues a character: cut that one too. */
        while (length > 0 && ((unsigned char)utf8[length] & 0xc0) == 0x80)
            length--;
    }
    memcpy(out, utf8, length);
    out[length] = '\0';
}

static void to_plan(const WSAPROTOCOL_INFOW *info, plan_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = info->dwCatalogEntryId;
    memcpy(e->provider.bytes, &info->ProviderId, sizeof e->provider.bytes);
    e->chain_len = info->ProtocolChain.ChainLen;
    for (int i = 0; i < PLAN_MAX_CHAIN; i++)
        e->chain[i] = info->ProtocolChain.ChainEntries[i];
    e->family = info->iAddressFamily;
    e->type = info->iSocketType;
    e->protocol = info->iProtocol;
    e->flags1 = info->dwServiceFlags1;
    e->provider_flags = info->dwProviderFlags;
    name_to_plan(info->szProtocol, e->name, sizeof e->name);
}

int catalog_read(install_catalog *cat) { return catalog_read_by(WSCEnumProtocols, cat); }

int catalog_read_by(enum_protocols_fn enumerate, install_catalog *cat)
{
    memset(cat, 0, sizeof *cat);
    DWORD length = 0;
    int err = 0;
    if (enumerate(NULL, NULL, &length, &err) != SOCKET_ERROR || err != WSAENOBUFS)
        return err ? err : WSASYSCALLFAILURE;
    cat->infos = malloc(length);
    if (cat->infos == NULL)
        return WSAENOBUFS;
    cat->count = enumerate(NULL, cat->infos, &length, &err);
    if (cat->count == SOCKET_ERROR) {
        free(cat->infos);
        cat->infos = NULL;
        return err;
    }
    cat->entries = calloc((size_t)cat->count + 1, sizeof *cat->entries);
    if (cat->entries == NULL) {
        catalog_release(cat);
        return WSAENOBUFS;
    }
    for (int i = 0; i < cat->count; i++)
        to_plan(&cat->infos[i], &cat->entries[i]);
    return 0;
}

void catalog_release(install_catalog *cat)
{
    free(cat->infos);
    free(cat->entries);
    memset(cat, 0, sizeof *cat);
}

bool catalog_same(const install_catalog *a, const install_catalog *b)
{
    return a->count == b->count && memcmp(a->infos, b->infos, (size_t)a->count * sizeof *a->infos) == 0;
}

const WSAPROTOCOL_INFOW *catalog_info(const install_catalog *cat, DWORD id)
{
    for (int i = 0; i < cat->count; i++) {
        if (cat->infos[i].dwCatalogEntryId == id)
            return &cat->infos[i];
    }
    return NULL;
}

FARPROC wsc_optional(const char *name)
{
    /* The Winsock DLL this build links against: ws2_32.dll, or wsphost.dll
     * for the tests (CMake says which). It is loaded already. */
    HMODULE winsock = GetModuleHandleW(SHARELSP_WINSOCK_DLL);
    return winsock != NULL ? GetProcAddress(winsock, name) : NULL;
}

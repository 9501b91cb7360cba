#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CATALOG_MAGIC "wsphost-catalog 1"

/* The columns of an "entry" line, tab-separated, in this order. */
enum catalog_column {
    COL_KEYWORD, COL_GUID, COL_ID, COL_CHAIN, COL_FAMILY, COL_TYPE, COL_PROTOCOL, COL_MAX_OFFSET,
    COL_FLAGS1, COL_FLAGS2, COL_FLAGS3, COL_FLAGS4, COL_PROVIDER_FLAGS, COL_VERSION, COL_MAX_ADDR,
    COL_MIN_ADDR, COL_BYTE_ORDER, COL_SECURITY, COL_MESSAGE_SIZE, COL_CATEGORIES, COL_PATH, COL_NAME,
    COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "keyword", "guid", "id", "chain", "family", "type", "protocol", "max-offset", "flags1", "flags2",
    "flags3", "flags4", "provider-flags", "version", "max-sockaddr", "min-sockaddr", "byte-order",
    "security", "message-size", "categories", "path", "name"};

void catalog_init(catalog *cat)
{
    memset(cat, 0, sizeof *cat);
    cat->next_id = CATALOG_FIRST_ID;
}

void catalog_free(catalog *cat)
{
    free(cat->entries);
    catalog_init(cat);
}

static bool catalog_reserve(catalog *cat, size_t count)
{
    if (count <= cat->capacity)
        return true;
    size_t capacity = cat->capacity ? cat->capacity * 2 : 16;
    while (capacity < count)
        capacity *= 2;
    catalog_entry *entries = realloc(cat->entries, capacity * sizeof *entries);
    if (entries == NULL)
        return false;
    cat->entries = entries;
    cat->capacity = capacity;
    return true;
}

bool catalog_copy(catalog *to, const catalog *from)
{
    catalog_init(to);
    if (!catalog_reserve(to, from->count))
        return false;
    if (from->count != 0)
        memcpy(to->entries, from->entries, from->count * sizeof *from->entries);
    to->count = from->count;
    to->next_id = from->next_id;
    return true;
}

static bool fail(catalog_error *err, unsigned line, const char *what, const char *detail)
{
    err->line = line;
    if (detail != NULL)
        snprintf(err->text, sizeof err->text, "%s '%s'", what, detail);
    else
        snprintf(err->text, sizeof err->text, "%s", what);
    return false;
}

static bool parse_u32(const char *s, DWORD *out)
{
    if (*s == '\0' || *s == '-' || *s == '+' || *s == ' ')
        return false;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 0);
    if (*end != '\0' || v > 0xffffffffull)
        return false;
    *out = (DWORD)v;
    return true;
}

static bool parse_int(const char *s, int *out)
{
    const char *digits = (*s == '-') ? s + 1 : s;
    DWORD v;
    if (!parse_u32(digits, &v) || v > 0x7fffffffu)
        return false;
    *out = (*s == '-') ? -(int)v : (int)v;
    return true;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} */
static bool parse_guid(const char *s, GUID *g)
{
    static const int dash_at[] = {9, 14, 19, 24};
    if (strlen(s) != 38 || s[0] != '{' || s[37] != '}')
        return false;
    unsigned char bytes[16];
    int nibble = 0;
    for (int i = 1; i < 37; i++) {
        bool dash = false;
        for (size_t k = 0; k < 4; k++)
            dash = dash || dash_at[k] == i;
        if (dash) {
            if (s[i] != '-')
                return false;
            continue;
        }
        int d = hex_digit(s[i]);
        if (d < 0)
            return false;
        if (nibble % 2 == 0)
            bytes[nibble / 2] = (unsigned char)(d << 4);
        else
            bytes[nibble / 2] |= (unsigned char)d;
        nibble++;
    }
    g->Data1 = (DWORD)bytes[0] << 24 | (DWORD)bytes[1] << 16 | (DWORD)bytes[2] << 8 | bytes[3];
    g->Data2 = (WORD)(bytes[4] << 8 | bytes[5]);
    g->Data3 = (WORD)(bytes[6] << 8 | bytes[7]);
    memcpy(g->Data4, bytes + 8, 8);
    return true;
}

static void format_guid(const GUID *g, char out[39])
{
    snprintf(out, 39, "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned long)g->Data1, g->Data2,
             g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
             g->Data4[7]);
}

/* "len:id,id,..." — ChainLen and its ChainEntries. */
static bool parse_chain(const char *s, WSAPROTOCOLCHAIN *chain)
{
    char buf[128];
    if (strlen(s) >= sizeof buf)
        return false;
    strcpy(buf, s);
    char *colon = strchr(buf, ':');
    if (colon == NULL)
        return false;
    *colon = '\0';
    DWORD len;
    if (!parse_u32(buf, &len) || len > MAX_PROTOCOL_CHAIN)
        return false;
    memset(chain, 0, sizeof *chain);
    chain->ChainLen = (int)len;
    char *rest = colon + 1;
    DWORD n = 0;
    while (*rest != '\0') {
        char *comma = strchr(rest, ',');
        if (comma != NULL)
            *comma = '\0';
        if (n >= MAX_PROTOCOL_CHAIN || !parse_u32(rest, &chain->ChainEntries[n]))
            return false;
        n++;
        if (comma == NULL)
            break;
        rest = comma + 1;
    }
    /* Base and layered entries list no ids; a chain lists exactly ChainLen. */
    return len >= 2 ? n == len : n == 0;
}

static bool utf8_to_wide(const char *s, WCHAR *out, int capacity)
{
    if (*s == '\0') {
        out[0] = L'\0';
        return true;
    }
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, out, capacity);
    return n > 0;
}

/* Splits line (modified in place) at tabs into at most max fields. */
static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    fields[n++] = line;
    for (char *p = line; *p != '\0'; p++) {
        if (*p == '\t') {
            *p = '\0';
            if (n == max)
                return max + 1; /* too many */
            fields[n++] = p + 1;
        }
    }
    return n;
}

static bool parse_entry(char **f, catalog_entry *e, unsigned line, catalog_error *err)
{
    memset(e, 0, sizeof *e);
    WSAPROTOCOL_INFOW *info = &e->info;
    DWORD id;
    if (!parse_guid(f[COL_GUID], &info->ProviderId))
        return fail(err, line, "bad GUID", f[COL_GUID]);
    if (!parse_u32(f[COL_ID], &id) || id == 0)
        return fail(err, line, "bad catalog id", f[COL_ID]);
    info->dwCatalogEntryId = id;
    if (!parse_chain(f[COL_CHAIN], &info->ProtocolChain))
        return fail(err, line, "bad protocol chain (want LEN:ID,ID,... with LEN <= 7)", f[COL_CHAIN]);
    int *ints[] = {&info->iAddressFamily, &info->iSocketType, &info->iProtocol, &info->iProtocolMaxOffset};
    for (int c = COL_FAMILY; c <= COL_MAX_OFFSET; c++) {
        if (!parse_int(f[c], ints[c - COL_FAMILY]))
            return fail(err, line, column_names[c], f[c]);
    }
    DWORD *flags[] = {&info->dwServiceFlags1, &info->dwServiceFlags2, &info->dwServiceFlags3,
                      &info->dwServiceFlags4, &info->dwProviderFlags};
    for (int c = COL_FLAGS1; c <= COL_PROVIDER_FLAGS; c++) {
        if (!parse_u32(f[c], flags[c - COL_FLAGS1]))
            return fail(err, line, column_names[c], f[c]);
    }
    int *more[] = {&info->iVersion, &info->iMaxSockAddr, &info->iMinSockAddr, &info->iNetworkByteOrder,
                   &info->iSecurityScheme};
    for (int c = COL_VERSION; c <= COL_SECURITY; c++) {
        if (!parse_int(f[c], more[c - COL_VERSION]))
            return fail(err, line, column_names[c], f[c]);
    }
    if (!parse_u32(f[COL_MESSAGE_SIZE], &info->dwMessageSize))
        return fail(err, line, "message-size", f[COL_MESSAGE_SIZE]);
    if (!parse_u32(f[COL_CATEGORIES], &e->categories))
        return fail(err, line, "categories", f[COL_CATEGORIES]);
    if (f[COL_PATH][0] == '\0' || !utf8_to_wide(f[COL_PATH], e->path, MAX_PATH))
        return fail(err, line, "bad or too long provider path", f[COL_PATH]);
    if (!utf8_to_wide(f[COL_NAME], info->szProtocol, WSAPROTOCOL_LEN + 1))
        return fail(err, line, "bad or too long protocol name", f[COL_NAME]);
    return true;
}

bool catalog_parse(catalog *cat, const char *text, size_t length, catalog_error *err)
{
    catalog_init(cat);
    memset(err, 0, sizeof *err);
    char *copy = malloc(length + 1);
    if (copy == NULL)
        return fail(err, 0, "out of memory", NULL);
    memcpy(copy, text, length);
    copy[length] = '\0';
    if (strlen(copy) != length) {
        free(copy);
        return fail(err, 0, "the file holds a NUL byte", NULL);
    }
    bool ok = true, seen_magic = false, seen_next = false;
    DWORD next_id = 0;
    unsigned line = 0;
    char *cursor = copy;
    while (ok && *cursor != '\0') {
        line++;
        char *end = strchr(cursor, '\n');
        char *next = end ? end + 1 : cursor + strlen(cursor);
        if (end != NULL)
            *end = '\0';
        size_t n = strlen(cursor);
        if (n > 0 && cursor[n - 1] == '\r')
            cursor[n - 1] = '\0';
        if (!seen_magic) {
            seen_magic = strcmp(cursor, CATALOG_MAGIC) == 0;
            if (!seen_magic)
                ok = fail(err, line, "not a wsphost catalog: the first line must be", CATALOG_MAGIC);
        } else if (cursor[0] == '\0' || cursor[0] == '#') {
            /* blank or comment */
        } else if (strncmp(cursor, "next-id\t", 8) == 0) {
            if (!parse_u32(cursor + 8, &next_id) || next_id == 0)
                ok = fail(err, line, "bad next-id", cursor + 8);
            seen_next = true;
        } else if (strncmp(cursor, "entry\t", 6) == 0) {
            char *f[COL_COUNT];
            int fields = split_fields(cursor, f, COL_COUNT);
            catalog_entry e;
            if (fields > COL_COUNT) {
                ok = fail(err, line, "too many tab-separated fields (want 22)", NULL);
            } else if (fields < COL_COUNT) {
                char detail[16];
                snprintf(detail, sizeof detail, "%d", fields);
                ok = fail(err, line, "too few tab-separated fields (want 22), found", detail);
            } else if (!parse_entry(f, &e, line, err)) {
                ok = false;
            } else if (catalog_find_id(cat, e.info.dwCatalogEntryId) != NULL) {
                ok = fail(err, line, "duplicate catalog id", f[COL_ID]);
            } else if (cat->count >= CATALOG_MAX_ENTRIES || !catalog_reserve(cat, cat->count + 1)) {
                ok = fail(err, line, "too many entries", NULL);
            } else {
                cat->entries[cat->count++] = e;
            }
        } else {
            ok = fail(err, line, "unknown line", cursor);
        }
        cursor = next;
    }
    free(copy);
    if (ok && !seen_magic)
        ok = fail(err, 1, "empty file: the first line must be", CATALOG_MAGIC);
    if (ok && !seen_next)
        ok = fail(err, 0, "no next-id line", NULL);
    for (size_t i = 0; ok && i < cat->count; i++) {
        if (cat->entries[i].info.dwCatalogEntryId >= next_id)
            ok = fail(err, 0, "next-id must be larger than every catalog id", NULL);
    }
    if (!ok) {
        catalog_free(cat);
        return false;
    }
    cat->next_id = next_id;
    return true;
}

typedef struct text_buffer {
    char *data;
    size_t length;
    size_t capacity;
    bool failed;
} text_buffer;

static void text_append(text_buffer *b, const char *s)
{
    size_t n = strlen(s);
    if (b->failed)
        return;
    if (b->length + n + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity * 2 : 4096;
        while (capacity < b->length + n + 1)
            capacity *= 2;
        char *data = realloc(b->data, capacity);
        if (data == NULL) {
            b->failed = true;
            return;
        }
        b->data = data;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, s, n + 1);
    b->length += n;
}

static void text_append_wide(text_buffer *b, const WCHAR *s)
{
    char utf8[MAX_PATH * 4];
    if (s[0] == L'\0')
        return;
    if (WideCharToMultiByte(CP_UTF8, 0, s, -1, utf8, sizeof utf8, NULL, NULL) <= 0) {
        b->failed = true;
        return;
    }
    /* A tab or newline inside a field would break the line apart. */
    for (char *p = utf8; *p; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r')
            *p = ' ';
    }
    text_append(b, utf8);
}

char *catalog_format(const catalog *cat, size_t *length)
{
    text_buffer b = {0};
    char line[512];
    text_append(&b, CATALOG_MAGIC "\n");
    text_append(&b, "# One line per protocol entry, in catalog order; fields are tab-separated:\n#");
    for (int c = 0; c < COL_COUNT; c++) {
        text_append(&b, c ? "\t" : " ");
        text_append(&b, column_names[c]);
    }
    snprintf(line, sizeof line, "\nnext-id\t%lu\n", (unsigned long)cat->next_id);
    text_append(&b, line);
    for (size_t i = 0; i < cat->count; i++) {
        const catalog_entry *e = &cat->entries[i];
        const WSAPROTOCOL_INFOW *info = &e->info;
        char guid[39], chain[128];
        format_guid(&info->ProviderId, guid);
        int at = snprintf(chain, sizeof chain, "%d:", info->ProtocolChain.ChainLen);
        for (int k = 0; info->ProtocolChain.ChainLen >= 2 && k < info->ProtocolChain.ChainLen; k++)
            at += snprintf(chain + at, sizeof chain - (size_t)at, k ? ",%lu" : "%lu",
                           (unsigned long)info->ProtocolChain.ChainEntries[k]);
        snprintf(line, sizeof line,
                 "entry\t%s\t%lu\t%s\t%d\t%d\t%d\t%d\t0x%lx\t0x%lx\t0x%lx\t0x%lx\t0x%lx\t%d\t%d\t%d\t%d\t%d\t%lu\t0x%lx\t",
                 guid, (unsigned long)info->dwCatalogEntryId, chain, info->iAddressFamily, info->iSocketType,
                 info->iProtocol, info->iProtocolMaxOffset, (unsigned long)info->dwServiceFlags1,
                 (unsigned long)info->dwServiceFlags2, (unsigned long)info->dwServiceFlags3,
                 (unsigned long)info->dwServiceFlags4, (unsigned long)info->dwProviderFlags, info->iVersion,
                 info->iMaxSockAddr, info->iMinSockAddr, info->iNetworkByteOrder, info->iSecurityScheme,
                 (unsigned long)info->dwMessageSize, (unsigned long)e->categories);
        text_append(&b, line);
        text_append_wide(&b, e->path);
        text_append(&b, "\t");
        text_append_wide(&b, info->szProtocol);
        text_append(&b, "\n");
    }
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    if (length != NULL)
        *length = b.length;
    return b.data;
}

static void base_entry(WSAPROTOCOL_INFOW *info, int family, int type, int protocol, const WCHAR *name)
{
    /* {88b7cfd4-81ce-42de-a712-3058f1798896}: the base entries' provider. */
    static const GUID base_guid = {0x88b7cfd4, 0x81ce, 0x42de, {0xa7, 0x12, 0x30, 0x58, 0xf1, 0x79, 0x88, 0x96}};
    memset(info, 0, sizeof *info);
    info->ProviderId = base_guid;
    info->ProtocolChain.ChainLen = BASE_PROTOCOL;
    info->iVersion = 2;
    info->iAddressFamily = family;
    info->iMaxSockAddr = family == AF_INET ? (int)sizeof(struct sockaddr_in) : (int)sizeof(struct sockaddr_in6);
    info->iMinSockAddr = info->iMaxSockAddr;
    info->iSocketType = type;
    info->iProtocol = protocol;
    info->iNetworkByteOrder = BIGENDIAN;
    info->dwProviderFlags = PFL_MATCHES_PROTOCOL_ZERO;
    if (type == SOCK_STREAM) {
        info->dwServiceFlags1 = XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE |
                                XP1_EXPEDITED_DATA | XP1_IFS_HANDLES;
    } else if (type == SOCK_RAW) {
        /* Any IP protocol, as MSAFD's raw entries: a protocol number the
         * other entries do not serve comes here. */
        info->iProtocolMaxOffset = 255;
        info->dwServiceFlags1 = XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST |
                                XP1_SUPPORT_MULTIPOINT | XP1_IFS_HANDLES;
        info->dwMessageSize = 65467;
    } else {
        info->dwServiceFlags1 = XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST |
                                XP1_SUPPORT_MULTIPOINT | XP1_IFS_HANDLES;
        info->dwMessageSize = 65527;
    }
    wcsncpy(info->szProtocol, name, WSAPROTOCOL_LEN);
}

bool catalog_add_base_entries(catalog *cat, const WCHAR *base_path)
{
    WSAPROTOCOL_INFOW info;
    DWORD id;
    base_entry(&info, AF_INET, SOCK_STREAM, IPPROTO_TCP, L"wspbase Tcpip [TCP/IP]");
    if (catalog_append(cat, &info, base_path, &id) != 0)
        return false;
    base_entry(&info, AF_INET, SOCK_DGRAM, IPPROTO_UDP, L"wspbase Tcpip [UDP/IP]");
    if (catalog_append(cat, &info, base_path, &id) != 0)
        return false;
    base_entry(&info, AF_INET6, SOCK_STREAM, IPPROTO_TCP, L"wspbase Tcpip [TCP/IPv6]");
    if (catalog_append(cat, &info, base_path, &id) != 0)
        return false;
    base_entry(&info, AF_INET6, SOCK_DGRAM, IPPROTO_UDP, L"wspbase Tcpip [UDP/IPv6]");
    if (catalog_append(cat, &info, base_path, &id) != 0)
        return false;
    /* Raw sockets last, so a protocol-only request finds TCP and UDP first.
     * Whether one can be made is the platform's matter (privileges). */
    base_entry(&info, AF_INET, SOCK_RAW, 0, L"wspbase Tcpip [RAW/IP]");
    if (catalog_append(cat, &info, base_path, &id) != 0)
        return false;
    base_entry(&info, AF_INET6, SOCK_RAW, 0, L"wspbase Tcpip [RAW/IPv6]");
    return catalog_append(cat, &info, base_path, &id) == 0;
}

int catalog_index_of(const catalog *cat, DWORD id)
{
    for (size_t i = 0; i < cat->count; i++) {
        if (cat->entries[i].info.dwCatalogEntryId == id)
            return (int)i;
    }
    return -1;
}

catalog_entry *catalog_find_id(const catalog *cat, DWORD id)
{
    int i = catalog_index_of(cat, id);
    return i < 0 ? NULL : &cat->entries[i];
}

bool catalog_has_provider(const catalog *cat, const GUID *provider)
{
    for (size_t i = 0; i < cat->count; i++) {
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, provider))
            return true;
    }
    return false;
}

int catalog_append(catalog *cat, const WSAPROTOCOL_INFOW *info, const WCHAR *path, DWORD *id)
{
    if (path == NULL || path[0] == L'\0' || wcslen(path) >= MAX_PATH)
        return WSAEINVAL;
    if (info->ProtocolChain.ChainLen < 0 || info->ProtocolChain.ChainLen > MAX_PROTOCOL_CHAIN)
        return WSAEINVAL;
    if (cat->count >= CATALOG_MAX_ENTRIES || !catalog_reserve(cat, cat->count + 1))
        return WSAENOBUFS;
    catalog_entry *e = &cat->entries[cat->count];
    memset(e, 0, sizeof *e);
    e->info = *info;
    e->info.dwCatalogEntryId = cat->next_id++;
    e->info.dwProviderReserved = 0;
    e->info.szProtocol[WSAPROTOCOL_LEN] = L'\0';
    wcscpy(e->path, path);
    cat->count++;
    *id = e->info.dwCatalogEntryId;
    return 0;
}

void catalog_remove_at(catalog *cat, size_t index)
{
    memmove(&cat->entries[index], &cat->entries[index + 1], (cat->count - index - 1) * sizeof *cat->entries);
    cat->count--;
}

void catalog_move_to_front(catalog *cat, size_t index, size_t position)
{
    catalog_entry e = cat->entries[index];
    memmove(&cat->entries[position + 1], &cat->entries[position], (index - position) * sizeof e);
    cat->entries[position] = e;
}

bool catalog_entry_visible(const catalog_entry *entry)
{
    return entry->info.ProtocolChain.ChainLen != LAYERED_PROTOCOL &&
           (entry->info.dwProviderFlags & PFL_HIDDEN) == 0;
}

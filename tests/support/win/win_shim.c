/* Stand-ins for the Windows functions the natively built catalog.c and
 * catalog_io.c call: the UTF-8 conversions as Windows documents them, and a
 * Winsock catalog the test supplies. */
#include "win_shim.h"

#include <stdbool.h>

static const WSAPROTOCOL_INFOW *shim_infos;
static size_t shim_count;
static int shim_grow;
static int shim_enum_calls;

void win_shim_set_catalog(const WSAPROTOCOL_INFOW *infos, size_t count, int grow)
{
    shim_infos = infos;
    shim_count = count;
    shim_grow = grow;
    shim_enum_calls = 0;
}

int WSCEnumProtocols(LPINT protocols, LPWSAPROTOCOL_INFOW buffer, LPDWORD length, LPINT error)
{
    (void)protocols;
    /* Grown after the first call: the second call then finds its buffer,
     * sized from the first answer, too short. */
    size_t count = shim_count + (shim_grow && shim_count > 0 && shim_enum_calls > 0 ? 1 : 0);
    shim_enum_calls++;
    DWORD needed = (DWORD)(count * sizeof *buffer);
    if (buffer == NULL || *length < needed) {
        *length = needed;
        *error = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    for (size_t i = 0; i < count; i++)
        buffer[i] = shim_infos[i < shim_count ? i : 0];
    return (int)count;
}

HMODULE GetModuleHandleW(LPCWSTR name)
{
    (void)name;
    return NULL;
}

FARPROC GetProcAddress(HMODULE module, LPCSTR name)
{
    (void)module;
    (void)name;
    return NULL;
}

/* One code point from UTF-8 at in[0..n); its length in *used, or 0 for an
 * invalid sequence (overlong, a surrogate, beyond U+10FFFF, cut short). */
static uint32_t utf8_next(const uint8_t *in, size_t n, size_t *used)
{
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    uint8_t b = in[0];
    size_t len = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
    *used = 0;
    if (len == 0 || len > n)
        return 0;
    uint32_t cp = len == 1 ? b : (uint32_t)(b & (0x7f >> len));
    for (size_t i = 1; i < len; i++) {
        if ((in[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (in[i] & 0x3fu);
    }
    if ((len > 1 && cp < least[len]) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    *used = len;
    return cp;
}

/* Appends units to out while they fit; counts them all in *n. */
static void put_units(WCHAR *out, int capacity, int *n, const uint16_t *units, int count)
{
    for (int i = 0; i < count; i++, (*n)++) {
        if (*n < capacity)
            out[*n] = units[i];
    }
}

int MultiByteToWideChar(unsigned code_page, DWORD flags, const char *in, int in_length, WCHAR *out, int capacity)
{
    if (code_page != CP_UTF8 || in == NULL || in_length == 0 || in_length < -1 || capacity < 0)
        return 0;
    size_t n = in_length == -1 ? strlen(in) + 1 : (size_t)in_length;
    const uint8_t *p = (const uint8_t *)in;
    int written = 0;
    for (size_t i = 0; i < n;) {
        size_t used;
        uint32_t cp = utf8_next(p + i, n - i, &used);
        if (used == 0) {
            if (flags & MB_ERR_INVALID_CHARS)
                return 0;
            cp = 0xfffd;
            used = 1;
        }
        uint16_t units[2] = {(uint16_t)cp, 0};
        int count = 1;
        if (cp >= 0x10000) {
            units[0] = (uint16_t)(0xd800 + ((cp - 0x10000) >> 10));
            units[1] = (uint16_t)(0xdc00 + ((cp - 0x10000) & 0x3ff));
            count = 2;
        }
        put_units(out, capacity, &written, units, count);
        i += used;
    }
    return capacity == 0 || written <= capacity ? written : 0;
}

/* Appends bytes to out while they fit; counts them all in *n. */
static void put_bytes(char *out, int capacity, int *n, const uint8_t *bytes, int count)
{
    for (int i = 0; i < count; i++, (*n)++) {
        if (*n < capacity)
            out[*n] = (char)bytes[i];
    }
}

int WideCharToMultiByte(unsigned code_page, DWORD flags, const WCHAR *in, int in_length, char *out, int capacity,
                        const char *default_char, BOOL *used_default)
{
    (void)flags;
    (void)default_char;
    (void)used_default;
    if (code_page != CP_UTF8 || in == NULL || in_length == 0 || in_length < -1 || capacity < 0)
        return 0;
    size_t n = 0;
    if (in_length == -1) {
        while ((uint16_t)in[n] != 0)
            n++;
        n++;
    } else {
        n = (size_t)in_length;
    }
    int written = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = (uint16_t)in[i];
        bool high = cp >= 0xd800 && cp <= 0xdbff;
        if (high && i + 1 < n && (uint16_t)in[i + 1] >= 0xdc00 && (uint16_t)in[i + 1] <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + ((uint16_t)in[i + 1] - 0xdc00u);
            i++;
        } else if (cp >= 0xd800 && cp <= 0xdfff) {
            cp = 0xfffd; /* an unpaired surrogate, as Windows converts it */
        }
        uint8_t b[4];
        int count;
        if (cp < 0x80) {
            b[0] = (uint8_t)cp;
            count = 1;
        } else if (cp < 0x800) {
            b[0] = (uint8_t)(0xc0 | (cp >> 6));
            b[1] = (uint8_t)(0x80 | (cp & 0x3f));
            count = 2;
        } else if (cp < 0x10000) {
            b[0] = (uint8_t)(0xe0 | (cp >> 12));
            b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
            b[2] = (uint8_t)(0x80 | (cp & 0x3f));
            count = 3;
        } else {
            b[0] = (uint8_t)(0xf0 | (cp >> 18));
            b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
            b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
            b[3] = (uint8_t)(0x80 | (cp & 0x3f));
            count = 4;
        }
        put_bytes(out, capacity, &written, b, count);
    }
    return capacity == 0 || written <= capacity ? written : 0;
}

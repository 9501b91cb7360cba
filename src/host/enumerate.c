#include "enumerate.h"

static bool protocol_wanted(const INT *protocols, int protocol)
{
    if (protocols == NULL)
        return true;
    for (; *protocols != 0; protocols++) {
        if (*protocols == protocol)
            return true;
    }
    return false;
}

int enumerate_entries(const catalog *cat, bool visible_only, const INT *protocols, WSAPROTOCOL_INFOW *buffer,
                      LPDWORD length, int *err)
{
    if (length == NULL) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    DWORD count = 0;
    for (size_t i = 0; i < cat->count; i++) {
        const catalog_entry *e = &cat->entries[i];
        count += (!visible_only || catalog_entry_visible(e)) && protocol_wanted(protocols, e->info.iProtocol);
    }
    DWORD needed = count * (DWORD)sizeof(WSAPROTOCOL_INFOW);
    if (buffer == NULL || *length < needed) {
        *length = needed;
        *err = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    DWORD n = 0;
    for (size_t i = 0; i < cat->count; i++) {
        const catalog_entry *e = &cat->entries[i];
        if ((!visible_only || catalog_entry_visible(e)) && protocol_wanted(protocols, e->info.iProtocol))
            buffer[n++] = e->info;
    }
    *length = needed;
    return (int)n;
}

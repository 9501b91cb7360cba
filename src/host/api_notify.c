/* select and event notification. */
#include "api.h"

#include <stdlib.h>


int WSAAPI WSAAsyncSelect(SOCKET s, HWND hWnd, u_int wMsg, __LONG32 lEvent)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPAsyncSelect(s, hWnd, wMsg, lEvent, &err), &err);
}

int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, __LONG32 lNetworkEvents)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    int err = 0;
    return host_finish(p->procs.lpWSPEventSelect(s, hEventObject, lNetworkEvents, &err), &err);
}

int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents)
{
    HOST_ROUTE(s, p, SOCKET_ERROR);
    if (lpNetworkEvents == NULL) {
        /* Windows documents WSAEFAULT; a provider given NULL would write
         * through it (wspbase's platform, Wine's ws2_32, crashes). */
        WSASetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    int err = 0;
    return host_finish(p->procs.lpWSPEnumNetworkEvents(s, hEventObject, lpNetworkEvents, &err), &err);
}

/* The sockets of a select, held for the call (api.h). */
typedef struct select_hold {
    host_entry **entries;
    size_t count;
} select_hold;

static void select_release(select_hold *hold)
{
    for (size_t i = 0; i < hold->count; i++)
        host_entry_release(hold->entries[i]);
    free(hold->entries);
}

/* The one provider every socket of the sets belongs to, as ws2_32 requires
 * (one provider, possibly through several of its catalog entries: TCP over
 * IPv4 and IPv6, say); *err = WSAEINVAL if the sets are empty or the sockets
 * belong to several providers. Every socket's entry is held in hold. */
static host_provider *select_provider(fd_set *sets[3], select_hold *hold, int *err)
{
    size_t total = 0;
    for (int k = 0; k < 3; k++)
        total += sets[k] != NULL ? sets[k]->fd_count : 0;
    hold->entries = total != 0 ? malloc(total * sizeof *hold->entries) : NULL;
    if (total != 0 && hold->entries == NULL) {
        *err = WSAENOBUFS;
        return NULL;
    }
    host_provider *chosen = NULL;
    for (int k = 0; k < 3; k++) {
        if (sets[k] == NULL)
            continue;
        /* By fd_count: a program may define a larger FD_SETSIZE than ours. */
        for (u_int i = 0; i < sets[k]->fd_count; i++) {
            host_call c = host_call_begin(sets[k]->fd_array[i]);
            if (c.provider == NULL) {
                *err = c.error;
                return NULL;
            }
            hold->entries[hold->count++] = c.entry;
            if (chosen != NULL && !IsEqualGUID(&chosen->info.ProviderId, &c.provider->info.ProviderId)) {
                *err = WSAEINVAL;
                return NULL;
            }
            chosen = c.provider;
        }
    }
    if (chosen == NULL)
        *err = WSAEINVAL;
    return chosen;
}

int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const PTIMEVAL timeout)
{
    if (!host_is_started()) {
        WSASetLastError(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    fd_set *sets[3] = {readfds, writefds, exceptfds};
    int err = 0;
    select_hold hold = {.entries = NULL, .count = 0};
    host_provider *p = select_provider(sets, &hold, &err);
    int r = SOCKET_ERROR;
    if (p != NULL)
        r = p->procs.lpWSPSelect(nfds, readfds, writefds, exceptfds, timeout, &err);
    select_release(&hold);
    return host_finish(r, &err);
}

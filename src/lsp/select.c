/* WSPSelect: the three sets translated to lower sockets and back, with a map
 * built for the call from the sets alone. */
#include "lsp.h"

#include <string.h>

/* One socket of one set in a select call: upper handle, lower handle, and
 * the descriptor's reference for the length of the call. */
typedef struct select_link {
    SOCKET upper;
    SOCKET lower;
    int set;
    descriptor *d;
} select_link;

enum { SELECT_MAX = 3 * FD_SETSIZE };

static bool fdset_has(const fd_set *set, SOCKET s)
{
    for (u_int i = 0; i < set->fd_count && i < FD_SETSIZE; i++) {
        if (set->fd_array[i] == s)
            return true;
    }
    return false;
}

static void release_links(select_link *links, int n)
{
    for (int i = 0; i < n; i++)
        descriptor_release(links[i].d);
}

static int WSPAPI lsp_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                             struct timeval *const timeout, LPINT lpErrno)
{
    fd_set *sets[3] = {readfds, writefds, exceptfds};
    fd_set lower[3];
    static _Thread_local select_link links[SELECT_MAX]; /* 24 KiB: not on the stack */
    int n = 0;
    WSPPROC_TABLE *procs = NULL;
    /* The map is built for this call from the sets alone: no scan of all sockets. */
    for (int k = 0; k < 3; k++) {
        FD_ZERO(&lower[k]);
        for (u_int i = 0; sets[k] != NULL && i < sets[k]->fd_count && i < FD_SETSIZE; i++) {
            descriptor *d = lsp_descriptor(sets[k]->fd_array[i], lpErrno);
            if (d == NULL) {
                release_links(links, n);
                return SOCKET_ERROR;
            }
            WSPPROC_TABLE *p = lsp_lower_procs(d->object);
            if (procs != NULL && p->lpWSPSelect != procs->lpWSPSelect) {
                /* Sockets of different lower providers cannot wait together. */
                descriptor_release(d);
                release_links(links, n);
                *lpErrno = WSAEINVAL;
                return SOCKET_ERROR;
            }
            procs = p;
            links[n] = (select_link){sets[k]->fd_array[i], lsp_lower_socket(d->object), k, d};
            FD_SET(links[n].lower, &lower[k]);
            n++;
        }
    }
    if (n == 0) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    int r = procs->lpWSPSelect(nfds, readfds ? &lower[0] : NULL, writefds ? &lower[1] : NULL,
                               exceptfds ? &lower[2] : NULL, timeout, lpErrno);
    if (r != SOCKET_ERROR) {
        r = 0;
        for (int k = 0; k < 3; k++) {
            if (sets[k] != NULL)
                FD_ZERO(sets[k]);
        }
        for (int i = 0; i < n; i++) {
            if (fdset_has(&lower[links[i].set], links[i].lower) && !fdset_has(sets[links[i].set], links[i].upper)) {
                FD_SET(links[i].upper, sets[links[i].set]);
                r++;
            }
        }
    }
    release_links(links, n);
    return r;
}

void lsp_fill_select_procs(WSPPROC_TABLE *procs) { procs->lpWSPSelect = lsp_select; }

/* WSPSelect: the three sets translated to lower sockets and back, with a map
 * built for the call from the sets alone. The map and the lower sets are the
 * call's own (an APC run during an alertable lower select may itself call
 * select on the same thread): on its stack for a few sockets, else on the
 * heap, sized by the sets' fd_count (a program may define FD_SETSIZE larger
 * than the one ShareLSP was built with). */
#include "lsp.h"

#include <stddef.h>
#include <stdlib.h>

/* One socket of one set in a select call: upper handle, lower handle, and
 * the descriptor's reference for the length of the call. */
typedef struct select_link {
    SOCKET upper;
    SOCKET lower;
    int set;
    descriptor *d;
    bool ready; /* named by the lower results (select_map_walk) */
} select_link;

enum { SELECT_SMALL = 64 };

/* The call's map: every socket of the three sets in order, and a lower set
 * for each upper set the caller passed (NULL for the others). A call on a
 * few sockets keeps them in the map itself, on the stack (what the heap
 * would cost is most of what such a call adds); more go to the heap. */
typedef struct select_map {
    select_link *links;
    size_t n;
    fd_set *lower[3];
    select_link small_links[SELECT_SMALL];
    fd_set small_sets[3]; /* FD_SETSIZE sockets each */
} select_map;

/* Room for count sockets in a set, whatever our FD_SETSIZE. */
static fd_set *select_set_alloc(u_int count)
{
    fd_set *set = malloc(offsetof(fd_set, fd_array) + (size_t)count * sizeof(SOCKET));
    if (set != NULL)
        set->fd_count = 0;
    return set;
}

/* FD_SET stops at our FD_SETSIZE; a set here always has room for what its
 * caller's set held. */
static void select_set_append(fd_set *set, SOCKET s) { set->fd_array[set->fd_count++] = s; }

static bool select_set_has(const fd_set *set, SOCKET s)
{
    for (u_int i = 0; i < set->fd_count; i++) {
        if (set->fd_array[i] == s)
            return true;
    }
    return false;
}

static void select_map_free(select_map *map)
{
    for (size_t i = 0; i < map->n; i++)
        descriptor_release(map->links[i].d);
    if (map->links != map->small_links)
        free(map->links);
    for (int k = 0; k < 3; k++) {
        if (map->lower[k] != &map->small_sets[k])
            free(map->lower[k]);
    }
}

/* Looks up every socket of the sets (a reference each) and fills the lower
 * sets. Returns the lower provider's table, or NULL with *lpErrno set and
 * the map freed. */
static WSPPROC_TABLE *select_map_build(select_map *map, fd_set *const sets[3], LPINT lpErrno)
{
    size_t total = 0;
    for (int k = 0; k < 3; k++)
        total += sets[k] != NULL ? sets[k]->fd_count : 0;
    map->links = NULL;
    map->n = 0;
    map->lower[0] = map->lower[1] = map->lower[2] = NULL;
    if (total == 0) {
        *lpErrno = WSAEINVAL;
        return NULL;
    }
    map->links = total <= SELECT_SMALL ? map->small_links : malloc(total * sizeof *map->links);
    bool allocated = map->links != NULL;
    for (int k = 0; k < 3 && allocated; k++) {
        if (sets[k] == NULL)
            continue;
        if (sets[k]->fd_count <= FD_SETSIZE) {
            map->lower[k] = &map->small_sets[k];
            map->lower[k]->fd_count = 0;
        } else {
            allocated = (map->lower[k] = select_set_alloc(sets[k]->fd_count)) != NULL;
        }
    }
    if (!allocated) {
        select_map_free(map);
        *lpErrno = WSAENOBUFS;
        return NULL;
    }
    WSPPROC_TABLE *procs = NULL;
    for (int k = 0; k < 3; k++) {
        for (u_int i = 0; sets[k] != NULL && i < sets[k]->fd_count; i++) {
            descriptor *d = lsp_descriptor_ungated(sets[k]->fd_array[i], lpErrno);
            if (d == NULL) {
                select_map_free(map);
                return NULL;
            }
            WSPPROC_TABLE *p = lsp_lower_procs(d->object);
            if (procs != NULL && p->lpWSPSelect != procs->lpWSPSelect) {
                /* Sockets of different lower providers cannot wait together. */
                descriptor_release(d);
                select_map_free(map);
                *lpErrno = WSAEINVAL;
                return NULL;
            }
            procs = p;
            map->links[map->n] = (select_link){sets[k]->fd_array[i], lsp_lower_socket(d->object), k, d, false};
            select_set_append(map->lower[k], map->links[map->n].lower);
            map->n++;
        }
    }
    return procs;
}

/* Marks the links the lower results name. A select leaves in each set a
 * subsequence of what it was given, in order, so one walk of each finds them
 * all; false if a set came back otherwise (then nothing is to be trusted
 * from the walk). */
static bool select_map_walk(select_map *map)
{
    u_int next[3] = {0, 0, 0};
    for (size_t i = 0; i < map->n; i++) {
        select_link *link = &map->links[i];
        const fd_set *lower = map->lower[link->set];
        link->ready = next[link->set] < lower->fd_count && lower->fd_array[next[link->set]] == link->lower;
        if (link->ready)
            next[link->set]++;
    }
    for (int k = 0; k < 3; k++) {
        if (map->lower[k] != NULL && next[k] != map->lower[k]->fd_count)
            return false;
    }
    return true;
}

/* The caller's sets from the lower results, in the caller's order; returns
 * how many were set. The walk maps each lower entry to one of the caller's,
 * so the sets say what the lower provider's said, entry for entry. A result
 * in another order, or sets that alias, are searched instead, each socket
 * once. The sets may alias, so all are emptied first. */
static int select_map_results(select_map *map, fd_set *const sets[3])
{
    /* Sets that alias (one fd_set passed as read and write) hold each
     * socket once, as ws2_32 leaves them: only the search finds a socket
     * the other set put there already. */
    bool alias = (sets[0] != NULL && (sets[0] == sets[1] || sets[0] == sets[2])) ||
                 (sets[1] != NULL && sets[1] == sets[2]);
    bool walked = !alias && select_map_walk(map);
    for (int k = 0; k < 3; k++) {
        if (sets[k] != NULL)
            sets[k]->fd_count = 0;
    }
    int r = 0;
    for (size_t i = 0; i < map->n; i++) {
        const select_link *link = &map->links[i];
        fd_set *set = sets[link->set];
        bool ready = walked ? link->ready
                            : select_set_has(map->lower[link->set], link->lower) && !select_set_has(set, link->upper);
        if (ready) {
            select_set_append(set, link->upper);
            r++;
        }
    }
    return r;
}

static int WSPAPI lsp_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                             struct timeval *const timeout, LPINT lpErrno)
{
    fd_set *const sets[3] = {readfds, writefds, exceptfds};
    select_map map;
    WSPPROC_TABLE *procs = select_map_build(&map, sets, lpErrno);
    if (procs == NULL)
        return SOCKET_ERROR;
    int r = procs->lpWSPSelect(nfds, map.lower[0], map.lower[1], map.lower[2], timeout, lpErrno);
    /* Copied back even when the call failed: ws2_32 leaves in the sets what
     * it found before the failure (a socket closed during the wait fails the
     * call and is left out), and sets it never touched read as they were. */
    int ready = select_map_results(&map, sets);
    if (r != SOCKET_ERROR)
        r = ready;
    select_map_free(&map);
    return r;
}

void lsp_fill_select_procs(WSPPROC_TABLE *procs) { procs->lpWSPSelect = lsp_select; }

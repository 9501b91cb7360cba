/* WSPSelect: the three sets translated to lower sockets and back, with a map
 * built for the call from the sets alone. The map and the lower sets are the
 * call's own (an APC run during an alertable lower select may itself call
 * select on the same thread): on its stack for a few sockets, else in a
 * heap room kept between calls (select_room.h), sized by the sets' fd_count
 * (a program may define FD_SETSIZE larger than the one ShareLSP was built
 * with). */
#include "lsp.h"
#include "select_room.h"

#include <stddef.h>
#include <stdint.h>

/* One socket of the sets: the descriptor's reference for the length of the
 * call (its upper handle is the caller's) and its lower socket. The links
 * of set k follow those of the sets before it, in the caller's order. */
typedef struct select_link {
    descriptor *d;
    SOCKET lower;
} select_link;

enum { SELECT_SMALL = 64 };

/* The call's map, and a lower set for each upper set the caller passed
 * (NULL for the others). Up to SELECT_SMALL sockets in all it lives on the
 * stack (FD_SETSIZE is 64 here, so each set fits a small_sets entry). */
typedef struct select_map {
    select_link *links;
    size_t n;          /* links that hold a reference */
    u_int count[3];    /* the caller's fd_count of each set (0 for none) */
    fd_set *lower[3];
    select_room *room; /* NULL on the stack */
    select_link small_links[SELECT_SMALL];
    fd_set small_sets[3];
} select_map;

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
    if (map->room != NULL)
        select_room_give(map->room);
}

/* Bytes for a lower set with room for count sockets. */
static size_t select_set_bytes(u_int count) { return offsetof(fd_set, fd_array) + count * sizeof(SOCKET); }

/* Places the links and a lower set for each set passed: on the stack, or
 * in one heap room (the links first, then each lower set with room for its
 * caller's set). */
static bool select_map_place(select_map *map, fd_set *const sets[3], size_t total)
{
    if (total <= SELECT_SMALL) {
        map->links = map->small_links;
        for (int k = 0; k < 3; k++)
            map->lower[k] = sets[k] != NULL ? &map->small_sets[k] : NULL;
    } else {
        size_t bytes = total * sizeof(select_link);
        for (int k = 0; k < 3; k++)
            bytes += sets[k] != NULL ? select_set_bytes(map->count[k]) : 0;
        if ((map->room = select_room_take(bytes)) == NULL)
            return false;
        char *at = (char *)map->room->data;
        map->links = (select_link *)(void *)at;
        at += total * sizeof(select_link);
        for (int k = 0; k < 3; k++) {
            map->lower[k] = sets[k] != NULL ? (fd_set *)(void *)at : NULL;
            at += sets[k] != NULL ? select_set_bytes(map->count[k]) : 0;
        }
    }
    for (int k = 0; k < 3; k++) {
        if (map->lower[k] != NULL)
            map->lower[k]->fd_count = 0;
    }
    return true;
}

/* Looks up every socket of the sets (a reference each) and fills the lower
 * sets. Returns the lower provider's table, or NULL with *lpErrno set and
 * the map freed. */
static WSPPROC_TABLE *select_map_build(select_map *map, fd_set *const sets[3], LPINT lpErrno)
{
    /* Counted in 64 bits: three fd_counts may add up past a 32-bit size_t,
     * and a sum that wrapped would put a huge set in the stack's map. */
    uint64_t total = 0;
    for (int k = 0; k < 3; k++) {
        map->count[k] = sets[k] != NULL ? sets[k]->fd_count : 0;
        total += map->count[k];
    }
    map->n = 0;
    map->room = NULL;
    if (total == 0) {
        *lpErrno = WSAEINVAL;
        return NULL;
    }
    /* More than any room could hold (the sizes in select_map_place must not
     * wrap either): as an allocation that failed. */
    if (total > SIZE_MAX / (2 * (sizeof(select_link) + sizeof(SOCKET))) ||
        !select_map_place(map, sets, (size_t)total)) {
        *lpErrno = WSAENOBUFS;
        return NULL;
    }
    WSPPROC_TABLE *procs = NULL;
    const void *entry = NULL; /* the lower entry procs came from */
    for (int k = 0; k < 3; k++) {
        for (u_int i = 0; i < map->count[k]; i++) {
            descriptor *d = lsp_descriptor_ungated(sets[k]->fd_array[i], lpErrno);
            if (d == NULL) {
                select_map_free(map);
                return NULL;
            }
            /* Sockets of one entry share its lower provider: only a socket
             * of another entry is checked again. */
            if (d->object->lower_provider != entry) {
                WSPPROC_TABLE *p = lsp_lower_procs(d->object);
                if (procs != NULL && p->lpWSPSelect != procs->lpWSPSelect) {
                    /* Sockets of different lower providers cannot wait together. */
                    descriptor_release(d);
                    select_map_free(map);
                    *lpErrno = WSAEINVAL;
                    return NULL;
                }
                procs = p;
                entry = d->object->lower_provider;
            }
            SOCKET lower = lsp_lower_socket(d->object);
            map->links[map->n++] = (select_link){d, lower};
            select_set_append(map->lower[k], lower);
        }
    }
    return procs;
}

/* The caller's set k from its lower results in one walk: a select leaves
 * in each set a subsequence of what it was given, in order. false if the
 * set came back otherwise (then what was written is not to be trusted). */
static bool select_map_walk(const select_map *map, const select_link *links, int k, fd_set *set)
{
    const fd_set *lower = map->lower[k];
    u_int next = 0, w = 0;
    for (u_int i = 0; i < map->count[k]; i++) {
        if (next < lower->fd_count && lower->fd_array[next] == links[i].lower) {
            set->fd_array[w++] = (SOCKET)links[i].d->upper;
            next++;
        }
    }
    set->fd_count = w;
    return next == lower->fd_count;
}

/* The caller's set k by searching the lower results for each socket, once
 * each: for a result in another order, or sets that alias (one fd_set
 * passed as read and write holds each socket once, as ws2_32 leaves it). */
static void select_map_search(const select_map *map, const select_link *links, int k, fd_set *set)
{
    for (u_int i = 0; i < map->count[k]; i++) {
        SOCKET upper = (SOCKET)links[i].d->upper;
        if (select_set_has(map->lower[k], links[i].lower) && !select_set_has(set, upper))
            select_set_append(set, upper);
    }
}

/* The caller's sets from the lower results, in the caller's order, entry
 * for entry; returns how many were set. */
static int select_map_results(const select_map *map, fd_set *const sets[3])
{
    bool alias = (sets[0] != NULL && (sets[0] == sets[1] || sets[0] == sets[2])) ||
                 (sets[1] != NULL && sets[1] == sets[2]);
    bool walked = !alias;
    const select_link *links = map->links;
    for (int k = 0; k < 3 && walked; k++) {
        if (sets[k] != NULL)
            walked = select_map_walk(map, links, k, sets[k]);
        links += map->count[k];
    }
    if (!walked) {
        /* The sets may alias, so all are emptied first. */
        for (int k = 0; k < 3; k++) {
            if (sets[k] != NULL)
                sets[k]->fd_count = 0;
        }
        links = map->links;
        for (int k = 0; k < 3; k++) {
            if (sets[k] != NULL)
                select_map_search(map, links, k, sets[k]);
            links += map->count[k];
        }
    }
    int r = 0;
    for (int k = 0; k < 3; k++) {
        /* Aliasing sets were filled as one: counted once. */
        bool counted = (k >= 1 && sets[k] == sets[0]) || (k == 2 && sets[2] == sets[1]);
        if (sets[k] != NULL && !counted)
            r += (int)sets[k]->fd_count;
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

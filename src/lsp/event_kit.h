/* Event-mode requests' event and thread-pool wait, kept for reuse. Under
 * Wine an event's creation and close are two wineserver calls, and a wait
 * object's release wakes the pool's wait thread; a request that completes
 * in its call (the usual case) needs neither again, so a finished request
 * gives its kit back instead of closing it.
 *
 * A kit given back may be signalled: the lower provider set its event and
 * nobody waited. Every kit given back is marked dirty rather than reset (a reset is another
 * wineserver call, paid only by a request that pends: event_kit_arm). So a
 * dirty kit's event says nothing: whether its request finished is read
 * from the request's status, which every provider writes before it sets
 * the event (the kernel's I/O status block; WPUCompleteOverlappedRequest). */
#ifndef SHARELSP_LSP_EVENT_KIT_H
#define SHARELSP_LSP_EVENT_KIT_H

#include "lsp.h"

typedef struct event_kit event_kit;

/* Runs on the thread pool when an armed kit's event is set, with the
 * context the kit was armed with. */
typedef void (*event_kit_callback)(PTP_CALLBACK_INSTANCE instance, void *context);

struct event_kit {
    HANDLE event; /* manual reset */
    PTP_WAIT wait;
    event_kit_callback callback;
    void *context;
    bool dirty;   /* may be signalled */
    event_kit *next; /* in the pool */
};

/* A kit from the pool, or a new one; NULL: out of resources. */
event_kit *event_kit_take(event_kit_callback callback);

/* Resets a dirty kit's event. A request that pends calls it before it
 * arms the kit and then reads its status once more: a completion that set
 * the event before the reset has written the status already. */
void event_kit_clean(event_kit *kit);

/* Sets the wait of a clean kit, with context for the callback. */
void event_kit_arm(event_kit *kit, void *context);

/* Back to the pool (its wait not armed, or its callback running), or
 * closed when the pool is full or closed. */
void event_kit_give(event_kit *kit);

/* The first WSPStartup opens the pool; the last WSPCleanup closes it and
 * every kit in it (kits given back later are closed then). */
void event_kit_pool_open(void);
void event_kit_pool_close(void);

#endif

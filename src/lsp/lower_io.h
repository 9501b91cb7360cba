/* A lower socket's binding to the thread pool's completion port, made at
 * its first overlapped request in this process, so that ShareLSP's lower
 * requests can be started without an event. That matters beyond the event
 * saved: a request that completes to a port with no event is not cancelled
 * when the thread that started it exits (Windows, and Wine after it, cancel
 * a thread's other requests then), and the application's own request,
 * which ShareLSP's stands for, is not cancelled either.
 *
 * A file can be bound to one port only. Where this process cannot bind the
 * lower socket (another process that shares the socket bound it first, or
 * the lower handle is not a file) its requests keep an event, with the
 * event's low bit set so that they never post to the other process's port.
 *
 * On a base provider's socket the binding also sets
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: a request that finishes in its call
 * (the usual send) is completed by the call alone, with no packet and no
 * pool thread woken for it. */
#ifndef SHARELSP_LSP_LOWER_IO_H
#define SHARELSP_LSP_LOWER_IO_H

#include "lsp.h"

typedef struct lower_io lower_io;

/* The binding of object's lower socket, with a reference for the caller;
 * made now if this is the socket's first request here. NULL: the socket
 * cannot be bound (the caller uses an event). Every completion on the
 * lower socket reaches callback, with the request's WSAOVERLAPPED. */
lower_io *lower_io_get(sock_object *object, PTP_WIN32_IO_CALLBACK callback);

/* Whether the socket skips the port on success: a lower request that
 * returns 0 or fails in its call posts no packet, and one that returns
 * WSA_IO_PENDING posts exactly one (Wine's server/async.c, as Windows) —
 * for the calls whose result says so; overlapped.c keeps the others off
 * the port (request_posts_by_result). False: every request that
 * succeeded, pended or wrote its status posts. */
bool lower_io_skips(const lower_io *io);

/* Before each lower request that is to complete to the port ... */
void lower_io_expect(lower_io *io);
/* ... and after it, when no completion will come (the request failed at
 * once, or finished in its call on a socket that skips). */
void lower_io_unexpect(lower_io *io);

void lower_io_release(lower_io *io);

/* The lower socket was closed: the object's own reference goes; the
 * binding ends once the requests still completing are done. */
void lower_io_detach(sock_object *object);

#endif

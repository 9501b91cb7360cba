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
 * event's low bit set so that they never post to the other process's port. */
#ifndef SHARELSP_LSP_LOWER_IO_H
#define SHARELSP_LSP_LOWER_IO_H

#include "lsp.h"

typedef struct lower_io lower_io;

/* The binding of object's lower socket, with a reference for the caller;
 * made now if this is the socket's first request here. NULL: the socket
 * cannot be bound (the caller uses an event). Every completion on the
 * lower socket reaches callback, with the request's WSAOVERLAPPED. */
lower_io *lower_io_get(sock_object *object, PTP_WIN32_IO_CALLBACK callback);

/* Before each lower request that is to complete to the port ... */
void lower_io_expect(lower_io *io);
/* ... and after it, when the request failed at once and no completion
 * will come. */
void lower_io_unexpect(lower_io *io);

void lower_io_release(lower_io *io);

/* The lower socket was closed: the object's own reference goes; the
 * binding ends once the requests still completing are done. */
void lower_io_detach(sock_object *object);

#endif

/* Socket handles for non-IFS providers, made ahead of need and closed after
 * it, on the thread pool (handle_stock.c). */
#ifndef SHARELSP_HOST_HANDLE_STOCK_H
#define SHARELSP_HOST_HANDLE_STOCK_H

#include <winsock2.h>
#include <windows.h>

/* Handles made ahead: a process that makes sockets of a non-IFS provider
 * holds this many more than it uses, and two threads making sockets in a
 * loop do not empty the stock. */
enum { HANDLE_STOCK_FILL = 8 };

/* A new handle of host_completion_handle_open: one made ahead when the stock
 * has one, else one made now. NULL when none can be made. */
HANDLE stock_handle_take(void);

/* Closes a handle of stock_handle_take that nothing uses any more: soon,
 * on the thread pool. */
void stock_handle_close(HANDLE handle);

/* The last WSACleanup: waits for the pool's work and closes every handle
 * the stock holds or has still to close. */
void stock_drain(void);

#endif

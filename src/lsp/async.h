/* ShareLSP's hidden window for WSPAsyncSelect: lower providers post their
 * messages to it; it forwards each to the window, message and descriptor
 * the socket's registration slot names, if the message is the one that
 * registration gave the lower provider. */
#ifndef SHARELSP_LSP_ASYNC_H
#define SHARELSP_LSP_ASYNC_H

#include <winsock2.h>
#include <ws2spi.h>

/* Each registration gives the lower provider a message of its own, the
 * next of a counter of this process: WM_APP plus the count modulo this. A
 * message still queued from a replaced registration, or from a closed
 * socket whose lower handle value a new socket now has, names another
 * registration, so it is dropped, unless this process made
 * ASYNC_MESSAGE_SPAN registrations while it waited in the queue. */
#define ASYNC_MESSAGE_SPAN 0x3fffu

/* The hidden window, made on first use on a thread of its own (never in
 * DllMain); NULL if it cannot be made. */
HWND async_window(void);
/* The message for a new registration's lower provider. */
UINT async_next_message(void);
/* Stops the window's thread and waits for it: no message is left pending. */
void async_stop(void);

#endif

/* ShareLSP's hidden window for WSPAsyncSelect: lower providers post their
 * messages to it; it forwards each to the window, message and descriptor
 * the socket's registration slot names, if that registration is still the
 * current one. */
#ifndef SHARELSP_LSP_ASYNC_H
#define SHARELSP_LSP_ASYNC_H

#include <winsock2.h>
#include <ws2spi.h>

/* Lower messages carry the slot's generation in their number: WM_APP plus
 * the generation modulo this. */
#define ASYNC_MESSAGE_SPAN 0x3fffu

/* The hidden window, made on first use on a thread of its own (never in
 * DllMain); NULL if it cannot be made (a later call tries again). */
HWND async_window(void);
UINT async_message_for(uint64_t generation);
/* Stops the window without waiting: from its return nothing is forwarded
 * (messages still queued for the window are dropped), and the window's
 * thread ends by itself, dropping its hold on our module. */
void async_stop(void);

#endif

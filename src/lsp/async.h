/* ShareLSP's hidden window for WSPAsyncSelect: lower providers post their
 * messages to it; it forwards each to the window, message and descriptor
 * the socket's registration slot names, if the message is the one that
 * registration gave the lower provider. */
#ifndef SHARELSP_LSP_ASYNC_H
#define SHARELSP_LSP_ASYNC_H

#include <winsock2.h>
#include <ws2spi.h>

/* Each async registration gives the lower provider a message number of its
 * own, WM_APP + n for n < ASYNC_MESSAGE_SPAN, and the hidden window forwards
 * only the number the socket's current registration gave. A number is in
 * use from the registration that takes it until the hidden window has
 * handled a retirement posted after the lower provider stopped using it
 * (replaced or cancelled in this process, or the socket closed here): every
 * message of that number queued before is handled by then. So a number never
 * comes back while a message of its last use may wait in the queue, and a
 * message of a replaced registration, or of a closed socket whose lower
 * handle value a new socket has, never matches another registration. (One
 * gap: the lower provider gives an accepted socket its listener's number
 * until lsp_slot_inherit registers it again, and that number's retirement
 * follows the listener.) With every number in use, registering fails with
 * WSAENOBUFS. */
#define ASYNC_MESSAGE_SPAN 0x3fffu

/* The WPUPostMessage ShareLSP gives its lower providers (chain.c). A lower
 * provider that posts through it, as the SPI asks (and Windows' base
 * provider does), to the hidden window has the message forwarded at once,
 * in the posting thread: a thread switch less than the hidden window's
 * queue and thread, which still take what a provider posts with
 * PostMessage itself (Wine's ws2_32, under wspbase). Every other post is
 * the host's. */
BOOL WSPAPI async_lower_post(HWND hWnd, UINT Msg, WPARAM wParam, LPARAM lParam);

/* The hidden window, made on first use on a thread of its own (never in
 * DllMain); NULL if it cannot be made (a later call tries again). */
HWND async_window(void);
/* A free message number, taken for a new registration; 0 if none is free. */
UINT async_message_take(void);
/* The lower provider no longer uses message (0: none): free once the hidden
 * window has handled what was queued before. */
void async_message_retire(UINT message);
/* A number taken and never given to the lower provider: free at once. */
void async_message_return(UINT message);
/* Stops the window without waiting: from its return nothing is forwarded
 * (messages still queued for the window, retirements included, are dropped
 * with it, and every number is free again: no lower registration outlives
 * the cleanup that stops the window), and the window's thread ends by
 * itself, dropping its hold on our module. */
void async_stop(void);

#endif

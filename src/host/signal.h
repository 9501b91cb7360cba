/* The signalled state of a socket handle made for a non-IFS provider
 * (signal.c). */
#ifndef SHARELSP_HOST_SIGNAL_H
#define SHARELSP_HOST_SIGNAL_H

#include <windows.h>

typedef struct host_signal host_signal;

/* A state for a new handle of host_completion_handle_open (a pipe), signalled;
 * NULL when none can be had (the handle then stays signalled, as before). */
host_signal *signal_new(void);
/* A request starts on the handle: it reads unsignalled until one completes. */
void signal_clear(host_signal *signal, HANDLE handle);
/* A request with no event of its own completed: the handle reads signalled. */
void signal_set(host_signal *signal, HANDLE handle);
/* The handle is closed: the state goes back for another. */
void signal_retire(host_signal *signal);

#endif

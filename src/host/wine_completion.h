/* The wineserver request that queues a completion packet to the port a
 * file is associated with (wine_completion.c). Used by wsphost for its
 * upcall handles (completion.c) and by the tests' faulty.dll. */
#ifndef SHARELSP_HOST_WINE_COMPLETION_H
#define SHARELSP_HOST_WINE_COMPLETION_H

#include <winsock2.h>
#include <windows.h>

#include <stdbool.h>
#include <stdint.h>

/* True under the one Wine version whose request number is known, with
 * ntdll's wine_server_call to send it; never true elsewhere. */
bool wine_completion_known(void);

/* Sends add_fd_completion for handle, as for a request that pended (which
 * the server posts even when the file skips the port on success): the
 * server queues {key, overlapped, status, bytes} to the port and key
 * associated with the file, or does nothing when none is. 0, or the
 * server's NTSTATUS (a handle that is no file of the process). Only once
 * wine_completion_known() said true. */
unsigned int wine_completion_post(HANDLE handle, const void *overlapped, uint32_t status, uintptr_t bytes);

#endif

/* The kernel handles wsphost gives non-IFS providers as sockets
 * (WPUCreateSocketHandle) and the completion of overlapped requests on them
 * (WPUCompleteOverlappedRequest), so that a program's own
 * CreateIoCompletionPort and GetQueuedCompletionStatus work on them as on
 * Windows. docs/host.md, "Completion ports", says how and why. */
#ifndef SHARELSP_HOST_COMPLETION_H
#define SHARELSP_HOST_COMPLETION_H

#include <winsock2.h>

#include <stdbool.h>

/* True when the handles are file objects that a program can associate with
 * a completion port and completions reach the port (Wine 8.0, checked once
 * per process); false when they are plain events (any other platform). */
bool host_completion_ports(void);

/* A new socket handle: a file object when host_completion_ports(), an event
 * nobody signals otherwise. NULL when none could be made. */
HANDLE host_completion_handle_open(void);

/* Completes the program's request on a handle from
 * host_completion_handle_open, as ws2_32 does: InternalHigh the byte count,
 * then Internal the NTSTATUS of the error, then hEvent signalled, then, with
 * completion ports and unless hEvent's low bit is set, one packet to the
 * port the program associated with the handle, if any. 0, or a Winsock
 * error. */
int host_completion_complete(HANDLE handle, LPWSAOVERLAPPED overlapped, DWORD error, DWORD bytes);

/* Whether the program associated a completion port with a handle of
 * host_completion_handle_open (false where handles are events). */
bool host_completion_bound(HANDLE handle);

#endif

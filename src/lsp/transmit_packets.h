/* TransmitPackets over the lower provider's sends, TransmitFile and
 * DisconnectEx (transmit_packets.c). */
#ifndef SHARELSP_LSP_TRANSMIT_PACKETS_H
#define SHARELSP_LSP_TRANSMIT_PACKETS_H

#include "lsp.h"

#include <mswsock.h>
#include <stdbool.h>

/* What the elements are sent with. socket_now gives the lower socket before
 * each step, or INVALID_SOCKET once the socket was closed; a socket given
 * stays usable (the call is inside its lower gate, lower_gate.h) until
 * socket_done, after the step. */
typedef struct packets_lower {
    WSPPROC_TABLE *procs;
    LPFN_TRANSMITFILE transmit_file;
    LPFN_DISCONNECTEX disconnect_ex; /* needed with TF_DISCONNECT only */
    SOCKET (*socket_now)(void *context);
    void (*socket_done)(void *context);
    void *context;
} packets_lower;

/* A copy of the application's elements (they need not outlive its call). */
typedef struct packets_job {
    TRANSMIT_PACKETS_ELEMENT *elements;
    DWORD count, flags;
} packets_job;

/* The socket an overlapped or blocking TransmitPackets runs on, for
 * packets_socket_now (context: a packets_target). */
typedef struct packets_target {
    SOCKET upper;
    descriptor *d;
    descriptor *held; /* between packets_socket_now and packets_socket_done */
} packets_target;
SOCKET packets_socket_now(void *context);
void packets_socket_done(void *context);

/* 0, or the Winsock error for elements and flags that cannot be sent. */
int packets_check(const TRANSMIT_PACKETS_ELEMENT *elements, DWORD count, DWORD flags);

bool packets_job_copy(packets_job *job, const TRANSMIT_PACKETS_ELEMENT *elements, DWORD count, DWORD flags);

/* Sends the job, waiting for each lower request on ov (its event set by the
 * caller). Returns 0 or the first error; *sent counts what went. */
int packets_send(const packets_lower *lower, const packets_job *job, WSAOVERLAPPED *ov, DWORD *sent);

#endif

/* The lower gate: the calls that may pass a socket object's lower socket
 * down to the lower provider, counted, so that the close of that socket can
 * wait for them.
 *
 * Why: the lower socket's handle value is free for reuse once its provider
 * has closed it. A call that read the value before the close and reaches
 * the provider after it would pass down whatever the value names by then: a
 * new socket of another thread (a send on the wrong connection) or a pipe
 * (Wine answers WSAEOPNOTSUPP). So the close of the last descriptor in the
 * process first shuts the gate (no new call passes; they answer as for a
 * closed socket), ends the calls inside it (the provider's own
 * cancellation), waits until none is left, and only then closes the lower
 * socket.
 *
 * One word: the calls inside, plus LOWER_GATE_SHUT once shut. Platform
 * neutral; the waiting and the cancelling are the provider's. */
#ifndef SHARELSP_CORE_LOWER_GATE_H
#define SHARELSP_CORE_LOWER_GATE_H

#include <stdbool.h>
#include <stdint.h>

#include "object.h"

/* A call passes: true, and it must leave; false once the gate is shut. */
bool lower_gate_enter(sock_object *object);
void lower_gate_leave(sock_object *object);

/* Shuts the gate (a second shut changes nothing) and returns the calls
 * still inside. */
uint32_t lower_gate_shut(sock_object *object);
/* The calls still inside. */
uint32_t lower_gate_inside(sock_object *object);
bool lower_gate_is_shut(sock_object *object);
/* Opens a shut gate again: the close it was shut for was refused. */
void lower_gate_reopen(sock_object *object);

#endif

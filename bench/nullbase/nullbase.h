/* nullbase.dll: a base provider for the benchmarks only, never installed by
 * the product. Every call returns at once without touching a network, so
 * bench_chain can tell ShareLSP's own cost from a real provider's.
 *
 * Its handles are IFS handles: each socket is a fresh event object of its
 * own (CreateEventW). A kernel handle is unique in the process, so it never
 * equals another socket's or an upcall handle the layer above makes, and
 * the host adopts it as it is (as it adopts wspbase's), with no upcall and
 * no wineserver object beyond the event: the base alone costs what a
 * provider must cost, and what ShareLSP adds stays its own. */
#ifndef SHARELSP_NULLBASE_H
#define SHARELSP_NULLBASE_H

#include <winsock2.h>
#include <ws2spi.h>

#include <stdint.h>

/* What every receive reports, at most the buffers' total length. */
enum { NULLBASE_RECV_BYTES = 64 };

/* The catalog entry this provider was started with (one: the benchmark
 * installs a single entry); a duplicate info is a copy of it. */
const WSAPROTOCOL_INFOW *nullbase_entry(void);

/* The host's upcalls, as WSPStartup was given them. */
const WSPUPCALLTABLE *nullbase_upcalls(void);

/* When the last async-select message was posted (bench_clock.h's clock),
 * exported for bench_chain's latency figure. */
__declspec(dllexport) uint64_t nullbase_last_post_ns(void);
/* Posts FD_WRITE once more for the last async registration that asked for
 * it (from the caller's thread, as a provider posts when a socket becomes
 * writable); FALSE if there is none or the post failed. */
__declspec(dllexport) BOOL nullbase_post_again(void);

/* A fresh socket handle, or INVALID_SOCKET with *lpErrno set. */
SOCKET nullbase_handle_new(LPINT lpErrno);

/* The buffers' total length, saturated at the largest DWORD. */
DWORD nullbase_buffers_length(const WSABUF *buffers, DWORD count);

/* An overlapped request done at once: its status block written and its
 * event signalled, as a provider completes a request that needed no wait. */
void nullbase_complete(LPWSAOVERLAPPED overlapped, DWORD bytes);

int nullbase_error(int error, LPINT lpErrno);

void nullbase_fill_socket_procs(WSPPROC_TABLE *procs);
void nullbase_fill_data_procs(WSPPROC_TABLE *procs);
void nullbase_fill_option_procs(WSPPROC_TABLE *procs);
void nullbase_fill_notify_procs(WSPPROC_TABLE *procs);

#endif

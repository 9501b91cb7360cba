/* sharelsp.dll's parts, joined. The provider talks to its host only through
 * WSPStartup, the proc table and the upcall table (and WSCEnumProtocols /
 * WSCGetProviderPath, imported from ws2_32 as any LSP does), so it runs
 * unchanged under the real ws2_32 and under wsphost. */
#ifndef SHARELSP_LSP_H
#define SHARELSP_LSP_H

#include <winsock2.h>
#include <ws2spi.h>

#include <sharelsp/layer.h>

#include "table.h"

/* A started lower catalog entry: the provider below us for one chain. */
typedef struct lsp_lower {
    DWORD catalog_id; /* the next entry in the chain */
    LONG refs;        /* our chain entries and overlapped requests using it */
    HMODULE module;
    bool own_upcalls; /* given ShareLSP's WPUPostMessage (chain.c) */
    WSPPROC_TABLE procs;
    struct lsp_lower *next;
} lsp_lower;

/* One of our chain entries, as WSPStartup was given it. Sockets made through
 * it keep a pointer to it (sock_object.lower_provider), with a reference:
 * an object a request still holds after the last WSPCleanup reads it. */
typedef struct lsp_entry {
    LONG refs; /* the started entries' list, and each socket object made through it */
    DWORD catalog_id;
    WSAPROTOCOL_INFOW info;       /* the chain entry */
    WSAPROTOCOL_INFOW lower_info; /* what the lower provider's WSPSocket gets */
    lsp_lower *lower;
    struct lsp_entry *next;
} lsp_entry;

/* --- module.c --- */
HMODULE lsp_module(void);
/* One more hold on our module (false if none could be taken). Each hold is
 * dropped by exactly one of: lsp_module_drop_early (from code that another
 * hold still covers), FreeLibraryWhenCallbackReturns (at the end of a
 * thread-pool callback), FreeLibraryAndExitThread (our own thread), or
 * lsp_module_drop_after_apc (last thing in an APC of ours). */
bool lsp_module_hold(void);
void lsp_module_drop_early(void);
void lsp_module_drop_after_apc(void);
/* Keeps sharelsp.dll loaded to the end of the process (chain.c: a lower
 * provider that outlives our use of it may still hold our upcall). */
void lsp_module_pin(void);

/* --- startup.c --- */
extern WSPUPCALLTABLE lsp_upcalls;
extern sock_table *lsp_table;
/* What keeps an entry alive for each socket object made through it; the
 * core is given them when the DLL is loaded (module.c). */
extern const object_provider_hooks lsp_entry_hooks;

/* The chain entry we were started for with that catalog id (as a
 * WSAPROTOCOL_INFOW names it), with a hold for the caller to drop, or NULL:
 * a call racing the last WSPCleanup keeps it whole. */
lsp_entry *lsp_entry_take(DWORD catalog_id);
void lsp_entry_drop(lsp_entry *entry);

/* --- chain.c --- */
/* Finds our place in the chain, and starts the provider after it
 * (entry->lower, with a reference for the entry). */
int lsp_chain_start(const WSAPROTOCOL_INFOW *chain, lsp_entry *entry);
/* Lower providers are counted: the last release (the last WSPCleanup, or
 * the last overlapped request still using it after that) calls its
 * WSPCleanup and frees its module. retain needs a reference already held. */
void lsp_lower_retain(lsp_lower *lower);
void lsp_lower_release(lsp_lower *lower);

/* --- util.c --- */
/* Sets *lpErrno to err; SOCKET_ERROR. */
int lsp_fail(LPINT lpErrno, int err);
int lsp_wsa_error(core_status st);
/* The descriptor of an upper handle, with a reference, for a call that
 * passes its lower socket down: the call is inside the object's lower gate
 * (lower_gate.h) until lsp_done. NULL and *lpErrno = WSAENOTSOCK for a
 * handle that is not ours, is closed or closing, or whose lower socket is
 * closing. */
descriptor *lsp_descriptor(SOCKET s, LPINT lpErrno);
/* Ends what lsp_descriptor began; lpErrno (or NULL): the call's error. */
void lsp_done(descriptor *d, LPINT lpErrno);
/* The descriptor alone, outside the gate: for the close itself, and for
 * select and poll, whose lower call waits on many sockets at once and is
 * ended by a close, not by a cancellation on one handle. */
descriptor *lsp_descriptor_ungated(SOCKET s, LPINT lpErrno);
/* The chain entry a socket was made through. */
lsp_entry *lsp_socket_entry(const sock_object *object);
WSPPROC_TABLE *lsp_lower_procs(const sock_object *object);
SOCKET lsp_lower_socket(const sock_object *object);
/* A connection the layer refused, ended as a refused connection ends: a
 * reset (SO_LINGER on with no time, then the close). An accepted lower
 * socket that is still the application's (AcceptEx) is shut down both ways
 * instead, its peer reset when the application closes it. */
void lsp_refuse_connection(WSPPROC_TABLE *procs, SOCKET lower, bool close);
/* Gives d an upper handle (WPUCreateSocketHandle, context d) and publishes
 * it. On failure d is closed (with its lower socket if it was the last). */
SOCKET lsp_publish(descriptor *d, DWORD catalog_id, LPINT lpErrno);
/* A table_lower_close: closes the object's lower socket; the lower
 * provider's error (or 0) goes to *(int *)context and is returned. */
int lsp_close_lower(void *context, sock_object *object);
/* The same without waiting for the calls inside the lower gate (the gate
 * is shut all the same), for the last WSPCleanup: it may run under the
 * loader lock, and at process exit a thread killed inside a call never
 * leaves; the lower close ends what is left. */
int lsp_close_lower_at_cleanup(void *context, sock_object *object);
/* lsp_close_lower for a socket the layer knows: its close hook hears of the
 * last descriptor in this process first. */
int lsp_close_last(void *context, sock_object *object);
/* After table_close: when descriptors remain in this process, cancels at the
 * lower provider the registration the closed one held; tells the layer of
 * the socket's end when no descriptor is left anywhere; releases the
 * result's object. */
void lsp_finish_close(close_result *r);
/* A new socket object for a lower socket, published once the layer lets it
 * in (its socket hook, told origin); closes the lower socket on failure. */
SOCKET lsp_adopt_lower(lsp_entry *entry, SOCKET lower, sharelsp_origin origin, LPINT lpErrno);


/* --- registration.c --- */
/* An accepted socket takes the listener's registration, as Winsock says. */
void lsp_slot_inherit(sock_object *listener, SOCKET accepted);
/* After a close emptied the slot of the closed descriptor's registration
 * (cancelled): cancels it at the lower provider too, under the registration
 * lock, unless a newer registration stands by then. */
void lsp_registration_end_lower(sock_object *object, const slot_record *cancelled);
/* Another process may register the socket from now on (it is duplicated
 * into one, or was restored from one): registrations take the section's
 * mutex too. Call before the other process can have the mutex. */
void lsp_registration_go_remote(sock_object *object);
/* The lower socket is closed: the message this process gave the lower
 * provider for it, if any, is retired (async.h). */
void lsp_lower_message_retire(sock_object *object);

/* --- the proc table, filled by each concern --- */
void lsp_fill_lifecycle_procs(WSPPROC_TABLE *procs);
void lsp_fill_data_procs(WSPPROC_TABLE *procs);
void lsp_fill_option_procs(WSPPROC_TABLE *procs);
void lsp_fill_select_procs(WSPPROC_TABLE *procs);
void lsp_fill_registration_procs(WSPPROC_TABLE *procs);
void lsp_fill_duplicate_procs(WSPPROC_TABLE *procs);

/* --- extension.c --- */
/* SIO_GET_EXTENSION_FUNCTION_POINTER: ShareLSP's own extension functions
 * (the lower GetAcceptExSockaddrs); WSAEINVAL for any other. */
int lsp_extension_pointer(sock_object *object, const void *in, DWORD in_length, void *out, DWORD out_length,
                          LPDWORD returned, LPINT lpErrno);
/* SIO_EXT_SENDMSG: ws2_32's WSASendMsg for a provider that is not IFS, a
 * WSASENDMSG in the input buffer (thread: where its routine runs). */
int lsp_send_msg_ioctl(descriptor *d, SOCKET s, const void *in, DWORD in_length, LPWSATHREADID thread,
                       LPINT lpErrno);

/* --- poll.c --- */
/* SIO_EXT_POLL: ws2_32's WSAPoll for a provider that is not IFS, asked on
 * d's socket with a WSAPOLLDATA in and out. */
int lsp_poll_ioctl(descriptor *d, void *in, DWORD in_length, void *out, DWORD out_length, LPDWORD returned,
                   LPWSATHREADID thread, LPINT lpErrno);

/* --- duplicate.c --- */
/* WSPSocket with a duplicate info: restores the socket. Returns
 * INVALID_SOCKET with *lpErrno = WSAEINVAL for forged, stale or used info;
 * *handled = false when info is our catalog entry itself (a new socket). */
SOCKET lsp_socket_from_duplicate(lsp_entry *entry, LPWSAPROTOCOL_INFOW info, DWORD flags, BOOL *handled,
                                 LPINT lpErrno);

#endif

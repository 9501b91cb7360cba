/* wsphost.dll: plays ws2_32's part so service providers run under Wine. This
 * header joins its parts: the running host (catalog view, providers), the
 * handle table, the upcall table, and the per-thread WSATHREADID. */
#ifndef SHARELSP_HOST_H
#define SHARELSP_HOST_H

#include <winsock2.h>
#include <ws2spi.h>

#include <stdbool.h>

#include "catalog.h"

/* A started catalog entry: its provider DLL, loaded, and the proc table its
 * WSPStartup returned. Lives until the last WSACleanup. */
typedef struct host_provider {
    DWORD catalog_id;
    WSAPROTOCOL_INFOW info; /* the catalog entry it was started with */
    WCHAR path[MAX_PATH];   /* expanded */
    HMODULE module;
    WSPPROC_TABLE procs;
    struct host_provider *next;
} host_provider;

/* --- runtime.c --- */
bool host_is_started(void);
int host_startup(WORD version, LPWSADATA data);
int host_cleanup(void);
/* A copy of the current catalog (reloaded when the file changed). */
int host_catalog_snapshot(catalog *out);
/* The started provider of a catalog entry, starting it first if needed.
 * 0, or WSAEPROVIDERFAILEDINIT / WSAEINVALIDPROCTABLE / WSAEINVAL. */
int host_provider_for(DWORD catalog_id, host_provider **out);
/* The first visible entry that serves (af, type, protocol), as ws2_32 picks. */
int host_pick_entry(int af, int type, int protocol, WSAPROTOCOL_INFOW *out);
/* The first visible entry for an address family (address strings). */
int host_pick_family(int af, WSAPROTOCOL_INFOW *out);

/* --- handles.c --- */
typedef struct host_handle {
    DWORD catalog_id;
    DWORD_PTR context;  /* WPUCreateSocketHandle's context */
    bool from_upcall;   /* made by WPUCreateSocketHandle: a kernel handle of ours */
    struct host_signal *signal; /* its signalled state, for a pipe of ours (signal.c); else NULL */
} host_handle;

void host_handles_init(void);
int host_handle_add(SOCKET s, const host_handle *h);
bool host_handle_get(SOCKET s, host_handle *out);

/* A listed handle's entry, counted: it stays (and a handle of ours stays
 * open, so its value names nothing else) while anyone holds it. */
typedef struct host_entry host_entry;
/* The entry of s with a reference for the caller, or NULL. */
host_entry *host_entry_acquire(SOCKET s);
/* Drops a reference (NULL: nothing); the last one of an unlisted entry
 * closes the handle if it is ours and frees the entry. */
void host_entry_release(host_entry *e);
const host_handle *host_entry_handle(const host_entry *e);
/* A closesocket of the entry's handle is on its way to the provider: a
 * socket the provider returns with the same value replaces the entry
 * (the provider closed the old one and the system reused the value). */
void host_entry_set_closing(host_entry *e, bool closing);
/* Unlists this entry, if the table still lists it (not a newer one for the
 * same value). */
void host_entry_remove(host_entry *e);

/* Runs use with the handle's entry held: a WPUCloseSocketHandle racing with
 * it unlists the handle at once, but the handle is closed only after use
 * returned, so use never names a handle that closed (or a value the system
 * gave to another object since). False, without calling use, if there is
 * no entry. */
bool host_handle_hold(SOCKET s, void (*use)(SOCKET s, const host_handle *h, void *context), void *context);
/* Unlists s (its entry copied to out); a handle of ours closes when the
 * last call holding it returns. */
bool host_handle_remove(SOCKET s, host_handle *out);
/* Unlists every handle (the last WSACleanup); ours close as above. */
void host_handles_clear(void);

/* A call on a socket: its provider and its entry, held until
 * host_call_end; provider NULL with error WSANOTINITIALISED or
 * WSAENOTSOCK. */
typedef struct host_call {
    host_provider *provider;
    host_entry *entry;
    int error;
} host_call;
host_call host_call_begin(SOCKET s);
void host_call_end(host_call *c);

/* The provider a socket belongs to, asked and not held (the caller passes
 * the handle nowhere); NULL with *err = WSANOTINITIALISED or WSAENOTSOCK. */
host_provider *host_route(SOCKET s, int *err);
/* Records a socket a provider returned, unless an upcall already did. */
void host_adopt_socket(SOCKET s, DWORD catalog_id);

/* --- upcalls.c --- */
const WSPUPCALLTABLE *host_upcall_table(void);
/* The calling thread's WSATHREADID, for overlapped calls into providers. */
LPWSATHREADID host_thread_id(void);
void host_thread_detach(void);

/* --- opentype.c --- */
/* The calling thread's SO_OPENTYPE: 0 (the default) or what it set. */
int host_opentype(void);
/* getsockopt / setsockopt of SO_OPENTYPE: 0 or WSAEFAULT (WSAENOBUFS when
 * no TLS slot can be had). */
int host_opentype_get(char *optval, int *optlen);
int host_opentype_set(const char *optval, int optlen);

/* --- imports.c --- */
/* Points the provider's ws2_32 imports of names the host implements for
 * providers (WPUCompleteOverlappedRequest, WSC*) at the host's own exports,
 * its GetProcAddress at host_provider_get_proc_address and its LoadLibrary*
 * at wrappers that bind what they load the same way. */
void host_bind_provider_imports(HMODULE provider);
/* Points the module's GetProcAddress at host_program_get_proc_address. */
void host_bind_program_imports(HMODULE module);
/* LoadLibraryW for a provider: what it loads is bound as a provider. */
HMODULE WINAPI host_provider_load_library_w(LPCWSTR name);
/* Is this thread loading a module for a provider? */
bool host_provider_load_running(void);
/* The host's export for a provider-facing ws2_32 name, else NULL. */
FARPROC host_provider_export_for(const char *name);

/* --- lookups.c --- */
/* The host's export of a ws2_32 name, else NULL. */
FARPROC host_export_for(const char *name);
/* GetProcAddress as the program and its modules see it: in ws2_32, by name
 * or ordinal, the host's export wherever it has one. */
FARPROC WINAPI host_program_get_proc_address(HMODULE module, LPCSTR name);
/* GetProcAddress as a provider sees it: in ws2_32, the host's export for the
 * provider-facing names only (a base provider calls the platform's sockets). */
FARPROC WINAPI host_provider_get_proc_address(HMODULE module, LPCSTR name);

/* --- platform_linked.c (wsphost) or standin/ (the stand-in ws2_32) --- */
/* The platform's ws2_32 export (by name or ordinal) a provider's import or
 * look-up of a name the host does not implement for providers must reach:
 * NULL when the loader already binds it there (wsphost, which is not named
 * ws2_32), Wine's builtin for the stand-in, whose own name it would be. */
FARPROC host_platform_export(LPCSTR name);
/* A replacement of the platform's own for a program's kernel32 import, or
 * NULL (the stand-in passes itself on to child processes). */
FARPROC host_platform_program_import(const char *name);
/* The name ws2_32 exports under an ordinal; NULL if none (lookups.c). */
const char *host_ws2_32_name_of_ordinal(WORD ordinal);

/* Sets the thread's Winsock error to *err when r is SOCKET_ERROR; returns r. */
int host_finish(int r, const int *err);

#endif

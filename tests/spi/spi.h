/* Tests of sharelsp.dll through wsphost under Wine: each program installs
 * ShareLSP over wspbase's TCP and UDP entries (IPv4 and IPv6) in a fresh
 * catalog of its own, with the WSC calls an installer makes. */
#ifndef SHARELSP_TESTS_SPI_H
#define SHARELSP_TESTS_SPI_H

#include <winsock2.h>
#include <ws2spi.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdbool.h>

#include "unit.h"

#include <sharelsp/sharelsp.h>

/* The catalog id of ShareLSP's layered entry. */
extern DWORD spi_layered_id;

/* Installs ShareLSP over the TCP and UDP base entries of the catalog
 * WSPHOST_CATALOG names (created if missing); 0 on success. */
int spi_install_sharelsp(void);
/* The same with another build of the provider (a DLL beside the program). */
int spi_install_provider(const WCHAR *dll_name);
/* Installs ShareLSP over the given entries only; 0 on success. */
int spi_install_sharelsp_over(WSAPROTOCOL_INFOW *under, DWORD count);
/* Points WSPHOST_CATALOG at a new catalog of this process (wspbase's base
 * entries until something is installed); children inherit it. */
void spi_fresh_catalog(void);
/* A test base provider's entry, installed where ShareLSP's install then
 * layers over it: in both halves of the catalog from a 64-bit process. */
int spi_install_base(GUID *provider, const WCHAR *dll, WSAPROTOCOL_INFOW *info, int *err);
/* A fresh catalog where a test base provider (dll_name, beside the test,
 * under provider) serves wspbase's IPv4 entry of socket type type, with
 * ShareLSP over it alone, first in the catalog (socket() takes it); *chain
 * gets ShareLSP's entry; then WSAStartup. 0 on success. */
int spi_start_over_base(GUID *provider, const WCHAR *dll_name, int type, WSAPROTOCOL_INFOW *chain);
/* ShareLSP's entry over provider's, in the catalog this process uses. */
bool spi_find_chain_over(const GUID *provider, WSAPROTOCOL_INFOW *chain);
/* spi_fresh_catalog, then ShareLSP installed in it; 0 on success. */
int spi_install_fresh(void);
void spi_remove_catalog(void);
/* spi_start with that build of the provider. */
int spi_start_provider(const WCHAR *dll_name);
/* spi_install_fresh, then WSAStartup. */
int spi_start(void **state);
int spi_stop(void **state);
/* The program a test starts as its child: SHARELSP_SPI_CHILD (the same
 * test built for the other bitness, to share across bitness), else itself. */
void spi_child_exe(WCHAR *exe);
/* In a child process: the same catalog (inherited environment), Winsock. */
bool spi_child_start(void);
/* In a child: spi_child_start, then a duplicate info read whole from stdin. */
bool spi_child_start_with_info(WSAPROTOCOL_INFOW *info);

/* A connected TCP pair through ShareLSP. */
void spi_tcp_pair(int af, SOCKET *client, SOCKET *server);
sharelsp_stats spi_stats(SOCKET s);
void spi_set_tag(SOCKET s, const char *tag);
/* The tag as a NUL-terminated string. */
void spi_get_tag(SOCKET s, char *tag, int capacity);
SOCKET spi_use_info(WSAPROTOCOL_INFOW *info);

/* Starts this program again as a child, "<exe> MODE <parent pid> ARG", with
 * no inherited handle, and connects a named pipe to it. */
void spi_child_spawn(const char *mode, unsigned long arg, PROCESS_INFORMATION *pi, HANDLE *pipe);
/* In the child: Winsock started and the parent's pipe open. */
bool spi_child_pipe(DWORD parent, HANDLE *pipe);
/* In a child: spi_child_pipe, a duplicate info read whole from it, and the
 * socket it opens; INVALID_SOCKET if any step fails. */
SOCKET spi_child_socket(DWORD parent);

/* Loopback addresses and sockets, for tests that connect through the chain. */
struct sockaddr_in spi_loopback(u_short port);
u_short spi_local_port(SOCKET s);
/* A TCP socket listening on loopback; its port. */
SOCKET spi_listener(u_short *port);
/* Waits for the child to exit, closes its handles and the pipe; its exit code. */
DWORD spi_child_wait(PROCESS_INFORMATION *pi, HANDLE pipe);
/* Fault injection: points module's import of the function name at
 * replacement; returns what it pointed at (NULL: not imported). */
void *spi_patch_import(HMODULE module, const char *name, void *replacement);

#endif

/* wspbase.dll: a base service provider (ChainLen 1, IFS handles) over the
 * platform's own Winsock. Its socket handles are the platform's own, so the
 * host hands them to applications as they are. */
#ifndef SHARELSP_BASE_H
#define SHARELSP_BASE_H

#include <winsock2.h>
#include <ws2spi.h>

/* Turns a platform call's result into the WSP convention: on SOCKET_ERROR
 * the platform's error goes to *lpErrno. */
int base_result(int result, LPINT lpErrno);
SOCKET base_socket_result(SOCKET result, LPINT lpErrno);

/* Is s a socket of the platform (a duplicate info can name any handle)? */
BOOL base_is_socket(SOCKET s);

/* The catalog entry (id, and its provider GUID) this provider was started
 * with for the socket's address family and type; 0 if none. */
DWORD base_catalog_entry_for(SOCKET s, GUID *provider_id);

/* WSPIoctl(SIO_EXT_POLL): WSAPoll on the WSAPOLLDATA in (copied to out),
 * as ws2_32 asks a provider for it (notify.c). */
int base_ext_poll(const void *in, DWORD in_length, void *out, DWORD out_length, LPDWORD returned, LPINT lpErrno);

/* WSPIoctl(SIO_EXT_SENDMSG): the platform's WSASendMsg with the WSASENDMSG
 * in, as ws2_32 asks a provider for it (data.c). */
int base_ext_send_msg(SOCKET s, const void *in, DWORD in_length, LPINT lpErrno);

void base_fill_socket_procs(WSPPROC_TABLE *procs);
void base_fill_data_procs(WSPPROC_TABLE *procs);
void base_fill_option_procs(WSPPROC_TABLE *procs);
void base_fill_notify_procs(WSPPROC_TABLE *procs);

#endif

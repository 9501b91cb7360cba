/* What the demonstration and the chain benchmark both do, linked against
 * wsphost under Wine: install ShareLSP over the catalog's base entries with
 * the WSC call an installer makes, and open a loopback TCP pair. */
#ifndef SHARELSP_DEMO_WINE_SUPPORT_H
#define SHARELSP_DEMO_WINE_SUPPORT_H

#include <winsock2.h>

/* sharelsp.dll beside this program, over every base entry (ChainLen 1);
 * from a 64-bit program in both catalogs, the 32-bit one naming dll32 (NULL:
 * the same DLL, for a run of 64-bit programs alone). 0, or the WSC error;
 * *layered (may be NULL) gets the layered entry's id, *bases the number of
 * chains made. */
int wine_install_sharelsp(const WCHAR *dll32, DWORD *layered, int *bases);

/* Two connected TCP sockets over IPv4 loopback. */
void wine_tcp_pair(SOCKET *peer, SOCKET *other);

#endif

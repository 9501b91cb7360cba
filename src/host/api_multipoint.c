/* Multipoint and QOS: ws2_32 passes them to the socket's provider as they
 * are (wspbase passes them to the platform, whose answer stands). */
#include "api.h"

SOCKET WSAAPI WSAJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                          LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags)
{
    HOST_ROUTE(s, p, INVALID_SOCKET);
    int err = 0;
    SOCKET leaf =
        p->procs.lpWSPJoinLeaf(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, dwFlags, &err);
    if (leaf == INVALID_SOCKET) {
        WSASetLastError(err);
        return INVALID_SOCKET;
    }
    host_adopt_socket(leaf, p->catalog_id);
    return leaf;
}

WINBOOL WSAAPI WSAGetQOSByName(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS)
{
    HOST_ROUTE(s, p, FALSE);
    int err = 0;
    WINBOOL ok = p->procs.lpWSPGetQOSByName(s, lpQOSName, lpQOS, &err);
    if (!ok)
        WSASetLastError(err);
    return ok;
}

/* firewall.dll: a layer that refuses connections its rule file denies
 * (rules.h, source.c). A denied connect, ConnectEx or sendto fails with
 * WSAEACCES, through every descriptor of the socket in every process, since
 * every process decides by the same file; a denied inbound connection is
 * reset, and its accept fails with WSAEACCES. */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <sharelsp/layer.h>

#include "source.h"

static uint16_t firewall_port(const struct sockaddr *a, int length)
{
    if (a->sa_family == AF_INET && length >= (int)sizeof(struct sockaddr_in))
        return ntohs(((const struct sockaddr_in *)a)->sin_port);
    if (a->sa_family == AF_INET6 && length >= (int)sizeof(struct sockaddr_in6))
        return ntohs(((const struct sockaddr_in6 *)a)->sin6_port);
    return 0;
}

static int firewall_destination(const sharelsp_socket *s, sharelsp_destination_kind kind, struct sockaddr *name,
                                int *namelen)
{
    (void)s;
    (void)kind;
    return firewall_source_deny(FIREWALL_OUT, name, *namelen, firewall_port(name, *namelen)) ? WSAEACCES : 0;
}

static int firewall_accept(const sharelsp_socket *s, const struct sockaddr *peer, int peerlen)
{
    SOCKADDR_STORAGE local;
    int local_length = sizeof local;
    sharelsp_socket_names(s, (struct sockaddr *)&local, &local_length, NULL, NULL);
    uint16_t port = firewall_port((const struct sockaddr *)&local, local_length);
    return firewall_source_deny(FIREWALL_IN, peer, peerlen, port) ? WSAEACCES : 0;
}

SHARELSP_LAYER = {
    .name = "firewall",
    .destination = firewall_destination,
    .accept = firewall_accept,
};

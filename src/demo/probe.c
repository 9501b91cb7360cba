/* sharelsp-probe: an ordinary Winsock program, linked to ws2_32 alone (no
 * wsphost, no ShareLSP header beyond its constants), that says which
 * providers its sockets go through. It opens a TCP connection to itself over
 * loopback, sends a line, and prints the connected socket's protocol entry
 * (SO_PROTOCOL_INFOW: name, catalog id, chain) and ShareLSP's counters for it
 * (getsockopt SOL_SHARELSP, which only ShareLSP answers). Run as it is under
 * Wine it reaches Wine's ws2_32 and no provider; run by wsphost-run over a
 * catalog where ShareLSP is installed, the same executable goes through
 * ShareLSP (the main job's demonstration, docs/host.md).
 * Exit status: 0 ShareLSP is in the socket's chain; 1 a socket call failed;
 * 2 the sockets work but ShareLSP is not in the chain. */
#define UNICODE
#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <string.h>

#include <sharelsp/sharelsp.h>

enum { PROBE_IN_CHAIN = 0, PROBE_FAILED = 1, PROBE_NOT_IN_CHAIN = 2 };

static int probe_fail(const char *call)
{
    printf("sharelsp-probe: %s failed: %d\n", call, WSAGetLastError());
    return PROBE_FAILED;
}

/* A connected pair over loopback: *client connected to *server. */
static int probe_connect_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof addr;
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (listener == INVALID_SOCKET)
        return probe_fail("socket");
    if (bind(listener, (struct sockaddr *)&addr, len) != 0 || listen(listener, 1) != 0 ||
        getsockname(listener, (struct sockaddr *)&addr, &len) != 0)
        return probe_fail("bind/listen");
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (*client == INVALID_SOCKET || connect(*client, (struct sockaddr *)&addr, len) != 0)
        return probe_fail("connect");
    *server = accept(listener, NULL, NULL);
    if (*server == INVALID_SOCKET)
        return probe_fail("accept");
    closesocket(listener);
    return 0;
}

static void probe_print_entry(SOCKET s)
{
    WSAPROTOCOL_INFOW info;
    int len = sizeof info;
    if (getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len) != 0) {
        printf("  SO_PROTOCOL_INFOW: error %d\n", WSAGetLastError());
        return;
    }
    printf("  protocol entry: \"%ls\", catalog id %lu, chain length %d", info.szProtocol,
           (unsigned long)info.dwCatalogEntryId, info.ProtocolChain.ChainLen);
    if (info.ProtocolChain.ChainLen > 1) {
        printf(" (");
        for (int i = 0; i < info.ProtocolChain.ChainLen && i < MAX_PROTOCOL_CHAIN; i++)
            printf("%s%lu", i > 0 ? " -> " : "", (unsigned long)info.ProtocolChain.ChainEntries[i]);
        printf(")");
    }
    printf("\n");
}

int main(void)
{
    WSADATA data;
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return PROBE_FAILED;
    SOCKET client = INVALID_SOCKET, server = INVALID_SOCKET;
    int status = probe_connect_pair(&client, &server);
    if (status != 0)
        return status;
    static const char line[] = "hello through the catalog\n";
    char got[sizeof line];
    if (send(client, line, (int)strlen(line), 0) != (int)strlen(line))
        return probe_fail("send");
    if (recv(server, got, sizeof got, 0) != (int)strlen(line))
        return probe_fail("recv");
    printf("sharelsp-probe: a TCP connection over loopback, %d bytes sent and received\n", (int)strlen(line));
    probe_print_entry(client);

    sharelsp_stats stats;
    int len = sizeof stats;
    if (getsockopt(client, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&stats, &len) != 0) {
        printf("  ShareLSP is not in this socket's chain (its option gives error %d)\n", WSAGetLastError());
        status = PROBE_NOT_IN_CHAIN;
    } else {
        printf("  ShareLSP answers for it: %llu bytes sent in %llu calls, %lu descriptor(s) open\n",
               (unsigned long long)stats.bytes_sent, (unsigned long long)stats.calls_sent,
               (unsigned long)stats.descriptors_open);
        status = PROBE_IN_CHAIN;
    }
    closesocket(client);
    closesocket(server);
    WSACleanup();
    return status;
}

/* Helpers for the conformance programs: plain Winsock programs built twice,
 * against ws2_32 and against wsphost, that must pass the same assertions. */
#ifndef SHARELSP_CONFORMANCE_H
#define SHARELSP_CONFORMANCE_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdbool.h>

#include "unit.h"

/* Whether the program runs through wsphost (linked against it, or its ws2_32
 * build run by wsphost-run with the stand-in), for the few places where a
 * known difference of Wine's ws2_32 is marked rather than hidden. */
bool conf_through_wsphost(void);
/* Whether the program runs under Wine (ntdll has Wine's own exports). */
bool conf_under_wine(void);
/* Whether s's provider is a layer (ShareLSP's: a chain longer than the base). */
bool conf_through_a_layer(SOCKET s);

int conf_start(void **state);
int conf_stop(void **state);

/* A listening TCP socket on the loopback of family af, any port; its address. */
SOCKET conf_listener(int af, struct sockaddr_storage *addr, int *addrlen);
/* A connected TCP pair (client, server side) on the loopback of family af. */
void conf_tcp_pair(int af, SOCKET *client, SOCKET *server);
/* A UDP socket bound to the loopback of family af, any port; its address. */
SOCKET conf_udp(int af, struct sockaddr_storage *addr, int *addrlen);

/* Sends all of len bytes, receives exactly len bytes: asserts on failure. */
void conf_send_all(SOCKET s, const char *data, int len);
void conf_recv_exact(SOCKET s, char *data, int len);

#endif

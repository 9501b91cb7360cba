/* monitor.dll: a layer that appends one line per socket to a log when its
 * last descriptor anywhere closes: the processes that used it, its local
 * and peer addresses, bytes and calls each way, and how long it lived.
 *
 * All it keeps is in the socket's layer storage, so the line sums what
 * every process did with the socket:
 *   word 0        when the socket was made (FILETIME)
 *   words 1-6     the processes that used it (their ids; 0: free)
 *   word 7        how many more there were than fit
 *   word 8        0, 1 while a process writes the names, 2 once written
 *   words 9-11    the local address, 12-14 the peer's (monitor_name)
 * The counters are ShareLSP's own (sharelsp_socket_stats). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sharelsp/layer.h>

#include "log.h"

enum { W_START = 0, W_PIDS = 1, PIDS = 6, W_MORE = 7, W_NAMES = 8, W_LOCAL = 9, W_PEER = 12 };
enum { NAMES_NONE = 0, NAMES_WRITING = 1, NAMES_WRITTEN = 2 };

static LONG64 monitor_now(void)
{
    FILETIME t;
    GetSystemTimeAsFileTime(&t);
    return (LONG64)(((ULONGLONG)t.dwHighDateTime << 32) | t.dwLowDateTime);
}

/* Records the calling process among the socket's, once. */
static void monitor_pid(const sharelsp_socket *s)
{
    for (int i = 0; i < PIDS; i++) {
        LONG64 was = InterlockedCompareExchange64(&s->storage[W_PIDS + i], (LONG64)s->pid, 0);
        if (was == 0 || was == (LONG64)s->pid)
            return;
    }
    InterlockedIncrement64(&s->storage[W_MORE]);
}

/* An address in three words: family and port, then 16 address bytes. */
static void monitor_name_store(volatile LONG64 *words, const struct sockaddr *a, int length)
{
    LONG64 head = 0, bytes[2] = {0, 0};
    if (a->sa_family == AF_INET && length >= (int)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)a;
        head = AF_INET | ((LONG64)ntohs(in->sin_port) << 16);
        memcpy(bytes, &in->sin_addr, 4);
    } else if (a->sa_family == AF_INET6 && length >= (int)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)a;
        head = AF_INET6 | ((LONG64)ntohs(in6->sin6_port) << 16);
        memcpy(bytes, &in6->sin6_addr, 16);
    }
    InterlockedExchange64(&words[0], head);
    InterlockedExchange64(&words[1], bytes[0]);
    InterlockedExchange64(&words[2], bytes[1]);
}

static void monitor_name_format(const volatile LONG64 *words, char *out, size_t capacity)
{
    LONG64 head = words[0], bytes[2] = {words[1], words[2]};
    int family = (int)(head & 0xffff);
    unsigned port = (unsigned)((head >> 16) & 0xffff);
    char address[INET6_ADDRSTRLEN];
    if ((family != AF_INET && family != AF_INET6) || inet_ntop(family, bytes, address, sizeof address) == NULL)
        snprintf(out, capacity, "-");
    else
        snprintf(out, capacity, family == AF_INET6 ? "[%s]:%u" : "%s:%u", address, port);
}

static int monitor_socket(const sharelsp_socket *s, sharelsp_origin origin)
{
    (void)origin;
    InterlockedExchange64(&s->storage[W_START], monitor_now());
    monitor_pid(s);
    return 0;
}

static void monitor_close(const sharelsp_socket *s, sharelsp_close_kind kind)
{
    if (kind == SHARELSP_CLOSE_LAST_IN_PROCESS) {
        monitor_pid(s);
        /* The lower socket is still open here: the first process to close
         * its last descriptor takes the names, while they can be had. */
        if (InterlockedCompareExchange64(&s->storage[W_NAMES], NAMES_WRITING, NAMES_NONE) == NAMES_NONE) {
            SOCKADDR_STORAGE local, peer;
            int local_length = sizeof local, peer_length = sizeof peer;
            memset(&local, 0, sizeof local);
            memset(&peer, 0, sizeof peer);
            sharelsp_socket_names(s, (struct sockaddr *)&local, &local_length, (struct sockaddr *)&peer,
                                  &peer_length);
            monitor_name_store(&s->storage[W_LOCAL], (struct sockaddr *)&local, local_length);
            monitor_name_store(&s->storage[W_PEER], (struct sockaddr *)&peer, peer_length);
            InterlockedExchange64(&s->storage[W_NAMES], NAMES_WRITTEN);
        }
        return;
    }
    char pids[PIDS * 12 + 24] = "", local[64], peer[64];
    size_t n = 0;
    for (int i = 0; i < PIDS && s->storage[W_PIDS + i] != 0; i++)
        n += (size_t)snprintf(pids + n, sizeof pids - n, "%s%lld", i ? "," : "", (long long)s->storage[W_PIDS + i]);
    if (s->storage[W_MORE] != 0)
        snprintf(pids + n, sizeof pids - n, "+%lld", (long long)s->storage[W_MORE]);
    /* Names half written by a process that died read as none. */
    bool named = s->storage[W_NAMES] == NAMES_WRITTEN;
    monitor_name_format(named ? &s->storage[W_LOCAL] : (const volatile LONG64[3]){0}, local, sizeof local);
    monitor_name_format(named ? &s->storage[W_PEER] : (const volatile LONG64[3]){0}, peer, sizeof peer);
    sharelsp_stats st;
    sharelsp_socket_stats(s, &st);
    LONG64 start = s->storage[W_START];
    long long lived = start != 0 ? (monitor_now() - start) / 10000 : 0; /* 100 ns units to ms */
    SYSTEMTIME now;
    GetSystemTime(&now);
    char line[512];
    snprintf(line, sizeof line,
             "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ id=%llu pids=%s local=%s peer=%s bytes_sent=%llu calls_sent=%llu "
             "bytes_received=%llu calls_received=%llu duration_ms=%lld\r\n",
             now.wYear, now.wMonth, now.wDay, now.wHour, now.wMinute, now.wSecond, now.wMilliseconds,
             (unsigned long long)s->id, pids, local, peer, (unsigned long long)st.bytes_sent,
             (unsigned long long)st.calls_sent, (unsigned long long)st.bytes_received,
             (unsigned long long)st.calls_received, lived);
    monitor_log_append(line);
}

SHARELSP_LAYER = {
    .name = "monitor",
    .socket = monitor_socket,
    .close = monitor_close,
};

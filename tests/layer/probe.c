/* probe.dll: a layer with every hook, for tests/layer. Each call appends one
 * line to the file PROBE_LOG names (one WriteFile on a handle opened for
 * appending, so lines of several processes never mix), saying the hook, the
 * process, the socket's id and what the hook was given. The data hook adds
 * the bytes to the socket's first storage word and logs the sum, which is
 * one across every descriptor and process. PROBE_REFUSE=hook makes that hook
 * refuse with WSAEACCES; PROBE_REDIRECT=port makes the destination hook
 * change the address's port. PROBE_PAYLOAD=observe logs the bytes a send or
 * receive carries; PROBE_PAYLOAD=upper also turns received letters to
 * upper case, in place, and PROBE_PAYLOAD=upper-sent sent ones (the probe
 * rewrites sends: ShareLSP shows it a copy). Built with PROBE_OBSERVER
 * (probe_observer.dll) it does not say it rewrites sends, so upper-sent
 * writes into the program's own buffers: a test sees that such a layer is
 * shown them, with no copy. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sharelsp/layer.h>

static void probe_log(const sharelsp_socket *s, const char *hook, const char *format, ...)
{
    WCHAR path[MAX_PATH];
    if (GetEnvironmentVariableW(L"PROBE_LOG", path, MAX_PATH) == 0)
        return;
    char line[256];
    int n = snprintf(line, sizeof line, "%s pid=%lu id=%llu d=%s ", hook, (unsigned long)s->pid,
                     (unsigned long long)s->id, s->descriptor == INVALID_SOCKET ? "none" : "set");
    va_list args;
    va_start(args, format);
    n += vsnprintf(line + n, sizeof line - (size_t)n - 1, format, args);
    va_end(args);
    line[n++] = '\n';
    HANDLE f = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return;
    DWORD written = 0;
    WriteFile(f, line, (DWORD)n, &written, NULL);
    CloseHandle(f);
}

static int probe_verdict(const char *hook)
{
    char refuse[32];
    DWORD n = GetEnvironmentVariableA("PROBE_REFUSE", refuse, sizeof refuse);
    return n > 0 && n < sizeof refuse && strcmp(refuse, hook) == 0 ? WSAEACCES : 0;
}

static unsigned probe_port(const struct sockaddr *a)
{
    if (a->sa_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)a)->sin_port);
    if (a->sa_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)a)->sin6_port);
    return 0;
}

static int probe_socket(const sharelsp_socket *s, sharelsp_origin origin)
{
    int verdict = probe_verdict("socket");
    probe_log(s, "socket", "origin=%d af=%d type=%d w0=%lld", (int)origin, s->family, s->type,
              (long long)s->storage[0]);
    return verdict;
}

static int probe_bind(const sharelsp_socket *s, const struct sockaddr *name, int namelen)
{
    probe_log(s, "bind", "len=%d port=%u", namelen, name != NULL ? probe_port(name) : 0u);
    return probe_verdict("bind");
}

static int probe_destination(const sharelsp_socket *s, sharelsp_destination_kind kind, struct sockaddr *name,
                             int *namelen)
{
    probe_log(s, "destination", "kind=%d len=%d port=%u", (int)kind, *namelen, probe_port(name));
    char redirect[16];
    if (GetEnvironmentVariableA("PROBE_REDIRECT", redirect, sizeof redirect) > 0) {
        u_short port = htons((u_short)strtoul(redirect, NULL, 10));
        if (name->sa_family == AF_INET)
            ((struct sockaddr_in *)name)->sin_port = port;
        else if (name->sa_family == AF_INET6)
            ((struct sockaddr_in6 *)name)->sin6_port = port;
    }
    return probe_verdict("destination");
}

static int probe_listen(const sharelsp_socket *s, int backlog)
{
    probe_log(s, "listen", "backlog=%d", backlog);
    return probe_verdict("listen");
}

static int probe_accept(const sharelsp_socket *s, const struct sockaddr *peer, int peerlen)
{
    probe_log(s, "accept", "peerlen=%d port=%u", peerlen, peerlen > 0 ? probe_port(peer) : 0u);
    return probe_verdict("accept");
}

static void probe_data(const sharelsp_socket *s, sharelsp_direction direction, uint64_t bytes)
{
    LONG64 total = InterlockedAdd64(&s->storage[0], (LONG64)bytes);
    probe_log(s, direction == SHARELSP_SENT ? "sent" : "received", "bytes=%llu w0=%lld",
              (unsigned long long)bytes, (long long)total);
}

/* Up to 32 bytes of the buffers, in order, as text. */
static void probe_text(const WSABUF *buffers, DWORD count, uint64_t bytes, char *text, size_t size)
{
    size_t n = 0;
    for (DWORD i = 0; i < count && n < bytes && n + 1 < size; i++)
        for (ULONG j = 0; j < buffers[i].len && n < bytes && n + 1 < size; j++)
            text[n++] = buffers[i].buf[j];
    text[n] = '\0';
}

static void probe_payload(const sharelsp_socket *s, sharelsp_direction direction, const WSABUF *buffers, DWORD count,
                          uint64_t bytes)
{
    char mode[16];
    DWORD n = GetEnvironmentVariableA("PROBE_PAYLOAD", mode, sizeof mode);
    if (n == 0 || n >= sizeof mode)
        return;
    char text[33];
    probe_text(buffers, count, bytes, text, sizeof text);
    probe_log(s, direction == SHARELSP_SENT ? "payload-sent" : "payload-received", "count=%lu bytes=%llu text=%s",
              (unsigned long)count, (unsigned long long)bytes, text);
    if (strcmp(mode, direction == SHARELSP_RECEIVED ? "upper" : "upper-sent") != 0)
        return;
    uint64_t left = bytes;
    for (DWORD i = 0; i < count && left > 0; i++)
        for (ULONG j = 0; j < buffers[i].len && left > 0; j++, left--)
            if (buffers[i].buf[j] >= 'a' && buffers[i].buf[j] <= 'z')
                buffers[i].buf[j] = (char)(buffers[i].buf[j] - 'a' + 'A');
}

static int probe_option(const sharelsp_socket *s, int level, int name, const char *value, int length)
{
    (void)value;
    probe_log(s, "option", "level=%d name=%d len=%d", level, name, length);
    return probe_verdict("option");
}

static void probe_close(const sharelsp_socket *s, sharelsp_close_kind kind)
{
    probe_log(s, kind == SHARELSP_CLOSE_LAST_IN_PROCESS ? "close-process" : "close-anywhere", "w0=%lld",
              (long long)s->storage[0]);
}

SHARELSP_LAYER = {
    .name = "probe",
    .socket = probe_socket,
    .bind = probe_bind,
    .destination = probe_destination,
    .listen = probe_listen,
    .accept = probe_accept,
    .data = probe_data,
    .payload = probe_payload,
#ifndef PROBE_OBSERVER
    .payload_flags = SHARELSP_PAYLOAD_REWRITE_SENT,
#endif
    .option = probe_option,
    .close = probe_close,
};

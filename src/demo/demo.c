/* sharelsp-demo: two processes sharing one TCP connection through ShareLSP,
 * showing each rule of "Multiple Handles to a Single Socket" and "Shared
 * Sockets" as it happens. Linked against wsphost, so it runs under Wine;
 * it installs ShareLSP into the catalog WSPHOST_CATALOG names, with the WSC
 * call an installer makes. Process A is this program; process B is this
 * program again ("--process-b"), or with --b-program the demonstration built
 * for the other bitness, started with no inherited handles; they talk over a
 * named pipe, and B's lines are printed by A. Exits non-zero if any step did
 * not behave. */
#define UNICODE
#include <winsock2.h>
#include <ws2spi.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sharelsp/sharelsp.h>

#include "wine_support.h"

enum { STEP_OPEN = 1, STEP_TAG, STEP_SEND, STEP_REGISTER, STEP_CLOSE, STEP_QUIT };
enum { MSG_A = WM_USER + 1 };

typedef struct command {
    int step;
    WSAPROTOCOL_INFOW info;
} command;

typedef struct reply {
    int ok;
    char text[400];
} reply;

static int failures;

static void say(const char *who, bool ok, const char *format, ...)
{
    char line[512];
    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    printf("  %s %s%s\n", who, ok ? "" : "FAILED: ", line);
    fflush(stdout);
    failures += !ok;
}

static void rule(const char *text)
{
    printf("\n%s\n", text);
    fflush(stdout);
}

static sharelsp_stats stats_of(SOCKET s)
{
    sharelsp_stats st;
    int len = sizeof st;
    memset(&st, 0, sizeof st);
    getsockopt(s, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, &len);
    return st;
}

static void tag_of(SOCKET s, char *tag, int capacity)
{
    int len = capacity - 1;
    if (getsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, &len) != 0)
        len = 0;
    tag[len] = '\0';
}

static void pipe_name(DWORD pid, WCHAR *name) { _snwprintf(name, 64, L"\\\\.\\pipe\\sharelsp-demo-%lu", (unsigned long)pid); }

/* --- process B --- */

static void b_reply(HANDLE pipe, bool ok, const char *format, ...)
{
    reply r = {.ok = ok};
    va_list args;
    va_start(args, format);
    vsnprintf(r.text, sizeof r.text, format, args);
    va_end(args);
    DWORD n;
    WriteFile(pipe, &r, sizeof r, &n, NULL);
}

static int process_b(DWORD parent)
{
    WSADATA data;
    WCHAR name[64];
    WSAStartup(MAKEWORD(2, 2), &data);
    pipe_name(parent, name);
    if (!WaitNamedPipeW(name, 5000))
        return 2;
    HANDLE pipe = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    SOCKET s = INVALID_SOCKET;
    WSAEVENT ev = WSACreateEvent();
    command c;
    DWORD n;
    while (ReadFile(pipe, &c, sizeof c, &n, NULL) && n == sizeof c && c.step != STEP_QUIT) {
        char tag[SHARELSP_TAG_MAX + 1];
        sharelsp_stats st;
        switch (c.step) {
        case STEP_OPEN:
            s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &c.info, 0, 0);
            st = stats_of(s);
            b_reply(pipe, s != INVALID_SOCKET && st.descriptors_open == 2,
                    "(a %d-bit process) opened the info with WSASocket(FROM_PROTOCOL_INFO): descriptors open "
                    "across both processes: %u",
                    (int)sizeof(void *) * 8, st.descriptors_open);
            break;
        case STEP_TAG:
            tag_of(s, tag, sizeof tag);
            b_reply(pipe, strcmp(tag, "set by A") == 0, "reads the tag through its own descriptor: '%s'", tag);
            break;
        case STEP_SEND: {
            bool ok = send(s, "hello from B.", 13, 0) == 13;
            st = stats_of(s);
            b_reply(pipe, ok, "sent 13 bytes; the shared counters now say %llu bytes sent in %llu calls",
                    (unsigned long long)st.bytes_sent, (unsigned long long)st.calls_sent);
            break;
        }
        case STEP_REGISTER: {
            WSANETWORKEVENTS ne = {0};
            bool ok = WSAEventSelect(s, ev, FD_WRITE) == 0 &&
                      WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE) == WSA_WAIT_EVENT_0 &&
                      WSAEnumNetworkEvents(s, ev, &ne) == 0 && ne.lNetworkEvents == FD_WRITE;
            b_reply(pipe, ok, "registered FD_WRITE with WSAEventSelect through its descriptor, and got FD_WRITE");
            break;
        }
        case STEP_CLOSE: {
            WSAEventSelect(s, NULL, 0);
            bool ok = closesocket(s) == 0;
            b_reply(pipe, ok, "closed its descriptor");
            break;
        }
        default:
            b_reply(pipe, false, "unknown step %d", c.step);
        }
    }
    WSACloseEvent(ev);
    CloseHandle(pipe);
    WSACleanup();
    return 0;
}

/* --- process A --- */

/* How process A runs (main's options): B's program (another bitness's
 * demonstration, or this one), the 32-bit sharelsp.dll the 32-bit catalog
 * names, and whether ShareLSP is installed already (a 32-bit A reaches only
 * its own catalog: a 64-bit program installs in both first). */
typedef struct demo_options {
    WCHAR b_program[MAX_PATH];
    const WCHAR *sharelsp32;
    WCHAR sharelsp32_buffer[MAX_PATH];
    bool installed;
} demo_options;

static bool install_sharelsp(const demo_options *o)
{
    if (o->installed) {
        printf("ShareLSP is installed in the catalog already\n");
        return true;
    }
    DWORD layered = 0;
    int bases = 0, err = wine_install_sharelsp(o->sharelsp32, &layered, &bases);
    if (err != 0) {
        printf("could not install ShareLSP (error %d)\n", err);
        return false;
    }
    printf("ShareLSP installed in the catalog: layered entry %lu, chains over %d base entries\n",
           (unsigned long)layered, bases);
    return true;
}

static bool ask_b(HANDLE pipe, int step, const WSAPROTOCOL_INFOW *info)
{
    command c = {.step = step};
    if (info != NULL)
        c.info = *info;
    reply r = {0};
    DWORD n = 0;
    bool ok = WriteFile(pipe, &c, sizeof c, &n, NULL) && ReadFile(pipe, &r, sizeof r, &n, NULL) && n == sizeof r;
    say("B", ok && r.ok, "%s", ok ? r.text : "did not answer");
    return ok && r.ok;
}

static int receive_some(SOCKET s, char *buf, int cap, DWORD wait_ms)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(s, &r);
    struct timeval tv = {(long)(wait_ms / 1000), (long)(wait_ms % 1000) * 1000};
    if (select(0, &r, NULL, NULL, &tv) != 1)
        return -1;
    return recv(s, buf, cap, 0);
}

static int process_a(const demo_options *o)
{
    WSADATA data;
    printf("ShareLSP %s demonstration: two processes, one TCP connection (A is %d-bit)\n", SHARELSP_VERSION_STRING,
           (int)sizeof(void *) * 8);
    if (!install_sharelsp(o) || WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return 1;
    SOCKET peer, s;
    wine_tcp_pair(&peer, &s);
    sharelsp_stats st = stats_of(s);
    say("A", s != INVALID_SOCKET && st.descriptors_open == 1,
        "holds one end of a TCP connection through ShareLSP (the other end is the peer); descriptors open: %u",
        st.descriptors_open);

    WCHAR name[64], exe[MAX_PATH], cmd[MAX_PATH + 64];
    pipe_name(GetCurrentProcessId(), name);
    HANDLE pipe = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 8192, 8192, 5000, NULL);
    wcscpy(exe, o->b_program);
    _snwprintf(cmd, MAX_PATH + 64, L"\"%ls\" --process-b %lu", exe, (unsigned long)GetCurrentProcessId());
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("could not start process B\n");
        return 1;
    }
    ConnectNamedPipe(pipe, NULL);

    rule("R7  A socket is shared with another process by WSADuplicateSocket: the source gets a special "
         "WSAPROTOCOL_INFOW for the target, passes it by any IPC, and the target opens it with WSASocket.");
    WSAPROTOCOL_INFOW info;
    say("A", WSADuplicateSocketW(s, pi.dwProcessId, &info) == 0,
        "duplicated its socket for process B (pid %lu) and sends the info over a named pipe",
        (unsigned long)pi.dwProcessId);
    WSAPROTOCOL_INFOW mine = info;
    SOCKET stolen = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &mine, 0, 0);
    say("A", stolen == INVALID_SOCKET && WSAGetLastError() == WSAEINVAL,
        "cannot use that info itself: it is meant for B (WSAEINVAL)");
    ask_b(pipe, STEP_OPEN, &info);
    WSAPROTOCOL_INFOW again = info;
    stolen = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &again, 0, 0);
    say("A", stolen == INVALID_SOCKET, "the info works once: after B used it, it is refused");

    rule("R1  What is duplicated is the descriptor, not the socket: all state is common to all descriptors.");
    rule("R2  An option set through one descriptor is seen through any other.");
    say("A", setsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, "set by A", 8) == 0,
        "sets the socket's tag (SOL_SHARELSP, SHARELSP_SO_TAG) to 'set by A'");
    ask_b(pipe, STEP_TAG, NULL);

    rule("R3  Descriptors of a shared socket are used independently for I/O.");
    ask_b(pipe, STEP_SEND, NULL);
    say("A", send(s, "hello from A.", 13, 0) == 13, "sent 13 bytes through its own descriptor");
    char buf[64] = {0};
    int got = 0;
    for (int tries = 0; tries < 20 && got < 26; tries++) {
        int k = receive_some(peer, buf + got, (int)sizeof buf - 1 - got, 1000);
        got += k > 0 ? k : 0;
    }
    say("peer", got == 26, "received both, in order: %.*s", got, buf);
    st = stats_of(s);
    say("A", st.bytes_sent == 26 && st.calls_sent == 2,
        "reads the shared counters: %llu bytes sent in %llu calls, by both processes",
        (unsigned long long)st.bytes_sent, (unsigned long long)st.calls_sent);

    rule("R5  WSAAsyncSelect or WSAEventSelect through any descriptor cancels any previous registration.");
    rule("R6  So process A cannot get FD_READ while process B gets FD_WRITE.");
    HWND w = CreateWindowExW(0, L"STATIC", L"demo", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    say("A", WSAAsyncSelect(s, w, MSG_A, FD_READ) == 0, "registers FD_READ with WSAAsyncSelect");
    ask_b(pipe, STEP_REGISTER, NULL);
    send(peer, "data for A", 10, 0);
    MSG m;
    bool heard = false;
    DWORD begin = GetTickCount();
    while (!heard && GetTickCount() - begin < 700) {
        heard = PeekMessageW(&m, w, MSG_A, MSG_A, PM_REMOVE);
        Sleep(20);
    }
    say("A", !heard, "the peer sent data, and A got no FD_READ: B's registration replaced A's");
    st = stats_of(s);

    rule("R4  closesocket on a duplicate frees that descriptor; the socket stays open until the last is closed.");
    ask_b(pipe, STEP_CLOSE, NULL);
    st = stats_of(s);
    say("A", st.descriptors_open == 1, "sees one descriptor open now");
    WSAAsyncSelect(s, w, 0, 0);
    u_long blocking = 0;
    ioctlsocket(s, FIONBIO, &blocking);
    int k = recv(s, buf, sizeof buf, 0);
    say("A", k == 10, "still reads from the connection: %d bytes the peer sent", k);
    say("A", send(s, "still here.", 11, 0) == 11, "and still sends");
    k = receive_some(peer, buf, sizeof buf, 2000);
    say("peer", k == 11, "received A's %d bytes", k);
    st = stats_of(s);
    closesocket(s);
    k = receive_some(peer, buf, sizeof buf, 2000);
    say("peer", k == 0, "sees the connection end when A closes the last descriptor");

    command quit = {.step = STEP_QUIT};
    DWORD n;
    WriteFile(pipe, &quit, sizeof quit, &n, NULL);
    WaitForSingleObject(pi.hProcess, 10000);
    printf("\nShared counters at the end: %llu bytes sent in %llu calls, %llu bytes received in %llu calls\n",
           (unsigned long long)st.bytes_sent, (unsigned long long)st.calls_sent,
           (unsigned long long)st.bytes_received, (unsigned long long)st.calls_received);
    printf("%s\n", failures ? "Some steps did not behave." : "Every step behaved as the rules say.");
    closesocket(peer);
    DestroyWindow(w);
    CloseHandle(pipe);
    WSACleanup();
    return failures ? 1 : 0;
}

/* sharelsp-demo [--b-program EXE] [--sharelsp32 DLL] [--installed] */
int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--process-b") == 0)
        return process_b((DWORD)strtoul(argv[2], NULL, 10));
    static demo_options o;
    GetModuleFileNameW(NULL, o.b_program, MAX_PATH);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--b-program") == 0 && i + 1 < argc) {
            MultiByteToWideChar(CP_ACP, 0, argv[++i], -1, o.b_program, MAX_PATH);
        } else if (strcmp(argv[i], "--sharelsp32") == 0 && i + 1 < argc) {
            MultiByteToWideChar(CP_ACP, 0, argv[++i], -1, o.sharelsp32_buffer, MAX_PATH);
            o.sharelsp32 = o.sharelsp32_buffer;
        } else if (strcmp(argv[i], "--installed") == 0) {
            o.installed = true;
        } else {
            fprintf(stderr, "usage: sharelsp-demo [--b-program EXE] [--sharelsp32 DLL] [--installed]\n");
            return 2;
        }
    }
    return process_a(&o);
}

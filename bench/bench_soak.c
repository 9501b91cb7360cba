/* bench_soak: a long run of mixed calls through ShareLSP, two processes
 * sharing 256 sockets, four threads in each. Not a test: it prints what
 * happened (operations by kind, errors by code, handle and memory growth)
 * and exits non-zero only if a socket stopped being ShareLSP's or a call
 * failed with an error no call of that kind may give here.
 *
 *   bench_soak.exe [SECONDS]     (default 600; under Wine through wsphost)
 *
 * The parent makes 128 connected TCP pairs through ShareLSP, sets them
 * non-blocking, and duplicates every socket into a child; each process then
 * runs its threads on random sockets of the 256 until the time is up. Both
 * processes count handles (by probing values: GetProcessHandleCount says 0
 * under Wine) and private memory after a warm-up and at the end. */
#define UNICODE
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <psapi.h>
#include <tlhelp32.h>

#include "catalog_files.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sharelsp/sharelsp.h>

#include "wine_support.h"

enum { SOCKETS = 256, THREADS = 4, WARM_UP_MS = 5000, ERROR_CODES = 12000 };

typedef enum {
    OP_SEND,
    OP_RECV,
    OP_OPTIONS,
    OP_EVENT_SELECT,
    OP_SELECT,
    OP_FIONREAD,
    OP_DUPLICATE,
    OP_NAMES,
    OP_OVERLAPPED_SEND,
    OP_KINDS
} op_kind;

static const char *const op_names[OP_KINDS] = {"send",      "recv",      "set/getsockopt",   "WSAEventSelect+Enum",
                                               "select(8)", "FIONREAD",  "duplicate+close", "getsock/peername",
                                               "WSASend overlapped"};

static SOCKET sockets[SOCKETS];
static volatile LONG64 ops[OP_KINDS];
static volatile LONG errors[ERROR_CODES]; /* by Winsock error code */
static volatile LONG unexpected;          /* errors no call of its kind may give here */
static volatile LONG stop;

static uint32_t rng_next(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* Counts a failure; the ones a non-blocking socket under load may give are
 * expected, any other is printed once per code. */
static void soak_error(op_kind op)
{
    int e = WSAGetLastError();
    if (e >= 0 && e < ERROR_CODES)
        InterlockedIncrement(&errors[e]);
    bool expected = e == WSAEWOULDBLOCK || (op == OP_OVERLAPPED_SEND && e == WSA_IO_PENDING);
    if (!expected && InterlockedIncrement(&unexpected) <= 10)
        printf("  %lu: %s failed: %d\n", (unsigned long)GetCurrentProcessId(), op_names[op], e);
}

static void soak_one(op_kind op, uint32_t *rng, WSAEVENT event)
{
    SOCKET s = sockets[rng_next(rng) % SOCKETS];
    static char buf[512]; /* what is sent does not matter; what is received is dropped */
    int rc = 0;
    switch (op) {
    case OP_SEND:
        rc = send(s, buf, 1 + (int)(rng_next(rng) % 64), 0);
        break;
    case OP_RECV:
        rc = recv(s, buf, sizeof buf, 0);
        break;
    case OP_OPTIONS: {
        int v = 8192 + (int)(rng_next(rng) % 4) * 4096, len = sizeof v;
        rc = setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&v, sizeof v);
        if (rc == 0)
            rc = getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&v, &len);
        break;
    }
    case OP_EVENT_SELECT: {
        WSANETWORKEVENTS ne;
        rc = WSAEventSelect(s, event, FD_READ | FD_WRITE | FD_CLOSE);
        if (rc == 0)
            rc = WSAEnumNetworkEvents(s, event, &ne);
        /* Event selection leaves the socket non-blocking: nothing to undo. */
        break;
    }
    case OP_SELECT: {
        fd_set r, w;
        FD_ZERO(&r);
        FD_ZERO(&w);
        for (int i = 0; i < 8; i++) {
            FD_SET(sockets[rng_next(rng) % SOCKETS], &r);
            FD_SET(sockets[rng_next(rng) % SOCKETS], &w);
        }
        struct timeval tv = {0, 0};
        rc = select(0, &r, &w, NULL, &tv) == SOCKET_ERROR ? SOCKET_ERROR : 0;
        break;
    }
    case OP_FIONREAD: {
        u_long n = 0;
        rc = ioctlsocket(s, FIONREAD, &n);
        break;
    }
    case OP_DUPLICATE: {
        WSAPROTOCOL_INFOW info;
        rc = WSADuplicateSocketW(s, GetCurrentProcessId(), &info);
        if (rc == 0) {
            SOCKET d = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
            rc = d == INVALID_SOCKET ? SOCKET_ERROR : closesocket(d);
        }
        break;
    }
    case OP_NAMES: {
        struct sockaddr_in a;
        int len = sizeof a;
        rc = getsockname(s, (struct sockaddr *)&a, &len);
        len = sizeof a;
        if (rc == 0)
            rc = getpeername(s, (struct sockaddr *)&a, &len);
        break;
    }
    case OP_OVERLAPPED_SEND:
    default: {
        WSAOVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        ov.hEvent = event;
        WSABUF b = {1 + rng_next(rng) % 64, buf};
        DWORD sent = 0, flags = 0;
        rc = WSASend(s, &b, 1, &sent, 0, &ov, NULL);
        if (rc == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING)
            rc = WSAGetOverlappedResult(s, &ov, &sent, TRUE, &flags) ? 0 : SOCKET_ERROR;
        break;
    }
    }
    if (rc == SOCKET_ERROR)
        soak_error(op);
    InterlockedIncrement64(&ops[op]);
}

/* SOAK_ONLY=K in the environment: only operations of kind K (0..8, in the
 * order printed), to find which one a growth comes with. */
static int soak_only = -1;

static DWORD WINAPI soak_worker(void *arg)
{
    uint32_t rng = (uint32_t)(uintptr_t)arg * 2654435761u + GetCurrentProcessId();
    WSAEVENT event = WSACreateEvent();
    while (!stop)
        soak_one(soak_only >= 0 ? (op_kind)soak_only : (op_kind)(rng_next(&rng) % OP_KINDS), &rng, event);
    WSACloseEvent(event);
    return 0;
}

/* The handles open in the process: each possible value asked about. */
static DWORD soak_handles(void)
{
    DWORD n = 0, flags = 0;
    for (uintptr_t h = 4; h < 0x10000; h += 4)
        n += GetHandleInformation((HANDLE)h, &flags) ? 1 : 0;
    return n;
}

/* This process's threads: the thread pool's grow and shrink with the load,
 * and each holds a stack, so a growth of memory is read beside them. */
static DWORD soak_threads(void)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    if (snap == INVALID_HANDLE_VALUE)
        return 0;
    DWORD n = 0, self = GetCurrentProcessId();
    THREADENTRY32 t = {.dwSize = sizeof t};
    for (BOOL more = Thread32First(snap, &t); more; more = Thread32Next(snap, &t))
        n += t.th32OwnerProcessID == self ? 1 : 0;
    CloseHandle(snap);
    return n;
}

static SIZE_T soak_private_bytes(void)
{
    PROCESS_MEMORY_COUNTERS_EX m;
    memset(&m, 0, sizeof m);
    m.cb = sizeof m;
    if (!GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&m, sizeof m))
        return 0;
    /* Wine leaves PrivateUsage 0; the commit charge says the same there. */
    return m.PrivateUsage != 0 ? m.PrivateUsage : m.PagefileUsage;
}

/* Runs the threads for the time given and prints this process's figures. */
static void soak_run(const char *who, DWORD ms)
{
    HANDLE threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        threads[i] = CreateThread(NULL, 0, soak_worker, (void *)(uintptr_t)(i + 1), 0, NULL);
    Sleep(ms < WARM_UP_MS ? ms / 2 : WARM_UP_MS);
    DWORD handles0 = soak_handles(), threads0 = soak_threads();
    SIZE_T mem0 = soak_private_bytes();
    LONG64 ops0 = 0;
    for (int k = 0; k < OP_KINDS; k++)
        ops0 += ops[k];
    Sleep(ms < WARM_UP_MS ? ms / 2 : ms - WARM_UP_MS);
    DWORD handles1 = soak_handles(), threads1 = soak_threads();
    SIZE_T mem1 = soak_private_bytes();
    stop = 1;
    WaitForMultipleObjects(THREADS, threads, TRUE, INFINITE);
    for (int i = 0; i < THREADS; i++)
        CloseHandle(threads[i]);
    LONG64 total = 0;
    for (int k = 0; k < OP_KINDS; k++)
        total += ops[k];
    printf("%s (pid %lu): %lld operations in %lu s (%lld after the warm-up)\n", who,
           (unsigned long)GetCurrentProcessId(), (long long)total, (unsigned long)(ms / 1000),
           (long long)(total - ops0));
    for (int k = 0; k < OP_KINDS; k++)
        printf("  %-22s %12lld\n", op_names[k], (long long)ops[k]);
    printf("  errors by code:");
    for (int e = 0; e < ERROR_CODES; e++) {
        if (errors[e] != 0)
            printf(" %d x%ld", e, (long)errors[e]);
    }
    printf("\n  unexpected errors: %ld\n", (long)unexpected);
    printf("  handles after the warm-up %lu, at the end %lu (%+ld)\n", (unsigned long)handles0,
           (unsigned long)handles1, (long)handles1 - (long)handles0);
    printf("  threads after the warm-up %lu, at the end %lu\n", (unsigned long)threads0, (unsigned long)threads1);
    printf("  private memory after the warm-up %.1f MiB, at the end %.1f MiB (%+.1f KiB)\n", mem0 / 1048576.0,
           mem1 / 1048576.0, ((double)mem1 - (double)mem0) / 1024.0);
    fflush(stdout);
}

static bool base_only;

/* Every socket is still ShareLSP's, and counted its traffic. */
static int soak_check(void)
{
    int bad = 0;
    if (base_only)
        return 0;
    for (int i = 0; i < SOCKETS; i++) {
        sharelsp_stats st;
        int len = sizeof st;
        if (getsockopt(sockets[i], SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, &len) != 0)
            bad++;
    }
    if (bad != 0)
        printf("  %d sockets no longer answer ShareLSP's statistics\n", bad);
    return bad;
}

static int soak_child(DWORD ms)
{
    base_only = getenv("SOAK_BASE_ONLY") != NULL;
    WSADATA data;
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return 2;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    for (int i = 0; i < SOCKETS; i++) {
        WSAPROTOCOL_INFOW info;
        DWORD got = 0;
        if (!ReadFile(in, &info, sizeof info, &got, NULL) || got != sizeof info)
            return 2;
        sockets[i] = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
        if (sockets[i] == INVALID_SOCKET) {
            printf("child: duplicate %d refused: %d\n", i, WSAGetLastError());
            return 2;
        }
    }
    soak_run("child", ms);
    int bad = soak_check();
    for (int i = 0; i < SOCKETS; i++)
        closesocket(sockets[i]);
    WSACleanup();
    return bad != 0 || unexpected != 0;
}

static HANDLE soak_start_child(DWORD seconds, HANDLE *to_child)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE read_end, write_end;
    if (!CreatePipe(&read_end, &write_end, &sa, 0))
        return NULL;
    SetHandleInformation(write_end, HANDLE_FLAG_INHERIT, 0);
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 32];
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    _snwprintf(cmd, MAX_PATH + 32, L"\"%ls\" %lu child", exe, (unsigned long)seconds);
    STARTUPINFOW si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES};
    si.hStdInput = read_end;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    CloseHandle(read_end);
    if (!ok) {
        CloseHandle(write_end);
        return NULL;
    }
    CloseHandle(pi.hThread);
    *to_child = write_end;
    return pi.hProcess;
}

int main(int argc, char **argv)
{
    DWORD seconds = argc > 1 ? (DWORD)strtoul(argv[1], NULL, 10) : 600;
    if (seconds == 0)
        seconds = 600;
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *only = getenv("SOAK_ONLY");
    if (only != NULL && atoi(only) >= 0 && atoi(only) < OP_KINDS)
        soak_only = atoi(only);
    if (argc > 2 && strcmp(argv[2], "child") == 0)
        return soak_child(seconds * 1000);

    WCHAR catalog[MAX_PATH], dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(catalog, MAX_PATH, L"%lssharelsp-soak-%lu.catalog", dir, (unsigned long)GetCurrentProcessId());
    catalog_files_delete(catalog);
    SetEnvironmentVariableW(L"WSPHOST_CATALOG", catalog); /* the child inherits it */
    WSADATA data;
    /* SOAK_BASE_ONLY=1: the same run over the base provider alone, the
     * baseline a growth is compared with. */
    base_only = getenv("SOAK_BASE_ONLY") != NULL;
    if ((!base_only && wine_install_sharelsp(NULL, NULL, NULL) != 0) || WSAStartup(MAKEWORD(2, 2), &data) != 0) {
        printf("could not install ShareLSP or start Winsock\n");
        return 2;
    }
    for (int i = 0; i < SOCKETS; i += 2)
        wine_tcp_pair(&sockets[i], &sockets[i + 1]);
    u_long on = 1;
    for (int i = 0; i < SOCKETS; i++) {
        if (sockets[i] == INVALID_SOCKET || ioctlsocket(sockets[i], FIONBIO, &on) != 0) {
            printf("socket %d could not be made\n", i);
            return 2;
        }
    }
    if (soak_check() != 0)
        return 2;
    printf("soak: %d sockets through %s shared by two processes, %d threads each, %lu s\n", SOCKETS,
           base_only ? "the base provider alone" : "ShareLSP", THREADS, (unsigned long)seconds);
    HANDLE to_child = NULL;
    HANDLE child = soak_start_child(seconds, &to_child);
    if (child == NULL) {
        printf("could not start the child\n");
        return 2;
    }
    DWORD child_pid = GetProcessId(child);
    for (int i = 0; i < SOCKETS; i++) {
        WSAPROTOCOL_INFOW info;
        DWORD put = 0;
        if (WSADuplicateSocketW(sockets[i], child_pid, &info) != 0 ||
            !WriteFile(to_child, &info, sizeof info, &put, NULL)) {
            printf("duplicating socket %d failed: %d\n", i, WSAGetLastError());
            return 2;
        }
    }
    CloseHandle(to_child);
    soak_run("parent", seconds * 1000);
    DWORD child_status = 1;
    WaitForSingleObject(child, INFINITE);
    GetExitCodeProcess(child, &child_status);
    CloseHandle(child);
    int bad = soak_check();
    for (int i = 0; i < SOCKETS; i++)
        closesocket(sockets[i]);
    WSACleanup();
    catalog_files_delete(catalog);
    printf("soak: child exit status %lu; %s\n", (unsigned long)child_status,
           bad == 0 && unexpected == 0 && child_status == 0 ? "no unexpected error" : "UNEXPECTED ERRORS");
    return bad != 0 || unexpected != 0 || child_status != 0;
}

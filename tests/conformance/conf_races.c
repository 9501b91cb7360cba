/* Eight threads race send, recv, closesocket, WSAEventSelect,
 * WSADuplicateSocket and setsockopt on a shared pool of 64 UDP sockets,
 * closes racing use (issue 13). Each socket has one owner that closes it
 * (the thread that takes it out of its slot), so every close must succeed:
 * a WSAENOTSOCK there means the socket was closed, or forgotten, under its
 * owner by a close of another socket whose handle value it reused. Every
 * other call either works on a socket of the pool (or a duplicate of one)
 * or fails with an error a close racing it explains.
 *
 * A round ends when half the pool is closed; the empty slots are filled
 * between rounds, while no thread runs. New sockets made while closed
 * handle values are still being used would let those uses land on a socket
 * half made (Wine's ws2_32 then answers WSAEINVAL, or a receive waits on a
 * socket the pool never sees): the program's own race, not the one tested.
 * The duplicates restored during a round are whole sockets from the start.
 *
 * A watchdog ends the program with a failure, naming what each thread was
 * doing, instead of hanging. CONF_RACES_ROUNDS sets the rounds (default 8).
 *
 * WSAEventSelect races the closes only with CONF_RACES_EVENT_SELECT=1: Wine
 * 8.0's wineserver itself aborts in about one run in eight then, with Wine's
 * ws2_32 alone as through wsphost (server/sock.c:1331, sock_poll_event:
 * Assertion `sock->obj.ops == &sock_ops'; 3 runs of 25 against ws2_32, none
 * of 25 without WSAEventSelect), and every later Wine program of the run
 * would wait for the dead server. */
#include "conformance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { POOL = 64, THREADS = 8, ROUND_MS = 500, WATCHDOG_MS = 20000 };

/* A slot holds a socket, or EMPTY once its owner took it out to close it. */
#define SLOT_EMPTY ((LONG_PTR)INVALID_SOCKET)

typedef enum { OP_SEND, OP_RECV, OP_CLOSE, OP_EVENT_SELECT, OP_DUPLICATE, OP_SETSOCKOPT, OP_COUNT } op_kind;

static const char *const op_names[OP_COUNT] = {"send", "recv", "closesocket", "WSAEventSelect", "WSADuplicateSocket",
                                               "setsockopt"};

static volatile LONG_PTR pool[POOL];
static volatile LONG stop;
static volatile LONG closed; /* in this round */

/* The slot's value, replaced by to if it was from (pointer-sized, so the
 * x86 build works too). */
static LONG_PTR slot_swap(int slot, LONG_PTR from, LONG_PTR to)
{
    return (LONG_PTR)InterlockedCompareExchangePointer((PVOID volatile *)&pool[slot], (PVOID)to, (PVOID)from);
}

typedef struct worker {
    unsigned seed;
    HANDLE event;
    volatile LONG op;   /* what it is doing, for the watchdog */
    volatile LONG slot;
    LONG calls[OP_COUNT];
    LONG open_errors[OP_COUNT];     /* on a socket open throughout: no data, would block */
    LONG notsock[OP_COUNT], other[OP_COUNT]; /* racing a close */
    char failure[160]; /* the first unexplained result */
} worker;

static worker workers[THREADS];

static void worker_fail(worker *w, const char *what, int result, int error)
{
    if (w->failure[0] == '\0')
        snprintf(w->failure, sizeof w->failure, "%s returned %d, error %d (slot %ld)", what, result, error, w->slot);
}

/* A UDP socket on the loopback, connected to itself: a send comes back to
 * its own recv. A receive with nothing to read waits 10 ms at most
 * (SO_RCVTIMEO), so threads keep calling rather than wait for a close. */
static SOCKET pool_socket(void)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (s == INVALID_SOCKET)
        return INVALID_SOCKET;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof a;
    DWORD timeout = 10;
    if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout) != 0 ||
        bind(s, (struct sockaddr *)&a, len) != 0 || getsockname(s, (struct sockaddr *)&a, &len) != 0 ||
        connect(s, (struct sockaddr *)&a, len) != 0) {
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

static unsigned next_random(worker *w)
{
    w->seed = w->seed * 1103515245u + 12345u;
    return w->seed >> 8;
}

/* The closer takes the socket out of its slot, so it alone closes it. */
static void race_close(worker *w, int slot)
{
    LONG_PTR v = pool[slot];
    if (v == SLOT_EMPTY || slot_swap(slot, v, SLOT_EMPTY) != v)
        return; /* closed already, or another closer took it first */
    int r = closesocket((SOCKET)v);
    if (r != 0)
        worker_fail(w, "closesocket of a socket its owner took out of the pool", r, WSAGetLastError());
    if (InterlockedIncrement(&closed) >= POOL / 2)
        InterlockedExchange(&stop, 1);
}

/* Was the slot's socket open from before the call until after it? Its
 * owner takes it out of the slot before closing it. */
static bool race_open_throughout(int slot, LONG_PTR v) { return pool[slot] == v; }

/* A duplicate into this process, restored and closed by this thread. A
 * close racing the duplication can leave an info that names no socket
 * (Wine's ws2_32 opens the target process after it has checked the socket,
 * and the process handle can take the closed socket's value), so the info
 * is checked only when the socket stayed open. */
static int race_duplicate(worker *w, int slot, SOCKET s)
{
    WSAPROTOCOL_INFOW info;
    int r = WSADuplicateSocketW(s, GetCurrentProcessId(), &info);
    if (r != 0)
        return r;
    bool whole = race_open_throughout(slot, (LONG_PTR)s);
    SOCKET d = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    if (d == INVALID_SOCKET) {
        if (whole)
            worker_fail(w, "WSASocketW of a duplicate's info", -1, WSAGetLastError());
        return 0;
    }
    r = closesocket(d);
    if (r != 0 && whole)
        worker_fail(w, "closesocket of a restored duplicate", r, WSAGetLastError());
    return 0;
}

/* One call on a socket of the pool; its result: 0 or SOCKET_ERROR. */
static int race_call(worker *w, op_kind op, int slot, SOCKET s)
{
    char buf[64];
    switch (op) {
    case OP_SEND: {
        int n = 1 + (int)(next_random(w) % sizeof buf);
        memset(buf, 'r', sizeof buf);
        int r = send(s, buf, n, 0);
        if (r != SOCKET_ERROR && r != n)
            worker_fail(w, "send of n bytes", r, n);
        return r == SOCKET_ERROR ? SOCKET_ERROR : 0;
    }
    case OP_RECV: {
        /* Blocking (for SO_RCVTIMEO at most) unless an event selection
         * made the socket non-blocking; a close ends it. */
        int r = recv(s, buf, sizeof buf, 0);
        if (r == 0)
            worker_fail(w, "recv on a datagram socket", r, 0);
        return r == SOCKET_ERROR ? SOCKET_ERROR : 0;
    }
    case OP_EVENT_SELECT:
        return WSAEventSelect(s, w->event, (next_random(w) & 1) ? FD_READ | FD_WRITE : 0);
    case OP_DUPLICATE:
        return race_duplicate(w, slot, s);
    case OP_SETSOCKOPT: {
        int size = 8192 + (int)(next_random(w) % 4) * 4096;
        return setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&size, sizeof size);
    }
    default:
        return 0;
    }
}

/* The errors of a call on a socket that stayed open: a receive that found
 * nothing (WSAETIMEDOUT after SO_RCVTIMEO; WSAEWOULDBLOCK once an event
 * selection made the socket non-blocking), a send the full loopback
 * refused (WSAEWOULDBLOCK, non-blocking). Nothing else. */
static bool race_error_of_open(op_kind op, int error)
{
    if (op == OP_RECV)
        return error == WSAETIMEDOUT || error == WSAEWOULDBLOCK;
    if (op == OP_SEND)
        return error == WSAEWOULDBLOCK;
    return false;
}

/* And of a call a close raced: the handle is gone (WSAENOTSOCK), or names
 * for a moment an object that is not a socket (the process handle another
 * thread's duplication opens: WSAENOTSOCK too); a receive the close ended
 * (Wine's ws2_32 says WSAEINTR or WSAEINVAL, Windows WSAEINTR); a send the
 * close cancelled while it was under way (WSAEINTR: ShareLSP cancels the
 * calls inside the lower provider before its lower close, as closesocket
 * cancels blocking calls on Windows). */
static bool race_error_of_closed(op_kind op, int error)
{
    if (race_error_of_open(op, error) || error == WSAENOTSOCK)
        return true;
    if (op == OP_SEND)
        return error == WSAEINTR;
    return op == OP_RECV && (error == WSAEINTR || error == WSAEINVAL || error == WSAECONNABORTED);
}

static const char *race_raced_name(op_kind op)
{
    static const char *const names[OP_COUNT] = {"send racing a close", "recv racing a close", "",
                                                "WSAEventSelect racing a close",
                                                "WSADuplicateSocket racing a close", "setsockopt racing a close"};
    return names[op];
}

static bool event_select_races; /* CONF_RACES_EVENT_SELECT=1, above */

static DWORD WINAPI race_thread(LPVOID arg)
{
    worker *w = arg;
    while (!InterlockedCompareExchange(&stop, 0, 0)) {
        unsigned r = next_random(w);
        int slot = (int)(r % POOL);
        unsigned pick = (r / POOL) % 100;
        op_kind op = pick < 20   ? OP_SEND
                     : pick < 35 ? OP_RECV
                     : pick < 50 ? OP_CLOSE
                     : pick < 65 ? OP_EVENT_SELECT
                     : pick < 80 ? OP_DUPLICATE
                                 : OP_SETSOCKOPT;
        if (op == OP_EVENT_SELECT && !event_select_races)
            op = OP_SETSOCKOPT;
        InterlockedExchange(&w->slot, slot);
        InterlockedExchange(&w->op, op);
        w->calls[op]++;
        if (op == OP_CLOSE) {
            race_close(w, slot);
            continue;
        }
        LONG_PTR v = pool[slot];
        if (v == SLOT_EMPTY)
            continue;
        /* The socket may be closed by its owner from here on. */
        WSASetLastError(0);
        if (race_call(w, op, slot, (SOCKET)v) != SOCKET_ERROR)
            continue;
        int error = WSAGetLastError();
        bool open = race_open_throughout(slot, v);
        if (open)
            w->open_errors[op]++;
        else if (error == WSAENOTSOCK)
            w->notsock[op]++;
        else
            w->other[op]++;
        if (open ? !race_error_of_open(op, error) : !race_error_of_closed(op, error))
            worker_fail(w, open ? op_names[op] : race_raced_name(op), SOCKET_ERROR, error);
    }
    InterlockedExchange(&w->op, -1);
    return 0;
}

/* Failing the test from here, not hanging: a thread that did not end is
 * stuck in a call (its name and slot printed); cleanup would wait for it.
 * A receive waits 10 ms at most, so 20 s is a hang. */
static void race_watchdog(HANDLE *threads)
{
    DWORD waited = WaitForMultipleObjects(THREADS, threads, TRUE, WATCHDOG_MS);
    if (waited < WAIT_OBJECT_0 + THREADS)
        return;
    for (int i = 0; i < THREADS; i++) {
        LONG op = workers[i].op;
        if (op >= 0)
            fprintf(stderr, "conf_races: thread %d stuck in %s on slot %ld\n", i, op_names[op], workers[i].slot);
    }
    fprintf(stderr, "conf_races: hang: threads still running %d s after the round ended\n", WATCHDOG_MS / 1000);
    fflush(stderr);
    TerminateProcess(GetCurrentProcess(), 4);
}

static void closes_race_use_on_a_shared_pool(void **state)
{
    (void)state;
    const char *env = getenv("CONF_RACES_ROUNDS");
    int rounds = env != NULL ? atoi(env) : 8;
    env = getenv("CONF_RACES_EVENT_SELECT");
    event_select_races = env != NULL && strcmp(env, "1") == 0;
    LONG totals[OP_COUNT] = {0}, open_errors[OP_COUNT] = {0}, notsock[OP_COUNT] = {0}, other[OP_COUNT] = {0};
    for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < POOL; i++) {
            if (pool[i] != SLOT_EMPTY && round > 0)
                continue;
            SOCKET s = pool_socket();
            assert_true(s != INVALID_SOCKET);
            pool[i] = (LONG_PTR)s;
        }
        stop = 0;
        closed = 0;
        HANDLE threads[THREADS];
        for (int i = 0; i < THREADS; i++) {
            memset(&workers[i], 0, sizeof workers[i]);
            workers[i].seed = (unsigned)(GetTickCount() * 31u + (unsigned)round * 977u + (unsigned)i * 7919u);
            workers[i].event = WSACreateEvent();
            assert_true(workers[i].event != WSA_INVALID_EVENT);
            threads[i] = CreateThread(NULL, 0, race_thread, &workers[i], 0, NULL);
            assert_non_null(threads[i]);
        }
        /* Half the pool closed ends the round, or the time. */
        for (int waited = 0; waited < ROUND_MS && !InterlockedCompareExchange(&stop, 0, 0); waited += 10)
            Sleep(10);
        InterlockedExchange(&stop, 1);
        race_watchdog(threads);
        for (int i = 0; i < THREADS; i++) {
            CloseHandle(threads[i]);
            WSACloseEvent(workers[i].event);
            if (workers[i].failure[0] != '\0')
                fail_msg("round %d, thread %d: %s", round, i, workers[i].failure);
            for (int k = 0; k < OP_COUNT; k++) {
                totals[k] += workers[i].calls[k];
                open_errors[k] += workers[i].open_errors[k];
                notsock[k] += workers[i].notsock[k];
                other[k] += workers[i].other[k];
            }
        }
    }
    for (int i = 0; i < POOL; i++) {
        if (pool[i] != SLOT_EMPTY)
            assert_int_equal(closesocket((SOCKET)pool[i]), 0);
        pool[i] = SLOT_EMPTY;
    }
    for (int k = 0; k < OP_COUNT; k++) {
        printf("conf_races: %-18s %6ld calls; open: %5ld errors; racing a close: %5ld WSAENOTSOCK, %5ld other\n",
               op_names[k], totals[k], open_errors[k], notsock[k], other[k]);
        assert_true(rounds == 0 || totals[k] > 0 || (k == OP_EVENT_SELECT && !event_select_races));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(closes_race_use_on_a_shared_pool),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}

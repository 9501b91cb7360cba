/* Every lower failure survived: ShareLSP over faulty.dll (wspbase whose
 * entry points fail on demand), each entry point ShareLSP forwards made to
 * fail once (faults_cases.c), at once or pending then failing. For each:
 * the application gets the lower error exactly; ShareLSP's state is as it
 * was (the shared counters, descriptors open, the registration still the
 * one heard from); the socket works once the fault has passed. The whole
 * sweep leaves the process's handles and heap as they were, and runs in a
 * duplicate's target too; a duplication refused at either end changes
 * nothing in the source's counts and leaves the target none of ShareLSP's
 * handles. */
#define UNICODE
#include "faults.h"
#include "handle_count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static GUID faulty_guid = {0x3c0d4e1f, 0x2a5b, 0x4c6d, {0x9e, 0x8f, 0x70, 0x61, 0x52, 0x43, 0x34, 0x25}};
static WSAPROTOCOL_INFOW chain; /* ShareLSP over faulty, TCP over IPv4 */

/* faulty's TCP/IPv4 entry, from wspbase's, then ShareLSP over it alone
 * (placed first, so socket(AF_INET, SOCK_STREAM, 0) takes it). */
static int start(void **state)
{
    (void)state;
    return spi_start_over_base(&faulty_guid, L"faulty.dll", SOCK_STREAM, &chain);
}

/* faulty's controls; ShareLSP loads it with the first socket. */
static bool faults_load_controls(faulty_controls *f)
{
    SOCKET first = socket(AF_INET, SOCK_STREAM, 0);
    if (first == INVALID_SOCKET || closesocket(first) != 0)
        return false;
    return faulty_controls_find(f);
}

static faulty_controls faults_controls(void)
{
    faulty_controls f;
    assert_true(faults_load_controls(&f));
    return f;
}

/* The bytes allocated in every heap of the process. */
static size_t faults_heap_bytes(void)
{
    HANDLE heaps[64];
    DWORD n = GetProcessHeaps(64, heaps);
    assert_true(n > 0 && n <= 64);
    size_t total = 0;
    for (DWORD i = 0; i < n; i++) {
        PROCESS_HEAP_ENTRY e = {0};
        HeapLock(heaps[i]);
        while (HeapWalk(heaps[i], &e)) {
            if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY)
                total += e.cbData;
        }
        HeapUnlock(heaps[i]);
    }
    return total;
}

/* No handle more than before. One open before may have closed since (a
 * request's handle kept until its completion, a thread's exit), which is
 * no leak. */
static void faults_no_more_handles(DWORD before)
{
    DWORD now = handle_count();
    if (now > before)
        print_error("%lu handles, %lu before\n", (unsigned long)now, (unsigned long)before);
    assert_true(now <= before);
}

/* Forgets what the registration said so far: the next notice is news. */
static void faults_drain(fault_sweep *x)
{
    MSG m;
    while (PeekMessageW(&m, x->window, FAULT_MESSAGE, FAULT_MESSAGE, PM_REMOVE))
        ;
    WSANETWORKEVENTS ne;
    if (x->event != NULL)
        assert_int_equal(WSAEnumNetworkEvents(x->s, x->event, &ne), 0);
}

/* The registration's FD_READ for s, within 5 s. */
static void faults_heard(fault_sweep *x)
{
    if (x->event != NULL) {
        assert_int_equal(WaitForSingleObject(x->event, 5000), WAIT_OBJECT_0);
        WSANETWORKEVENTS ne;
        assert_int_equal(WSAEnumNetworkEvents(x->s, x->event, &ne), 0);
        assert_int_equal(ne.lNetworkEvents, FD_READ);
        assert_int_equal(ne.iErrorCode[FD_READ_BIT], 0);
        return;
    }
    MSG m;
    bool heard = false;
    DWORD begin = GetTickCount();
    while (!heard && GetTickCount() - begin < 5000) {
        heard = PeekMessageW(&m, x->window, FAULT_MESSAGE, FAULT_MESSAGE, PM_REMOVE);
        if (!heard)
            Sleep(10);
    }
    assert_true(heard);
    assert_true(m.wParam == (WPARAM)x->s);
    assert_int_equal(WSAGETSELECTEVENT(m.lParam), FD_READ);
    assert_int_equal(WSAGETSELECTERROR(m.lParam), 0);
}

/* The socket works and its registration is heard from: data from the
 * peer brings FD_READ for s and is received, and data goes back. */
static void faults_still_works(fault_sweep *x)
{
    faults_drain(x);
    assert_int_equal(send(x->c, "w", 1, 0), 1);
    faults_heard(x);
    char b = 0;
    assert_int_equal(recv(x->s, &b, 1, 0), 1);
    assert_int_equal(b, 'w');
    assert_int_equal(send(x->s, "v", 1, 0), 1);
    assert_int_equal(recv(x->c, &b, 1, 0), 1);
    assert_int_equal(b, 'v');
}

/* One case: the fault reaches the application, changes nothing, and has
 * passed. */
static void faults_run_case(fault_sweep *x, const fault_case *k)
{
    int error = k->pend ? FAULT_LATER : FAULT_NOW;
    sharelsp_stats before = spi_stats(x->s);
    LONG fired = x->faulty.fired();
    x->faulty.arm(k->entry, 1, error, k->pend);
    int got = k->provoke(x);
    x->faulty.clear();
    if (got != error || x->faulty.fired() != fired + 1)
        print_error("%s%s: error %d, fired %ld\n", k->entry, k->pend ? " (pending)" : "", got,
                    (long)(x->faulty.fired() - fired));
    assert_int_equal(got, error);
    assert_int_equal(x->faulty.fired(), fired + 1);
    sharelsp_stats after = spi_stats(x->s);
    assert_memory_equal(&after, &before, sizeof before);
    faults_still_works(x);
}

/* Every case; with heap, each leaves the heap as it found it too. A case
 * whose heap grew runs again, up to three times: what it leaks, it leaks
 * every time, while a block another thread of the platform takes at that
 * moment (the thread pool growing under load) is not taken again. Cases
 * that make sockets are not compared: creating and closing sockets keeps a
 * block of the platform's now and then with no fault at all (socket, bind
 * and close in a loop does it too). */
static void faults_sweep_once(fault_sweep *x, bool heap)
{
    for (size_t i = 0; i < fault_case_count; i++) {
        const fault_case *k = &fault_cases[i];
        size_t before = 0, after = 0;
        int runs = 0;
        do {
            before = faults_heap_bytes();
            faults_run_case(x, k);
            after = faults_heap_bytes();
        } while (heap && !k->makes_sockets && after != before && ++runs < 3);
        if (heap && !k->makes_sockets && after != before) {
            print_error("%s%s: heap %lu, was %lu\n", k->entry, k->pend ? " (pending)" : "", (unsigned long)after,
                        (unsigned long)before);
            fail();
        }
    }
}

/* Once to warm up (the hidden window's thread, the thread pool, the
 * heaps' first blocks), then again: the handles as they were. */
static void faults_sweep(fault_sweep *x)
{
    if (x->event != NULL)
        assert_int_equal(WSAEventSelect(x->s, x->event, FD_READ), 0);
    else
        assert_int_equal(WSAAsyncSelect(x->s, x->window, FAULT_MESSAGE, FD_READ), 0);
    faults_sweep_once(x, false);
    DWORD handles = handle_count();
    faults_sweep_once(x, true);
    faults_no_more_handles(handles);
}

static HWND faults_window(void)
{
    HWND w = CreateWindowExW(0, L"STATIC", L"faults", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    assert_non_null(w);
    return w;
}

/* A socket's block moves into a section (a section and a lock: two
 * handles, for the socket's life) at its first registration or
 * duplication into another process: done beforehand, so that the handle
 * counts around a duplication compare. The socket stays blocking. */
static void faults_share_block(SOCKET s)
{
    WSAEVENT ev = WSACreateEvent();
    assert_int_equal(WSAEventSelect(s, ev, FD_READ), 0);
    assert_int_equal(WSAEventSelect(s, NULL, 0), 0);
    WSACloseEvent(ev);
    u_long blocking = 0;
    assert_int_equal(ioctlsocket(s, FIONBIO, &blocking), 0);
}

/* The process duplications go to: a child that counts its handles, says
 * so, and waits for a byte; its exit code is the handles it has more (120
 * and up: it failed). */
static int child_idle(DWORD parent)
{
    HANDLE pipe;
    char byte;
    DWORD got = 0;
    if (!spi_child_pipe(parent, &pipe))
        return 120;
    DWORD handles = handle_count();
    if (!WriteFile(pipe, "r", 1, &got, NULL) || !ReadFile(pipe, &byte, 1, &got, NULL) || got != 1)
        return 121;
    DWORD now = handle_count();
    return now > handles ? (int)(now - handles) : 0;
}

static void every_lower_failure_in_one_process(void **state)
{
    (void)state;
    fault_sweep x = {.chain = chain, .faulty = faults_controls(), .window = faults_window()};
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("idle", 0, &pi, &pipe);
    char ready = 0;
    DWORD n = 0;
    assert_true(ReadFile(pipe, &ready, 1, &n, NULL));
    assert_int_equal(ready, 'r');
    x.other_process = pi.dwProcessId;
    spi_tcp_pair(AF_INET, &x.c, &x.s);
    faults_sweep(&x);
    assert_int_equal(spi_stats(x.s).descriptors_open, 1);
    assert_int_equal(closesocket(x.s), 0);
    assert_int_equal(closesocket(x.c), 0);
    assert_true(WriteFile(pipe, "q", 1, &n, NULL));
    /* The refused duplications into it left it no handle. */
    assert_int_equal(spi_child_wait(&pi, pipe), 0);
    DestroyWindow(x.window);
}

/* The child of the target's sweep: gets both ends of the pair, sweeps with
 * its own descriptors (duplicating into the parent) and an event
 * registration, closes them. */
static void sweep_in_the_target(void **state)
{
    fault_sweep *x = *state;
    x->faulty = faults_controls();
    faults_sweep(x);
    assert_int_equal(spi_stats(x->s).descriptors_open, 2);
    assert_int_equal(closesocket(x->s), 0);
    assert_int_equal(closesocket(x->c), 0);
}

static int child_sweep(DWORD parent)
{
    HANDLE pipe;
    WSAPROTOCOL_INFOW infos[2];
    DWORD got = 0;
    if (!spi_child_pipe(parent, &pipe) || !ReadFile(pipe, infos, sizeof infos, &got, NULL) || got != sizeof infos ||
        !spi_find_chain_over(&faulty_guid, &chain))
        return 20;
    /* Here the registration is an event's: the parent's sweep has the
     * async one. */
    fault_sweep x = {.chain = chain, .other_process = parent, .window = faults_window(), .event = WSACreateEvent()};
    x.c = spi_use_info(&infos[0]);
    x.s = spi_use_info(&infos[1]);
    if (x.c == INVALID_SOCKET || x.s == INVALID_SOCKET)
        return 21;
    const struct CMUnitTest tests[] = {cmocka_unit_test_prestate(sweep_in_the_target, &x)};
    int failed = cmocka_run_group_tests_name("target", tests, NULL, NULL);
    WSACloseEvent(x.event);
    DestroyWindow(x.window);
    CloseHandle(pipe);
    WSACleanup();
    return failed;
}

/* The target of a duplication whose restore fails: the lower provider's
 * WSPSocket refuses the info's lower socket. It counts its handles before
 * the parent duplicates anything into it, and sends back both errors (the
 * refused use, a second use of the same info) and the handles it has more
 * than before. */
static int child_refused(DWORD parent)
{
    HANDLE pipe;
    WSAPROTOCOL_INFOW info;
    DWORD got = 0;
    faulty_controls f;
    if (!spi_child_pipe(parent, &pipe) || !faults_load_controls(&f))
        return 20;
    DWORD handles = handle_count();
    if (!WriteFile(pipe, "r", 1, &got, NULL) || !ReadFile(pipe, &info, sizeof info, &got, NULL) || got != sizeof info)
        return 21;
    WSAPROTOCOL_INFOW again = info;
    int report[3] = {0, 0, 0};
    f.arm("WSPSocket", 1, FAULT_NOW, FALSE);
    if (spi_use_info(&info) == INVALID_SOCKET)
        report[0] = WSAGetLastError();
    f.clear();
    if (spi_use_info(&again) == INVALID_SOCKET)
        report[1] = WSAGetLastError();
    report[2] = (int)(handle_count() - handles);
    if (!WriteFile(pipe, report, sizeof report, &got, NULL))
        return 22;
    CloseHandle(pipe);
    return WSACleanup() == 0 ? 0 : 23;
}

/* A duplication refused in the source (WSPDuplicateSocket) or in the
 * target (WSPSocket, restoring the lower socket there): the application
 * gets the lower error, and nothing changes here. */
static void refused_duplications_change_nothing_here(void **state)
{
    (void)state;
    faulty_controls f = faults_controls();
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    faults_share_block(s);
    WSAPROTOCOL_INFOW info;
    DWORD without_child = handle_count();
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("refused", 0, &pi, &pipe);
    char ready = 0;
    DWORD n = 0;
    assert_true(ReadFile(pipe, &ready, 1, &n, NULL));
    assert_int_equal(ready, 'r');
    sharelsp_stats before = spi_stats(s);
    DWORD handles = handle_count();

    f.arm("WSPDuplicateSocket", 1, FAULT_NOW, FALSE);
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), FAULT_NOW);
    f.clear();
    faults_no_more_handles(handles);
    sharelsp_stats after = spi_stats(s);
    assert_memory_equal(&after, &before, sizeof before);

    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &info), 0);
    assert_true(WriteFile(pipe, &info, sizeof info, &n, NULL));
    int report[3];
    assert_true(ReadFile(pipe, report, sizeof report, &n, NULL));
    assert_int_equal(n, sizeof report);
    assert_int_equal(report[0], FAULT_NOW);
    /* The ticket was taken before the lower provider refused: used up. */
    assert_int_equal(report[1], WSAEINVAL);
    /* In the target, ShareLSP took back what the refused duplication gave
     * and closed what the refused restore brought (the ticket, the block's
     * section, the lock); the one handle more, at most, is the lower
     * provider's own duplicate, which only it could restore. */
    assert_true(report[2] <= 1);
    assert_int_equal(spi_child_wait(&pi, pipe), 0);
    after = spi_stats(s);
    assert_memory_equal(&after, &before, sizeof before);
    faults_no_more_handles(without_child);
    char b = 0;
    assert_int_equal(send(c, "d", 1, 0), 1);
    assert_int_equal(recv(s, &b, 1, 0), 1);
    assert_int_equal(b, 'd');
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(c), 0);
}

/* The sweep again in a child that holds duplicates of both ends. */
static void every_lower_failure_in_a_duplicates_target(void **state)
{
    (void)state;
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    faults_share_block(c);
    faults_share_block(s);
    DWORD handles = handle_count();
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("sweep", 0, &pi, &pipe);
    WSAPROTOCOL_INFOW infos[2];
    assert_int_equal(WSADuplicateSocketW(c, pi.dwProcessId, &infos[0]), 0);
    assert_int_equal(WSADuplicateSocketW(s, pi.dwProcessId, &infos[1]), 0);
    DWORD n = 0;
    assert_true(WriteFile(pipe, infos, sizeof infos, &n, NULL));
    assert_int_equal(spi_child_wait(&pi, pipe), 0);
    /* The child's descriptors are gone; its duplicates into this process
     * were refused (the sweep's WSPDuplicateSocket case) and left no
     * descriptor and no handle here. */
    sharelsp_stats st = spi_stats(s);
    assert_int_equal(st.descriptors_open, 1);
    faults_no_more_handles(handles);
    char b = 0;
    assert_int_equal(send(c, "t", 1, 0), 1);
    assert_int_equal(recv(s, &b, 1, 0), 1);
    assert_int_equal(b, 't');
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(c), 0);
}

/* faulty fails the Nth call counted from the arming, once. */
static void the_nth_call_fails_once(void **state)
{
    (void)state;
    faulty_controls f = faults_controls();
    SOCKET c, s;
    spi_tcp_pair(AF_INET, &c, &s);
    f.arm("WSPSend", 3, FAULT_NOW, FALSE);
    assert_int_equal(send(s, "a", 1, 0), 1);
    assert_int_equal(send(s, "b", 1, 0), 1);
    assert_int_equal(send(s, "c", 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), FAULT_NOW);
    assert_int_equal(send(s, "d", 1, 0), 1);
    f.clear();
    char buf[4];
    int got = 0;
    while (got < 3) {
        int r = recv(c, buf + got, sizeof buf - got, 0);
        assert_true(r > 0);
        got += r;
    }
    assert_memory_equal(buf, "abd", 3);
    sharelsp_stats st = spi_stats(s);
    assert_int_equal(st.bytes_sent, 3);
    assert_int_equal(st.calls_sent, 3);
    assert_int_equal(closesocket(s), 0);
    assert_int_equal(closesocket(c), 0);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "idle") == 0)
        return child_idle((DWORD)strtoul(argv[2], NULL, 10));
    if (argc == 4 && strcmp(argv[1], "sweep") == 0)
        return child_sweep((DWORD)strtoul(argv[2], NULL, 10));
    if (argc == 4 && strcmp(argv[1], "refused") == 0)
        return child_refused((DWORD)strtoul(argv[2], NULL, 10));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_nth_call_fails_once),
        cmocka_unit_test(every_lower_failure_in_one_process),
        cmocka_unit_test(refused_duplications_change_nothing_here),
        cmocka_unit_test(every_lower_failure_in_a_duplicates_target),
    };
    return cmocka_run_group_tests(tests, start, spi_stop);
}

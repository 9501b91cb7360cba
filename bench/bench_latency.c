/* bench_chain's async-select latency: a socket registered for FD_WRITE
 * once, then nullbase posts FD_WRITE again (nullbase_post_again, as a
 * provider posts when a socket becomes writable) and notes when; the
 * program's window receives it straight from nullbase, or through
 * ShareLSP, which forwards it. The difference is what ShareLSP adds to
 * every message: the registration's own cost is not in it (bench_ops
 * times WSAEventSelect for that). */
#include "bench_chain.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench_clock.h"

enum { BENCH_LATENCY_ROUNDS = 5, BENCH_LATENCY_POSTS = 200, BENCH_LATENCY_MESSAGE = WM_APP + 1 };

static int bench_compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The next message of s to this thread's window, within a second: the ns
 * from nullbase's last post to its arrival; 0 if none came. */
static double bench_latency_wait(SOCKET s, uint64_t (*posted)(void))
{
    uint64_t deadline = bench_now_ns() + 1000000000u;
    while (bench_now_ns() < deadline) {
        MSG msg;
        if (!PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            MsgWaitForMultipleObjects(0, NULL, FALSE, 100, QS_ALLINPUT);
            continue;
        }
        uint64_t now = bench_now_ns();
        if (msg.message == BENCH_LATENCY_MESSAGE && msg.wParam == (WPARAM)s)
            return (double)(now - posted());
        DispatchMessageW(&msg);
    }
    return 0;
}

int bench_latency(const bench_entries *entries, double median_ns[BENCH_VARIANTS])
{
    HWND window = CreateWindowExW(0, L"STATIC", L"bench_chain", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    SOCKET s[BENCH_VARIANTS];
    for (int v = 0; v < BENCH_VARIANTS; v++)
        s[v] = bench_socket(&entries->info[BENCH_NULL][v]);
    HMODULE null = GetModuleHandleW(L"nullbase.dll");
    uint64_t (*posted)(void) =
        null != NULL ? (uint64_t(*)(void))(void (*)(void))GetProcAddress(null, "nullbase_last_post_ns") : NULL;
    BOOL (*post_again)(void) =
        null != NULL ? (BOOL(*)(void))(void (*)(void))GetProcAddress(null, "nullbase_post_again") : NULL;
    static double samples[BENCH_VARIANTS][BENCH_LATENCY_ROUNDS * BENCH_LATENCY_POSTS];
    int failed = window == NULL || posted == NULL || post_again == NULL || s[0] == INVALID_SOCKET ||
                 s[1] == INVALID_SOCKET;
    for (int r = 0; r < BENCH_LATENCY_ROUNDS && !failed; r++) {
        for (int k = 0; k < BENCH_VARIANTS && !failed; k++) {
            int v = (r + k) % BENCH_VARIANTS;
            /* Registered (nullbase's last registration is this one), and
             * the message the registration itself got taken. */
            failed = WSAAsyncSelect(s[v], window, BENCH_LATENCY_MESSAGE, FD_WRITE) != 0 ||
                     bench_latency_wait(s[v], posted) == 0;
            for (int i = 0; i < BENCH_LATENCY_POSTS && !failed; i++) {
                double ns = post_again() ? bench_latency_wait(s[v], posted) : 0;
                samples[v][r * BENCH_LATENCY_POSTS + i] = ns;
                failed = ns == 0;
            }
        }
    }
    for (int v = 0; v < BENCH_VARIANTS; v++) {
        closesocket(s[v]);
        qsort(samples[v], BENCH_LATENCY_ROUNDS * BENCH_LATENCY_POSTS, sizeof samples[v][0], bench_compare);
        median_ns[v] = samples[v][BENCH_LATENCY_ROUNDS * BENCH_LATENCY_POSTS / 2];
    }
    if (window != NULL)
        DestroyWindow(window);
    if (failed)
        printf("async-select latency: a message did not come\n");
    return failed;
}

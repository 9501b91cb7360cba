/* bench_chain's async-select latency: nullbase posts FD_WRITE as soon as a
 * socket is registered and notes when; the program's window receives it
 * straight from nullbase, or through ShareLSP's hidden window, which
 * forwards it. The difference is what ShareLSP adds to every message. */
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

/* ns from nullbase's post to this thread's window; 0 if none came. */
static double bench_latency_one(SOCKET s, HWND window, uint64_t (*posted)(void))
{
    if (WSAAsyncSelect(s, window, BENCH_LATENCY_MESSAGE, FD_WRITE) != 0)
        return 0;
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
    static double samples[BENCH_VARIANTS][BENCH_LATENCY_ROUNDS * BENCH_LATENCY_POSTS];
    int failed = window == NULL || posted == NULL || s[0] == INVALID_SOCKET || s[1] == INVALID_SOCKET;
    for (int r = 0; r < BENCH_LATENCY_ROUNDS && !failed; r++) {
        for (int k = 0; k < BENCH_VARIANTS && !failed; k++) {
            int v = (r + k) % BENCH_VARIANTS;
            for (int i = 0; i < BENCH_LATENCY_POSTS && !failed; i++) {
                double ns = bench_latency_one(s[v], window, posted);
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

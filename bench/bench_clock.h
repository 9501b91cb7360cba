/* A monotonic clock in nanoseconds for the benchmarks, on both platforms. */
#ifndef SHARELSP_BENCH_CLOCK_H
#define SHARELSP_BENCH_CLOCK_H

#include <stdint.h>

#ifdef _WIN32
#include <windows.h>
static inline uint64_t bench_now_ns(void)
{
    static LARGE_INTEGER frequency;
    LARGE_INTEGER now;
    if (frequency.QuadPart == 0)
        QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&now);
    return (uint64_t)((double)now.QuadPart * 1e9 / (double)frequency.QuadPart);
}
#else
#include <time.h>
static inline uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif

#endif

/* What a call costs through ShareLSP, under Wine through wsphost: TCP
 * ping-pong (one byte each way) and socket open/close, first through
 * wspbase alone, then with ShareLSP layered over it, in the same run.
 * Prints µs per operation (median of 5 runs) and the ratio. Not a test:
 * these machines are shared, so only the ratio within one run means much. */
#define UNICODE
#include <winsock2.h>
#include <ws2spi.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <sharelsp/sharelsp.h>

#include "bench_clock.h"
#include "wine_support.h"

enum { RUNS = 5, PINGS = 2000, OPENS = 500 };

static double median(double *v)
{
    for (int i = 0; i < RUNS; i++)
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    return v[RUNS / 2];
}

/* µs per ping-pong and per open/close, median of RUNS. */
static void measure(double *ping_us, double *open_us)
{
    double p[RUNS], o[RUNS];
    for (int r = 0; r < RUNS; r++) {
        SOCKET c, s;
        wine_tcp_pair(&c, &s);
        char b = 'x';
        uint64_t t0 = bench_now_ns();
        for (int i = 0; i < PINGS; i++) {
            send(c, &b, 1, 0);
            recv(s, &b, 1, 0);
            send(s, &b, 1, 0);
            recv(c, &b, 1, 0);
        }
        p[r] = (double)(bench_now_ns() - t0) / PINGS / 1000.0;
        closesocket(c);
        closesocket(s);
        t0 = bench_now_ns();
        for (int i = 0; i < OPENS; i++)
            closesocket(socket(AF_INET, SOCK_STREAM, 0));
        o[r] = (double)(bench_now_ns() - t0) / OPENS / 1000.0;
    }
    *ping_us = median(p);
    *open_us = median(o);
}

int main(void)
{
    WCHAR catalog[MAX_PATH], dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(catalog, MAX_PATH, L"%lssharelsp-bench-%lu.catalog", dir, (unsigned long)GetCurrentProcessId());
    DeleteFileW(catalog);
    SetEnvironmentVariableW(L"WSPHOST_CATALOG", catalog);
    WSADATA data;
    WSAStartup(MAKEWORD(2, 2), &data);
    double base_ping, base_open, lsp_ping, lsp_open;
    measure(&base_ping, &base_open);
    if (wine_install_sharelsp(NULL, NULL) != 0) {
        printf("could not install ShareLSP\n");
        return 1;
    }
    measure(&lsp_ping, &lsp_open);
    SOCKET probe = socket(AF_INET, SOCK_STREAM, 0);
    sharelsp_stats st;
    int len = sizeof st;
    int through = getsockopt(probe, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, &len) == 0;
    closesocket(probe);
    WSACleanup();
    DeleteFileW(catalog);
    printf("chain cost under Wine (wsphost), median of %d runs; us per operation\n", RUNS);
    printf("%-34s %12s %14s %8s\n", "operation", "wspbase", "ShareLSP+base", "ratio");
    printf("%-34s %12.2f %14.2f %8.2f\n", "TCP ping-pong (4 calls, 1 byte)", base_ping, lsp_ping, lsp_ping / base_ping);
    printf("%-34s %12.2f %14.2f %8.2f\n", "socket() + closesocket()", base_open, lsp_open, lsp_open / base_open);
    printf("second run %s through ShareLSP\n", through ? "went" : "did NOT go");
    return through ? 0 : 1;
}

/* bench_chain: what ShareLSP adds to a call, under Wine through wsphost,
 * over two base providers: nullbase (calls that return at once, so what is
 * left is ShareLSP's own cost) and wspbase (what a program sees). Each
 * figure is measured with and without ShareLSP in the same run, the two
 * interleaved round after round. */
#ifndef SHARELSP_BENCH_CHAIN_H
#define SHARELSP_BENCH_CHAIN_H

#define UNICODE
#define FD_SETSIZE 1024 /* select on 1000 sockets; the host reads fd_count */
#include <winsock2.h>
#include <ws2spi.h>
#include <windows.h>

#include <stdbool.h>
#include <stdint.h>

enum { BENCH_NULL, BENCH_WSPBASE, BENCH_BASES };
enum { BENCH_ALONE, BENCH_LAYERED, BENCH_VARIANTS }; /* without, with ShareLSP */
enum { BENCH_MAX_THREADS = 2, BENCH_SELECT_MAX = 1000 };

/* The catalog entries a socket is made with: [base][variant]. */
typedef struct bench_entries {
    WSAPROTOCOL_INFOW info[BENCH_BASES][BENCH_VARIANTS];
    WSAPROTOCOL_INFOW hookless; /* bench_layer.dll (a close hook only) over nullbase */
} bench_entries;

/* A fresh catalog of this process: wspbase's entries, nullbase's TCP/IPv4
 * entry, ShareLSP over wspbase's TCP/IPv4 entry and over nullbase's, and
 * bench_layer.dll over nullbase's.
 * 0, or what failed (printed). */
int bench_catalog_install(bench_entries *entries);
void bench_catalog_remove(void);

/* nullbase answers as documented, alone and under ShareLSP: 0, or the
 * number of checks that failed (printed). */
int bench_check_nullbase(const bench_entries *entries);

/* The latency an async-select message adds: from nullbase's post to the
 * program's window, ns, median of every registration of every round. 0, or
 * 1 if a message did not come (printed). */
int bench_latency(const bench_entries *entries, double median_ns[BENCH_VARIANTS]);

/* One thread's sockets on one entry: a connected pair (over nullbase one
 * socket plays both ends), a spare socket for options and registrations. */
typedef struct bench_fixture {
    const WSAPROTOCOL_INFOW *info;
    bool null;
    SOCKET sender, receiver, spare;
    WSAEVENT event;
    const SOCKET *select_set; /* BENCH_SELECT_MAX sockets, shared by the threads */
} bench_fixture;

int bench_fixture_open(bench_fixture *f, const WSAPROTOCOL_INFOW *info, bool null, const SOCKET *select_set);
void bench_fixture_close(bench_fixture *f);

/* A socket of the entry, overlapped as socket() makes them. */
SOCKET bench_socket(const WSAPROTOCOL_INFOW *info);

typedef struct bench_op {
    const char *name;
    int select_count;   /* sockets in the set, select only */
    bool forwarded;     /* a call ShareLSP only forwards: the 50 ns goal */
    int iterations[BENCH_BASES];
    /* ns for n calls on f, or 0 if a call failed (printed). */
    uint64_t (*run)(bench_fixture *f, int n);
} bench_op;

extern const bench_op bench_ops[];
extern const int bench_op_count;

/* One row of the results: ns per call, per thread, median of the rounds. */
typedef struct bench_result {
    int base, op, threads, level; /* level 0: few sockets open, 1: many */
    long open; /* sockets open besides the measured ones, per variant */
    double ns[BENCH_VARIANTS];
} bench_result;

/* Does a socket go through ShareLSP (or a layer built on it)? Only
 * ShareLSP knows SOL_SHARELSP. */
bool bench_through_sharelsp(SOCKET s);

/* The median of count values (sorts v). */
double bench_median(double *v, int count);

/* send and recv over nullbase through bench_layer.dll against sharelsp.dll,
 * printed with their ratio and the goal "met" / "NOT met"; 0, or 1 if a
 * call failed (printed). */
int bench_layer_cost(const bench_entries *entries);

void bench_report_table(const bench_result *results, int count, const double latency_ns[BENCH_VARIANTS]);
/* Prints each goal "met" / "NOT met"; the number not met. */
int bench_report_goals(const bench_result *results, int count, const double latency_ns[BENCH_VARIANTS]);

#endif

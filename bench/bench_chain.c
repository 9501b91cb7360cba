/* bench_chain: ns per call added by ShareLSP, under Wine through wsphost
 * (bench_chain.h). Run it with cmake/wine-run.sh (docs/architecture.md,
 * "Costs"). Not a test: the machine is shared, so only figures measured
 * side by side in one run are compared. */
#include "bench_chain.h"

#include <stdio.h>
#include <stdlib.h>

#include <sharelsp/sharelsp.h>

enum { BENCH_ROUNDS = 5, BENCH_LEVELS = 2, BENCH_OPEN_MANY = 100000, BENCH_OPEN_FEW = 10 };
/* Sockets given back when the process runs out of them, for the select
 * sets and the sockets the operations make. */
enum { BENCH_OPEN_HEADROOM = 1500 };

static const char *const bench_base_names[BENCH_BASES] = {"nullbase", "wspbase"};
static const long bench_levels[BENCH_LEVELS] = {BENCH_OPEN_FEW, BENCH_OPEN_MANY};

/* A thread that runs what it is given, kept for the whole run so that no
 * figure pays for a new thread's first call. */
typedef struct bench_worker {
    HANDLE thread, go, done;
    bench_fixture *fixture;
    const bench_op *op;
    int n;
    uint64_t ns;
    bool stop;
} bench_worker;

static bench_worker bench_workers[BENCH_MAX_THREADS];

static DWORD WINAPI bench_worker_main(void *argument)
{
    bench_worker *w = argument;
    for (;;) {
        WaitForSingleObject(w->go, INFINITE);
        if (w->stop)
            return 0;
        w->ns = w->op->run(w->fixture, w->n);
        SetEvent(w->done);
    }
}

static int bench_workers_start(void)
{
    for (int i = 0; i < BENCH_MAX_THREADS; i++) {
        bench_worker *w = &bench_workers[i];
        w->go = CreateEventW(NULL, FALSE, FALSE, NULL);
        w->done = CreateEventW(NULL, FALSE, FALSE, NULL);
        w->thread = CreateThread(NULL, 0, bench_worker_main, w, 0, NULL);
        if (w->go == NULL || w->done == NULL || w->thread == NULL)
            return 1;
    }
    return 0;
}

static void bench_workers_stop(void)
{
    for (int i = 0; i < BENCH_MAX_THREADS; i++) {
        bench_workers[i].stop = true;
        SetEvent(bench_workers[i].go);
        WaitForSingleObject(bench_workers[i].thread, INFINITE);
    }
}

/* ns per call per thread: threads run op together, each on its own
 * fixture; 0 if a call failed. */
static double bench_run(const bench_op *op, int n, bench_fixture *fixtures, int threads)
{
    for (int i = 0; i < threads; i++) {
        bench_workers[i].fixture = &fixtures[i];
        bench_workers[i].op = op;
        bench_workers[i].n = n;
    }
    for (int i = 0; i < threads; i++)
        SetEvent(bench_workers[i].go);
    double sum = 0;
    bool failed = false;
    for (int i = 0; i < threads; i++) {
        WaitForSingleObject(bench_workers[i].done, INFINITE);
        sum += (double)bench_workers[i].ns / n;
        failed = failed || bench_workers[i].ns == 0;
    }
    return failed ? 0 : sum / threads;
}

double bench_median(double *v, int count)
{
    for (int i = 0; i < count; i++)
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    return v[count / 2];
}

/* Both variants round after round, the one that goes first alternating. */
static void bench_measure(bench_result *result, const bench_op *op,
                          bench_fixture fixtures[BENCH_VARIANTS][BENCH_MAX_THREADS])
{
    double rounds[BENCH_VARIANTS][BENCH_ROUNDS];
    int n = op->iterations[result->base], measured[BENCH_VARIANTS] = {0};
    for (int r = 0; r < BENCH_ROUNDS; r++) {
        for (int k = 0; k < BENCH_VARIANTS; k++) {
            int v = (r + k) % BENCH_VARIANTS;
            double ns = bench_run(op, n, fixtures[v], result->threads);
            /* A round whose call failed (it says so) has no figure: a 0
             * among the others would pull the median down. */
            if (ns > 0)
                rounds[v][measured[v]++] = ns;
        }
    }
    for (int v = 0; v < BENCH_VARIANTS; v++)
        result->ns[v] = measured[v] > 0 ? bench_median(rounds[v], measured[v]) : 0;
}

/* count sockets of the entry into sockets; how many were made. */
static long bench_open(SOCKET *sockets, long count, const WSAPROTOCOL_INFOW *info)
{
    long made = 0;
    while (made < count && (sockets[made] = bench_socket(info)) != INVALID_SOCKET)
        made++;
    return made;
}

static void bench_close(SOCKET *sockets, long count)
{
    for (long i = 0; i < count; i++)
        closesocket(sockets[i]);
}

/* Idle sockets, as many for each variant, the variants taking turns: up
 * to target, or as many as the process may have less a margin. */
static long bench_open_idle(SOCKET *idle[BENCH_VARIANTS], long target, const bench_entries *entries, int base)
{
    long made = 0;
    while (made < target) {
        if (bench_open(&idle[BENCH_ALONE][made], 1, &entries->info[base][BENCH_ALONE]) != 1)
            break;
        if (bench_open(&idle[BENCH_LAYERED][made], 1, &entries->info[base][BENCH_LAYERED]) != 1) {
            closesocket(idle[BENCH_ALONE][made]);
            break;
        }
        made++;
    }
    if (made == target)
        return made;
    long keep = made > BENCH_OPEN_HEADROOM ? made - BENCH_OPEN_HEADROOM : 0;
    for (int v = 0; v < BENCH_VARIANTS; v++)
        bench_close(&idle[v][keep], made - keep);
    return keep;
}

bool bench_through_sharelsp(SOCKET s)
{
    sharelsp_stats st;
    int len = sizeof st;
    return getsockopt(s, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&st, &len) == 0;
}

static int bench_fixtures_open(bench_fixture fixtures[BENCH_VARIANTS][BENCH_MAX_THREADS], const bench_entries *entries,
                               int base, SOCKET *select_sets[BENCH_VARIANTS])
{
    for (int v = 0; v < BENCH_VARIANTS; v++) {
        for (int t = 0; t < BENCH_MAX_THREADS; t++) {
            bench_fixture *f = &fixtures[v][t];
            if (bench_fixture_open(f, &entries->info[base][v], base == BENCH_NULL, select_sets[v]) != 0 ||
                bench_through_sharelsp(f->sender) != (v == BENCH_LAYERED)) {
                printf("%s: sockets of variant %d not as installed\n", bench_base_names[base], v);
                return 1;
            }
        }
    }
    return 0;
}

/* Every figure over one base: results gets BENCH_LEVELS * 2 * bench_op_count
 * rows; 0, or 1 if something failed. */
static int bench_base(int base, const bench_entries *entries, bench_result *results, long reached[BENCH_LEVELS])
{
    SOCKET *idle[BENCH_VARIANTS], *select_sets[BENCH_VARIANTS];
    for (int v = 0; v < BENCH_VARIANTS; v++) {
        idle[v] = malloc(BENCH_OPEN_MANY * sizeof(SOCKET));
        select_sets[v] = malloc(BENCH_SELECT_MAX * sizeof(SOCKET));
        if (idle[v] == NULL || select_sets[v] == NULL)
            return 1;
    }
    bench_fixture fixtures[BENCH_VARIANTS][BENCH_MAX_THREADS];
    int failed = bench_fixtures_open(fixtures, entries, base, select_sets);
    int row = 0;
    for (int level = 0; level < BENCH_LEVELS && !failed; level++) {
        reached[level] = bench_open_idle(idle, bench_levels[level], entries, base);
        for (int threads = 1; threads <= BENCH_MAX_THREADS && !failed; threads++) {
            bool sets_open = false;
            for (int op = 0; op < bench_op_count && !failed; op++) {
                if (bench_ops[op].select_count > 0 && !sets_open) {
                    /* Opened for select alone: the other figures see only
                     * the idle sockets. */
                    for (int v = 0; v < BENCH_VARIANTS; v++)
                        failed = failed || bench_open(select_sets[v], BENCH_SELECT_MAX,
                                                      &entries->info[base][v]) != BENCH_SELECT_MAX;
                    sets_open = true;
                }
                bench_result *r = &results[row++];
                *r = (bench_result){.base = base, .op = op, .threads = threads, .level = level, .open = reached[level]};
                bench_measure(r, &bench_ops[op], fixtures);
                failed = failed || r->ns[BENCH_ALONE] == 0 || r->ns[BENCH_LAYERED] == 0;
            }
            for (int v = 0; v < BENCH_VARIANTS && sets_open; v++)
                bench_close(select_sets[v], BENCH_SELECT_MAX);
        }
        for (int v = 0; v < BENCH_VARIANTS; v++)
            bench_close(idle[v], reached[level]);
    }
    for (int v = 0; v < BENCH_VARIANTS; v++) {
        for (int t = 0; t < BENCH_MAX_THREADS; t++)
            bench_fixture_close(&fixtures[v][t]);
        free(idle[v]);
        free(select_sets[v]);
    }
    return failed;
}

int main(void)
{
    bench_entries entries = {0};
    WSADATA data;
    if (bench_catalog_install(&entries) != 0 || WSAStartup(MAKEWORD(2, 2), &data) != 0 ||
        bench_workers_start() != 0) {
        printf("could not set up\n");
        return 1;
    }
    int rows_per_base = BENCH_LEVELS * BENCH_MAX_THREADS * bench_op_count;
    bench_result *results = calloc((size_t)(BENCH_BASES * rows_per_base), sizeof *results);
    long reached[BENCH_BASES][BENCH_LEVELS] = {{0}};
    double latency[BENCH_VARIANTS] = {0};
    int failed = results == NULL || bench_check_nullbase(&entries) != 0 || bench_latency(&entries, latency) != 0 ||
                 bench_layer_cost(&entries) != 0;
    for (int base = 0; base < BENCH_BASES && !failed; base++)
        failed = bench_base(base, &entries, &results[base * rows_per_base], reached[base]);
    bench_workers_stop();
    WSACleanup();
    bench_catalog_remove();
    if (failed) {
        printf("a check or a measurement failed\n");
        return 1;
    }
    printf("ShareLSP's cost per call under Wine (wsphost): ns per call per thread, median of %d interleaved rounds\n",
           BENCH_ROUNDS);
    for (int base = 0; base < BENCH_BASES; base++)
        printf("%s: idle sockets open per variant: %ld asked, %ld; %ld asked, %ld\n", bench_base_names[base],
               bench_levels[0], reached[base][0], bench_levels[1], reached[base][1]);
    bench_report_table(results, BENCH_BASES * rows_per_base, latency);
    int missed = bench_report_goals(results, BENCH_BASES * rows_per_base, latency);
    printf("%d goal%s NOT met\n", missed, missed == 1 ? "" : "s");
    free(results);
    return 0;
}

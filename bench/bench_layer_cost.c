/* What a layer pays on the paths of the hooks it leaves NULL: send and recv
 * over nullbase through bench_layer.dll (a hook on close only) against
 * sharelsp.dll (no hooks), measured in turns in one run. */
#include "bench_chain.h"

#include <stdio.h>
#include <string.h>

enum { LAYER_ROUNDS = 9 };

/* Issue 15's goal: no cost beyond noise. */
#define LAYER_GOAL_RATIO 1.05

/* One operation both ways, the one that goes first alternating; 1 if a
 * call failed. */
static int layer_compare(const bench_op *op, bench_fixture fixtures[2], double ns[2])
{
    int n = op->iterations[BENCH_NULL];
    double rounds[2][LAYER_ROUNDS];
    for (int r = 0; r < LAYER_ROUNDS; r++) {
        for (int k = 0; k < 2; k++) {
            int v = (r + k) % 2;
            uint64_t took = op->run(&fixtures[v], n);
            if (took == 0)
                return 1;
            rounds[v][r] = (double)took / n;
        }
    }
    for (int v = 0; v < 2; v++)
        ns[v] = bench_median(rounds[v], LAYER_ROUNDS);
    return 0;
}

int bench_layer_cost(const bench_entries *entries)
{
    bench_fixture fixtures[2];
    const WSAPROTOCOL_INFOW *infos[2] = {&entries->info[BENCH_NULL][BENCH_LAYERED], &entries->hookless};
    int opened = 0, failed = 0;
    for (; opened < 2 && !failed; opened++)
        failed = bench_fixture_open(&fixtures[opened], infos[opened], true, NULL) != 0 ||
                 !bench_through_sharelsp(fixtures[opened].sender);
    printf("A layer's cost on the paths of hooks it leaves NULL (over nullbase, 1 thread, median of %d rounds):\n",
           LAYER_ROUNDS);
    for (int op = 0; op < bench_op_count && !failed; op++) {
        if (strncmp(bench_ops[op].name, "send ", 5) != 0 && strncmp(bench_ops[op].name, "recv ", 5) != 0)
            continue;
        double ns[2];
        failed = layer_compare(&bench_ops[op], fixtures, ns);
        if (failed)
            break;
        double ratio = ns[1] / ns[0];
        printf("  %-16s sharelsp.dll %8.1f ns, bench_layer.dll (close hook only) %8.1f ns, ratio %.3f: %s\n",
               bench_ops[op].name, ns[0], ns[1], ratio, ratio <= LAYER_GOAL_RATIO ? "met" : "NOT met");
    }
    for (int i = 0; i < opened; i++)
        bench_fixture_close(&fixtures[i]);
    if (failed)
        printf("  the layer's figures could not be had\n");
    return failed;
}

/* bench_chain's report: the figures, and each goal of issue 14 met or
 * not. */
#include "bench_chain.h"

#include <stdio.h>

/* The goals. */
#define BENCH_GOAL_FORWARD_NS 50.0    /* added per forwarded call, nullbase, 1 thread */
#define BENCH_GOAL_THREADS 1.2        /* 2 threads' added cost per thread / 1 thread's */
#define BENCH_GOAL_OPEN 1.1           /* t(many open) / t(few open), through ShareLSP */
#define BENCH_GOAL_SELECT_NS 30.0     /* added per socket in select */
#define BENCH_GOAL_WSPBASE_RATIO 1.05 /* with / without, over wspbase */
#define BENCH_GOAL_LATENCY_NS 5000.0  /* added to an async-select message, median */

static const char *const bench_report_bases[BENCH_BASES] = {"nullbase", "wspbase"};

static double bench_added(const bench_result *r) { return r->ns[BENCH_LAYERED] - r->ns[BENCH_ALONE]; }

static double bench_ratio(const bench_result *r) { return r->ns[BENCH_LAYERED] / r->ns[BENCH_ALONE]; }

static const bench_result *bench_find(const bench_result *results, int count, int base, int op, int threads,
                                      int level)
{
    for (int i = 0; i < count; i++) {
        const bench_result *r = &results[i];
        if (r->base == base && r->op == op && r->threads == threads && r->level == level)
            return r;
    }
    return NULL;
}

void bench_report_table(const bench_result *results, int count, const double latency_ns[BENCH_VARIANTS])
{
    printf("%-8s %7s %3s %-36s %12s %12s %10s %7s\n", "base", "open", "thr", "operation", "without ns",
           "ShareLSP ns", "added ns", "ratio");
    for (int i = 0; i < count; i++) {
        const bench_result *r = &results[i];
        printf("%-8s %7ld %3d %-36s %12.0f %12.0f %10.0f %7.2f\n", bench_report_bases[r->base], r->open, r->threads,
               bench_ops[r->op].name, r->ns[BENCH_ALONE], r->ns[BENCH_LAYERED], bench_added(r), bench_ratio(r));
    }
    printf("%-8s %7s %3d %-36s %12.0f %12.0f %10.0f %7.2f\n", "nullbase", "-", 1, "async-select message latency",
           latency_ns[BENCH_ALONE], latency_ns[BENCH_LAYERED], latency_ns[BENCH_LAYERED] - latency_ns[BENCH_ALONE],
           latency_ns[BENCH_LAYERED] / latency_ns[BENCH_ALONE]);
}

static int bench_goal(bool met, const char *format_line)
{
    printf("  %-7s %s\n", met ? "met" : "NOT met", format_line);
    return met ? 0 : 1;
}

int bench_report_goals(const bench_result *results, int count, const double latency_ns[BENCH_VARIANTS])
{
    char line[200];
    int missed = 0;
    printf("goals (issue 14):\n");
    for (int op = 0; op < bench_op_count; op++) {
        const bench_op *o = &bench_ops[op];
        const bench_result *one = bench_find(results, count, BENCH_NULL, op, 1, 0);
        const bench_result *two = bench_find(results, count, BENCH_NULL, op, 2, 0);
        const bench_result *many = bench_find(results, count, BENCH_NULL, op, 1, 1);
        if (o->forwarded) {
            snprintf(line, sizeof line, "nullbase %s: %.0f ns added, 1 thread (goal <= %.0f)", o->name,
                     bench_added(one), BENCH_GOAL_FORWARD_NS);
            missed += bench_goal(bench_added(one) <= BENCH_GOAL_FORWARD_NS, line);
            snprintf(line, sizeof line, "nullbase %s: 2 threads add %.0f ns per thread, %.2fx 1 thread's (goal <= %.1fx)",
                     o->name, bench_added(two), bench_added(two) / bench_added(one), BENCH_GOAL_THREADS);
            missed += bench_goal(bench_added(two) <= BENCH_GOAL_THREADS * bench_added(one), line);
        }
        snprintf(line, sizeof line, "nullbase %s through ShareLSP: t(%ld open)/t(%ld open) = %.2f (goal <= %.1f)",
                 o->name, many->open, one->open, many->ns[BENCH_LAYERED] / one->ns[BENCH_LAYERED], BENCH_GOAL_OPEN);
        missed += bench_goal(many->ns[BENCH_LAYERED] <= BENCH_GOAL_OPEN * one->ns[BENCH_LAYERED], line);
        if (o->select_count > 0) {
            double per_socket = bench_added(one) / o->select_count;
            snprintf(line, sizeof line, "nullbase %s: %.1f ns added per socket (goal <= %.0f)", o->name, per_socket,
                     BENCH_GOAL_SELECT_NS);
            missed += bench_goal(per_socket <= BENCH_GOAL_SELECT_NS, line);
        }
    }
    for (int i = 0; i < count; i++) {
        const bench_result *r = &results[i];
        if (r->base != BENCH_WSPBASE)
            continue;
        snprintf(line, sizeof line, "wspbase %s, %ld open, %d thread%s: %.2fx the base alone (goal <= %.2fx)",
                 bench_ops[r->op].name, r->open, r->threads, r->threads == 1 ? "" : "s", bench_ratio(r),
                 BENCH_GOAL_WSPBASE_RATIO);
        missed += bench_goal(bench_ratio(r) <= BENCH_GOAL_WSPBASE_RATIO, line);
    }
    double added = latency_ns[BENCH_LAYERED] - latency_ns[BENCH_ALONE];
    snprintf(line, sizeof line, "nullbase async-select message: %.1f us added, median (goal <= %.0f us)",
             added / 1000.0, BENCH_GOAL_LATENCY_NS / 1000.0);
    missed += bench_goal(added <= BENCH_GOAL_LATENCY_NS, line);
    return missed;
}

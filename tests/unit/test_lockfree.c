/* The hot path's lock-free parts under threads (run under TSan and
 * ASan+UBSan natively, and under Wine):
 * - table_lookup_upper takes no lock: while other threads open and close
 *   sockets in the same shards (entries moved by removals, arrays replaced
 *   by growth, descriptors released and reused), a look-up of a handle that
 *   stays open always finds its own descriptor, and one of a handle being
 *   closed and reopened finds a descriptor of that handle or nothing;
 * - object_count takes no lock: additions racing the block's move into new
 *   memory are all there afterwards, exactly. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "table.h"
#include "threads.h"

enum { STABLE = 256, READERS = 2, WRITERS = 2, LOOKUPS = 300000, CHURN = 60000, RING = 1024 };

typedef struct lookup_world {
    sock_table *table;
    uint64_t stable_upper[STABLE];
    uint64_t stable_lower[STABLE];
    volatile uint32_t writers_done;
    volatile uint64_t next_handle;
    /* Handles a writer closes and publishes again, over and over. */
    volatile uint64_t reused[WRITERS];
} lookup_world;

typedef struct lookup_job {
    lookup_world *world;
    int index;
    uint64_t rng;
    uint64_t failures;
    uint64_t found_reused;
} lookup_job;

static uint64_t next_random(lookup_job *job)
{
    job->rng ^= job->rng << 13;
    job->rng ^= job->rng >> 7;
    job->rng ^= job->rng << 17;
    return job->rng;
}

static descriptor *open_published(sock_table *table, uint64_t lower, uint64_t upper)
{
    descriptor *d = NULL;
    if (table_socket_new(table, lower, NULL, &d) != CORE_OK)
        return NULL;
    if (table_publish(table, d, upper) != CORE_OK) {
        close_result r;
        if (table_close(table, d, NULL, NULL, &r) == CORE_OK)
            object_release(r.object);
        return NULL;
    }
    return d;
}

static bool close_published(sock_table *table, descriptor *d)
{
    close_result r;
    if (table_close(table, d, NULL, NULL, &r) != CORE_OK)
        return false;
    object_release(r.object);
    return true;
}

static void reader_main(void *arg)
{
    lookup_job *job = arg;
    lookup_world *w = job->world;
    for (int n = 0; n < LOOKUPS; n++) {
        size_t i = (size_t)(next_random(job) % STABLE);
        descriptor *d = table_lookup_upper(w->table, w->stable_upper[i]);
        if (d == NULL || d->upper != w->stable_upper[i] || d->object->lower != w->stable_lower[i])
            job->failures++;
        if (d != NULL)
            descriptor_release(d);
        uint64_t reused = plat_atomic_load64(&w->reused[n % WRITERS]);
        d = table_lookup_upper(w->table, reused);
        if (d != NULL) {
            if (d->upper != reused) /* it may be closing by now: that is the writer's */
                job->failures++;
            job->found_reused++;
            descriptor_release(d);
        }
    }
}

/* Opens sockets into a ring and closes the oldest; every few rounds closes
 * and reopens its reused handle, which readers look up meanwhile. */
static void writer_main(void *arg)
{
    lookup_job *job = arg;
    lookup_world *w = job->world;
    descriptor *ring[RING] = {0};
    uint64_t reused = plat_atomic_load64(&w->reused[job->index]);
    descriptor *reused_d = open_published(w->table, reused + 1, reused);
    if (reused_d == NULL)
        job->failures++;
    for (int n = 0; n < CHURN; n++) {
        size_t k = (size_t)n % RING;
        if (ring[k] != NULL && !close_published(w->table, ring[k]))
            job->failures++;
        uint64_t h = plat_atomic_add64(&w->next_handle, 8);
        ring[k] = open_published(w->table, h, h + 4);
        if (ring[k] == NULL || table_lookup_upper(w->table, h + 4) != ring[k])
            job->failures++;
        else
            descriptor_release(ring[k]); /* the look-up's reference */
        if (n % 16 == 0 && reused_d != NULL) {
            if (!close_published(w->table, reused_d))
                job->failures++;
            if (table_lookup_upper(w->table, reused) != NULL)
                job->failures++; /* closed: nothing may find it */
            reused_d = open_published(w->table, next_random(job) | 1, reused);
            if (reused_d == NULL)
                job->failures++;
        }
    }
    for (size_t k = 0; k < RING; k++)
        if (ring[k] != NULL && !close_published(w->table, ring[k]))
            job->failures++;
    if (reused_d != NULL && !close_published(w->table, reused_d))
        job->failures++;
}

static void lookups_find_what_is_open_while_others_churn(void **state)
{
    (void)state;
    static lookup_world w;
    memset((void *)&w, 0, sizeof w);
    w.table = table_create();
    assert_non_null(w.table);
    w.next_handle = 0x100000;
    for (size_t i = 0; i < STABLE; i++) {
        w.stable_lower[i] = 0x1000 + 8 * i;
        w.stable_upper[i] = 0x1004 + 8 * i;
        assert_non_null(open_published(w.table, w.stable_lower[i], w.stable_upper[i]));
    }
    for (int i = 0; i < WRITERS; i++)
        w.reused[i] = 0x80000 + 0x100 * (uint64_t)i;

    lookup_job jobs[READERS + WRITERS];
    test_thread *threads[READERS + WRITERS];
    for (int i = 0; i < READERS + WRITERS; i++) {
        jobs[i] = (lookup_job){.world = &w, .index = i < READERS ? i : i - READERS,
                               .rng = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1)};
        threads[i] = test_thread_start(i < READERS ? reader_main : writer_main, &jobs[i]);
        assert_non_null(threads[i]);
    }
    uint64_t found_reused = 0;
    for (int i = 0; i < READERS + WRITERS; i++) {
        test_thread_join(threads[i]);
        assert_int_equal(jobs[i].failures, 0);
        found_reused += jobs[i].found_reused;
    }
    assert_true(found_reused > 0); /* the reused handles were seen open */
    assert_int_equal(table_descriptor_count(w.table), STABLE);
    table_destroy(w.table);
    assert_int_equal(descriptor_live_count(), 0);
    assert_int_equal(object_live_count(), 0);
}

enum { COUNTERS = 3, COUNTS = 20000, ROUNDS = 40 };

typedef struct count_job {
    sock_object *object;
    volatile uint32_t *go;
    uint64_t bytes;
} count_job;

static void counter_main(void *arg)
{
    count_job *job = arg;
    while (!plat_atomic_load32(job->go))
        plat_yield();
    for (uint64_t n = 1; n <= COUNTS; n++) {
        object_count(job->object, (n & 1) != 0, n);
        job->bytes += n;
    }
}

static void free_block(void *context, shared_block *block)
{
    (void)context;
    free(block);
}

static void counts_survive_the_block_move(void **state)
{
    (void)state;
    for (int round = 0; round < ROUNDS; round++) {
        sock_object *object = object_create(0x40, NULL, NULL, NULL);
        assert_non_null(object);
        shared_block *section = malloc(sizeof *section);
        assert_non_null(section);
        volatile uint32_t go = 0;
        count_job jobs[COUNTERS];
        test_thread *threads[COUNTERS];
        for (int i = 0; i < COUNTERS; i++) {
            jobs[i] = (count_job){.object = object, .go = &go};
            threads[i] = test_thread_start(counter_main, &jobs[i]);
            assert_non_null(threads[i]);
        }
        plat_atomic_store32(&go, 1);
        /* Somewhere in the middle of the counting. */
        for (int spin = 0; spin < round * 50; spin++)
            plat_yield();
        block_owner owner = {.release = free_block};
        assert_int_equal(object_move_block(object, section, &owner), CORE_OK);
        uint64_t bytes = 0;
        for (int i = 0; i < COUNTERS; i++) {
            test_thread_join(threads[i]);
            bytes += jobs[i].bytes;
        }
        sharelsp_stats stats;
        shared_block *block = object_block_enter(object);
        assert_ptr_equal(block, section);
        block_stats(block, &stats);
        object_block_leave(object);
        assert_int_equal(stats.bytes_sent + stats.bytes_received, bytes);
        assert_int_equal(stats.calls_sent, COUNTERS * COUNTS / 2);
        assert_int_equal(stats.calls_received, COUNTERS * COUNTS / 2);
        object_release(object);
    }
    assert_int_equal(object_live_count(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookups_find_what_is_open_while_others_churn),
        cmocka_unit_test(counts_survive_the_block_move),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Several threads opening, duplicating, registering, looking up, counting and
 * closing sockets in one table at once, for a bounded number of operations;
 * then the invariants: exact counters on the socket all threads share, no
 * descriptor or object leaked. Run under TSan and ASan+UBSan natively. */
#include "unit.h"

#include <string.h>

#include "platform.h"
#include "table.h"
#include "threads.h"

enum { THREADS = 4, OPERATIONS = 200000, SLOTS = 64 };

typedef struct stress_shared {
    sock_table *table;
    volatile uint64_t slots[SLOTS]; /* published upper handles; 0 = free */
    volatile uint64_t next_handle;
    uint64_t common[THREADS];       /* one descriptor per thread on the common socket */
} stress_shared;

typedef struct stress_thread {
    stress_shared *shared;
    int index;
    uint64_t rng;
    uint64_t bytes_sent; /* on the common socket */
    uint64_t sends;
    uint64_t failures;   /* an operation that gave an unexpected result */
} stress_thread;

static uint64_t next_random(stress_thread *t)
{
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 7;
    t->rng ^= t->rng << 17;
    return t->rng;
}

static uint64_t new_handle(stress_shared *s) { return plat_atomic_add64(&s->next_handle, 4); }

/* Puts a published descriptor into a free slot, or closes it if none is free. */
static void stash(stress_thread *t, descriptor *d)
{
    stress_shared *s = t->shared;
    for (int k = 0; k < 4; k++) {
        size_t i = next_random(t) % SLOTS;
        if (plat_atomic_cas64(&s->slots[i], 0, d->upper))
            return;
    }
    close_result r;
    if (table_close(s->table, d, NULL, NULL, &r) != CORE_OK)
        t->failures++;
    else
        object_release(r.object);
}

static void op_open(stress_thread *t)
{
    stress_shared *s = t->shared;
    descriptor *d = NULL;
    if (table_socket_new(s->table, new_handle(s), NULL, &d) != CORE_OK ||
        table_publish(s->table, d, new_handle(s)) != CORE_OK) {
        t->failures++;
        return;
    }
    stash(t, d);
}

static void op_duplicate(stress_thread *t)
{
    stress_shared *s = t->shared;
    uint64_t upper = plat_atomic_load64(&s->slots[next_random(t) % SLOTS]);
    descriptor *src = upper ? table_lookup_upper(s->table, upper) : NULL;
    if (src == NULL)
        return; /* closed meanwhile: a lookup miss is an expected outcome */
    descriptor *d = NULL;
    core_status st = table_duplicate(s->table, src, &d);
    if (st == CORE_OK) {
        if (table_publish(s->table, d, new_handle(s)) != CORE_OK)
            t->failures++;
        else
            stash(t, d);
    } else if (st != CORE_ERR_CLOSING) {
        t->failures++;
    }
    descriptor_release(src);
}

static void op_register(stress_thread *t, uint64_t upper)
{
    descriptor *d = upper ? table_lookup_upper(t->shared->table, upper) : NULL;
    if (d == NULL)
        return;
    uint64_t r = next_random(t);
    slot_registration reg = {.kind = (r & 1) ? SLOT_ASYNC : SLOT_EVENT,
                             .event_mask = (uint32_t)(r >> 8) & SLOT_EVENT_MASK_ALL,
                             .descriptor = upper, .window = 0x10, .message = 0x400, .event = 0x20};
    if (reg.kind == SLOT_ASYNC)
        reg.event = 0;
    else
        reg.window = 0;
    shared_block *block = object_block_enter(d->object);
    uint64_t generation = 0;
    if (slot_register(block, &reg, NULL, &generation) != CORE_OK || generation == 0)
        t->failures++;
    object_block_leave(d->object);
    descriptor_release(d);
}

static void op_lookup_lower(stress_thread *t)
{
    stress_shared *s = t->shared;
    uint64_t upper = plat_atomic_load64(&s->slots[next_random(t) % SLOTS]);
    descriptor *d = upper ? table_lookup_upper(s->table, upper) : NULL;
    if (d == NULL)
        return;
    sock_object *o = table_lookup_lower(s->table, d->object->lower);
    /* Absent only if the socket's last descriptor is being closed. */
    if (o != NULL) {
        if (o != d->object)
            t->failures++;
        object_release(o);
    }
    descriptor_release(d);
}

static void op_send_common(stress_thread *t)
{
    stress_shared *s = t->shared;
    descriptor *d = table_lookup_upper(s->table, s->common[t->index]);
    if (d == NULL) {
        t->failures++;
        return;
    }
    uint64_t bytes = next_random(t) % 1500;
    shared_block *block = object_block_enter(d->object);
    block_count_send(block, bytes);
    object_block_leave(d->object);
    t->bytes_sent += bytes;
    t->sends++;
    descriptor_release(d);
}

static void op_close(stress_thread *t)
{
    stress_shared *s = t->shared;
    size_t i = next_random(t) % SLOTS;
    uint64_t upper = plat_atomic_load64(&s->slots[i]);
    if (upper == 0 || !plat_atomic_cas64(&s->slots[i], upper, 0))
        return;
    close_result r;
    /* The slot was ours alone: the close must succeed. */
    if (table_close_upper(s->table, upper, NULL, NULL, &r) != CORE_OK)
        t->failures++;
    else
        object_release(r.object);
}

static void stress_main(void *arg)
{
    stress_thread *t = arg;
    stress_shared *s = t->shared;
    for (int n = 0; n < OPERATIONS; n++) {
        switch (next_random(t) % 8) {
        case 0: op_open(t); break;
        case 1: op_duplicate(t); break;
        case 2: op_register(t, plat_atomic_load64(&s->slots[next_random(t) % SLOTS])); break;
        case 3: op_register(t, s->common[next_random(t) % THREADS]); break;
        case 4: op_lookup_lower(t); break;
        case 5: op_send_common(t); break;
        default: op_close(t); break;
        }
    }
}

static void threads_keep_every_invariant(void **state)
{
    (void)state;
    static stress_shared s;
    memset((void *)&s, 0, sizeof s);
    s.table = table_create();
    assert_non_null(s.table);
    s.next_handle = 0x10000;

    descriptor *first = NULL;
    assert_int_equal(table_socket_new(s.table, new_handle(&s), NULL, &first), CORE_OK);
    s.common[0] = new_handle(&s);
    assert_int_equal(table_publish(s.table, first, s.common[0]), CORE_OK);
    for (int i = 1; i < THREADS; i++) {
        descriptor *d = NULL;
        assert_int_equal(table_duplicate(s.table, first, &d), CORE_OK);
        s.common[i] = new_handle(&s);
        assert_int_equal(table_publish(s.table, d, s.common[i]), CORE_OK);
    }
    sock_object *common = first->object;
    object_retain(common);

    stress_thread workers[THREADS];
    test_thread *threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].shared = &s;
        workers[i].index = i;
        workers[i].rng = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
        threads[i] = test_thread_start(stress_main, &workers[i]);
        assert_non_null(threads[i]);
    }
    uint64_t bytes = 0, sends = 0;
    for (int i = 0; i < THREADS; i++) {
        test_thread_join(threads[i]);
        assert_int_equal(workers[i].failures, 0);
        bytes += workers[i].bytes_sent;
        sends += workers[i].sends;
    }

    shared_block *block = object_block_enter(common);
    sharelsp_stats stats;
    block_stats(block, &stats);
    assert_int_equal(block_validate(block, sizeof *block), CORE_OK);
    object_block_leave(common);
    assert_int_equal(stats.bytes_sent, bytes);
    assert_int_equal(stats.calls_sent, sends);
    assert_int_equal(stats.descriptors_open, THREADS);

    /* Every descriptor in a slot, plus the common ones, is all there is. */
    size_t stashed = 0;
    for (int i = 0; i < SLOTS; i++)
        stashed += s.slots[i] != 0;
    assert_int_equal(table_descriptor_count(s.table), stashed + THREADS);
    assert_int_equal(descriptor_live_count(), stashed + THREADS);

    object_release(common);
    table_destroy(s.table);
    assert_int_equal(descriptor_live_count(), 0);
    assert_int_equal(object_live_count(), 0);
}

/* A close racing sends on other threads: the senders hold references, so
 * they finish on valid memory; afterwards the handle is gone for everyone. */
typedef struct race {
    sock_table *table;
    uint64_t upper;
    volatile uint32_t go;
    uint64_t sends_seen;
} race;

static void race_sender(void *arg)
{
    race *r = arg;
    while (!plat_atomic_load32(&r->go))
        plat_yield();
    for (int n = 0; n < 5000; n++) {
        descriptor *d = table_lookup_upper(r->table, r->upper);
        if (d == NULL)
            break;
        shared_block *block = object_block_enter(d->object);
        block_count_send(block, 1);
        object_block_leave(d->object);
        r->sends_seen++;
        descriptor_release(d);
    }
}

static void close_racing_send(void **state)
{
    (void)state;
    for (int round = 0; round < 50; round++) {
        race r[2];
        sock_table *table = table_create();
        assert_non_null(table);
        descriptor *d = NULL;
        assert_int_equal(table_socket_new(table, 0x40, NULL, &d), CORE_OK);
        assert_int_equal(table_publish(table, d, 0x80), CORE_OK);
        test_thread *threads[2];
        for (int i = 0; i < 2; i++) {
            r[i] = (race){.table = table, .upper = 0x80};
            threads[i] = test_thread_start(race_sender, &r[i]);
            assert_non_null(threads[i]);
        }
        plat_atomic_store32(&r[0].go, 1);
        plat_atomic_store32(&r[1].go, 1);
        close_result res;
        assert_int_equal(table_close_upper(table, 0x80, NULL, NULL, &res), CORE_OK);
        assert_true(res.last_in_process);
        for (int i = 0; i < 2; i++)
            test_thread_join(threads[i]);
        shared_block *block = object_block_enter(res.object);
        assert_int_equal(plat_atomic_load64(&block->calls_sent), r[0].sends_seen + r[1].sends_seen);
        object_block_leave(res.object);
        object_release(res.object);
        assert_null(table_lookup_upper(table, 0x80));
        table_destroy(table);
        assert_int_equal(descriptor_live_count(), 0);
        assert_int_equal(object_live_count(), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_keep_every_invariant),
        cmocka_unit_test(close_racing_send),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The lower gate (src/core/lower_gate.h): once shut, no call passes; the
 * close sees every call that passed before; a refused close opens it
 * again. The race part runs under TSan natively and under Wine: callers
 * use a "lower socket" that the closer marks closed only once the gate is
 * shut and empty, and none of them may ever find it closed. */
#include "unit.h"

#include "lower_gate.h"
#include "platform.h"
#include "threads.h"

enum { CALLERS = 3, ROUNDS = 300 };

static void a_shut_gate_lets_nothing_pass(void **state)
{
    (void)state;
    sock_object object = {0};
    assert_true(lower_gate_enter(&object));
    assert_true(lower_gate_enter(&object));
    assert_int_equal(lower_gate_shut(&object), 2);
    assert_true(lower_gate_is_shut(&object));
    assert_false(lower_gate_enter(&object));
    assert_int_equal(lower_gate_inside(&object), 2);
    lower_gate_leave(&object);
    assert_int_equal(lower_gate_shut(&object), 1); /* shut twice: the same */
    lower_gate_leave(&object);
    assert_int_equal(lower_gate_inside(&object), 0);
    assert_false(lower_gate_enter(&object));
}

static void a_refused_close_opens_it_again(void **state)
{
    (void)state;
    sock_object object = {0};
    assert_int_equal(lower_gate_shut(&object), 0);
    lower_gate_reopen(&object);
    assert_false(lower_gate_is_shut(&object));
    assert_true(lower_gate_enter(&object));
    assert_int_equal(lower_gate_inside(&object), 1);
    lower_gate_reopen(&object); /* open already: nothing changes */
    assert_int_equal(lower_gate_inside(&object), 1);
    lower_gate_leave(&object);
}

typedef struct gate_world {
    sock_object object;
    volatile uint32_t lower_closed;
    volatile uint32_t round_over;
    volatile uint32_t found_closed;
    volatile uint32_t passed;
} gate_world;

static void caller_main(void *arg)
{
    gate_world *w = arg;
    while (plat_atomic_load32(&w->round_over) == 0) {
        if (!lower_gate_enter(&w->object)) {
            plat_yield(); /* shut: only the end of the round is left */
            continue;
        }
        if (plat_atomic_load32(&w->lower_closed) != 0)
            plat_atomic_add32(&w->found_closed, 1);
        plat_atomic_add32(&w->passed, 1);
        lower_gate_leave(&w->object);
    }
}

static void no_call_inside_sees_the_lower_close(void **state)
{
    (void)state;
    uint32_t passed = 0;
    for (int round = 0; round < ROUNDS; round++) {
        gate_world w = {0};
        test_thread *threads[CALLERS];
        for (int i = 0; i < CALLERS; i++)
            assert_non_null(threads[i] = test_thread_start(caller_main, &w));
        /* Let the callers run a while (a different while each round). */
        for (uint32_t target = (uint32_t)(round % 64) * 16; plat_atomic_load32(&w.passed) < target;)
            plat_yield();
        lower_gate_shut(&w.object);
        while (lower_gate_inside(&w.object) != 0)
            plat_yield();
        plat_atomic_store32(&w.lower_closed, 1);
        plat_yield(); /* the callers get their chance to find it closed (none may) */
        plat_atomic_store32(&w.round_over, 1);
        for (int i = 0; i < CALLERS; i++)
            test_thread_join(threads[i]);
        assert_int_equal(w.found_closed, 0);
        passed += w.passed;
    }
    assert_true(passed > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_shut_gate_lets_nothing_pass),
        cmocka_unit_test(a_refused_close_opens_it_again),
        cmocka_unit_test(no_call_inside_sees_the_lower_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

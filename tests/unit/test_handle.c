/* The upper handle's life beside its descriptor: a close waits for the
 * requests that still complete through the handle, and exactly one caller
 * is told to close it. */
#include "unit.h"

#include "object.h"
#include "threads.h"

static descriptor *new_descriptor(sock_object **object)
{
    *object = object_create(7, NULL, NULL, NULL);
    assert_non_null(*object);
    descriptor *d = descriptor_create(*object);
    assert_non_null(d);
    return d;
}

static void done_with(descriptor *d, sock_object *object)
{
    descriptor_release(d);
    object_release(object);
}

static void close_with_nothing_outstanding_closes_now(void **state)
{
    (void)state;
    sock_object *object;
    descriptor *d = new_descriptor(&object);
    assert_true(descriptor_handle_close(d));
    assert_false(descriptor_handle_close(d)); /* asked once only */
    done_with(d, object);
}

static void the_last_request_closes_after_a_close(void **state)
{
    (void)state;
    sock_object *object;
    descriptor *d = new_descriptor(&object);
    descriptor_handle_hold(d);
    descriptor_handle_hold(d);
    assert_false(descriptor_handle_close(d));
    assert_false(descriptor_handle_release(d));
    assert_true(descriptor_handle_release(d));
    done_with(d, object);
}

static void requests_without_a_close_close_nothing(void **state)
{
    (void)state;
    sock_object *object;
    descriptor *d = new_descriptor(&object);
    descriptor_handle_hold(d);
    assert_false(descriptor_handle_release(d));
    assert_true(descriptor_handle_close(d)); /* then the close itself does */
    done_with(d, object);
}

enum { RACE_ROUNDS = 20000 };

typedef struct race {
    descriptor *d;
    int closed_by_release;
} race;

static void release_side(void *arg)
{
    race *r = arg;
    r->closed_by_release = descriptor_handle_release(r->d);
}

/* A close racing the last request's end, many times: one of them, never
 * both and never neither, closes the handle (run it under TSan too). */
static void close_racing_the_last_release(void **state)
{
    (void)state;
    for (int i = 0; i < RACE_ROUNDS; i++) {
        sock_object *object;
        descriptor *d = new_descriptor(&object);
        descriptor_handle_hold(d);
        race r = {d, 0};
        test_thread *t = test_thread_start(release_side, &r);
        assert_non_null(t);
        int closed_by_close = descriptor_handle_close(d);
        test_thread_join(t);
        assert_int_equal(closed_by_close + r.closed_by_release, 1);
        done_with(d, object);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(close_with_nothing_outstanding_closes_now),
        cmocka_unit_test(the_last_request_closes_after_a_close),
        cmocka_unit_test(requests_without_a_close_close_nothing),
        cmocka_unit_test(close_racing_the_last_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Socket objects, descriptors and the tables: rules R1, R2 (state shared by
 * descriptors), R4 (closing one frees only it), R5 (one slot), lookups with
 * references, attach from another process and block moves. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "table.h"

enum { LOWER = 0x500, UPPER_A = 0x1004, UPPER_B = 0x1008, UPPER_C = 0x100c };

static int setup(void **state)
{
    *state = table_create();
    return *state == NULL;
}

static int teardown(void **state)
{
    table_destroy(*state);
    object_set_provider_hooks(&(object_provider_hooks){0}); /* a failed test may leave them set */
    /* Every test leaves nothing behind. */
    return object_live_count() != 0 || descriptor_live_count() != 0;
}

/* A new published socket with upper handle UPPER_A. */
static descriptor *open_socket(sock_table *t, uint64_t lower, uint64_t upper)
{
    descriptor *d = NULL;
    assert_int_equal(table_socket_new(t, lower, (void *)0x77, &d), CORE_OK);
    assert_int_equal(table_publish(t, d, upper), CORE_OK);
    return d;
}

static descriptor *dup_socket(sock_table *t, descriptor *src, uint64_t upper)
{
    descriptor *d = NULL;
    assert_int_equal(table_duplicate(t, src, &d), CORE_OK);
    assert_int_equal(table_publish(t, d, upper), CORE_OK);
    return d;
}

static void close_expect(sock_table *t, uint64_t upper, bool last_local, bool last_anywhere)
{
    close_result r;
    assert_int_equal(table_close_upper(t, upper, NULL, NULL, &r), CORE_OK);
    assert_int_equal(r.last_in_process, last_local);
    assert_int_equal(r.last_anywhere, last_anywhere);
    object_release(r.object);
}

static void lookups_find_what_was_published(void **state)
{
    sock_table *t = *state;
    descriptor *d = open_socket(t, LOWER, UPPER_A);
    descriptor *found = table_lookup_upper(t, UPPER_A);
    assert_ptr_equal(found, d);
    assert_int_equal(found->refs, 2);
    assert_int_equal(found->upper, UPPER_A);
    descriptor_release(found);

    sock_object *o = table_lookup_lower(t, LOWER);
    assert_ptr_equal(o, d->object);
    assert_int_equal(o->lower, LOWER);
    assert_ptr_equal(o->lower_provider, (void *)0x77);
    sock_object *o2 = table_lookup_shared(t, o->block->shared_id);
    assert_ptr_equal(o2, o);
    object_release(o2);
    object_release(o);

    assert_null(table_lookup_upper(t, UPPER_B));
    assert_null(table_lookup_lower(t, LOWER + 4));
    assert_null(table_lookup_shared(t, 12345));
    assert_int_equal(table_descriptor_count(t), 1);
    assert_int_equal(table_object_count(t), 1);
}

static void publish_refuses_zero_and_taken_handles(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    descriptor *b = NULL;
    assert_int_equal(table_socket_new(t, LOWER + 4, NULL, &b), CORE_OK);
    assert_int_equal(table_publish(t, b, 0), CORE_ERR_INVALID);
    assert_int_equal(table_publish(t, b, UPPER_A), CORE_ERR_EXISTS);
    assert_ptr_equal(table_lookup_upper(t, UPPER_A), a);
    descriptor_release(a);
    assert_int_equal(table_publish(t, b, UPPER_B), CORE_OK);
    assert_int_equal(table_publish(t, b, UPPER_C), CORE_ERR_INVALID); /* published already */
}

static void unpublished_descriptor_closes_cleanly(void **state)
{
    /* What the provider does when WPUCreateSocketHandle fails. */
    sock_table *t = *state;
    descriptor *d = NULL;
    assert_int_equal(table_socket_new(t, LOWER, NULL, &d), CORE_OK);
    close_result r;
    assert_int_equal(table_close(t, d, NULL, NULL, &r), CORE_OK);
    assert_true(r.last_in_process);
    assert_true(r.last_anywhere);
    object_release(r.object);
    assert_int_equal(table_object_count(t), 0);
    assert_int_equal(object_live_count(), 0);
}

static void duplicates_share_one_state(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    descriptor *b = dup_socket(t, a, UPPER_B);
    assert_ptr_equal(a->object, b->object);
    assert_int_equal(table_object_count(t), 1);
    assert_int_equal(table_descriptor_count(t), 2);

    shared_block *block = object_block_enter(a->object);
    assert_int_equal(block_set_tag(block, "shared", 6), CORE_OK);
    block_count_send(block, 10);
    object_block_leave(a->object);

    block = object_block_enter(b->object);
    char tag[SHARELSP_TAG_MAX];
    size_t n = 0;
    assert_int_equal(block_get_tag(block, tag, sizeof tag, &n), CORE_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(tag, "shared", 6);
    block_count_send(block, 5);
    block_count_receive(block, 3);
    sharelsp_stats s;
    block_stats(block, &s);
    object_block_leave(b->object);
    assert_int_equal(s.bytes_sent, 15);
    assert_int_equal(s.calls_sent, 2);
    assert_int_equal(s.bytes_received, 3);
    assert_int_equal(s.calls_received, 1);
    assert_int_equal(s.descriptors_open, 2);
}

static void closing_one_descriptor_leaves_the_other(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    dup_socket(t, a, UPPER_B);
    dup_socket(t, a, UPPER_C);
    close_expect(t, UPPER_A, false, false);
    assert_null(table_lookup_upper(t, UPPER_A));

    descriptor *b = table_lookup_upper(t, UPPER_B);
    assert_non_null(b);
    sock_object *o = table_lookup_lower(t, LOWER);
    assert_ptr_equal(o, b->object);
    sharelsp_stats s;
    block_stats(object_block_enter(o), &s);
    object_block_leave(o);
    assert_int_equal(s.descriptors_open, 2);
    object_release(o);
    descriptor_release(b);

    close_expect(t, UPPER_C, false, false);
    close_expect(t, UPPER_B, true, true);
    assert_null(table_lookup_lower(t, LOWER));
    assert_int_equal(table_object_count(t), 0);
    assert_int_equal(object_live_count(), 0);
    assert_int_equal(descriptor_live_count(), 0);
}

/* A socket closed while a call in flight still holds its descriptor. */
static descriptor *closed_but_referenced(sock_table *t)
{
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    descriptor_retain(a);
    close_result r;
    assert_int_equal(table_close(t, a, NULL, NULL, &r), CORE_OK);
    object_release(r.object);
    return a;
}

static void close_twice_is_refused(void **state)
{
    sock_table *t = *state;
    descriptor *a = closed_but_referenced(t);
    close_result r;
    assert_int_equal(table_close(t, a, NULL, NULL, &r), CORE_ERR_CLOSING);
    assert_int_equal(table_close_upper(t, UPPER_A, NULL, NULL, &r), CORE_ERR_NOT_FOUND);
    descriptor_release(a);
    assert_int_equal(table_close_upper(t, 0xdead, NULL, NULL, &r), CORE_ERR_NOT_FOUND);
    assert_int_equal(table_close(t, NULL, NULL, NULL, &r), CORE_ERR_INVALID);
}

static void reference_outlives_close(void **state)
{
    /* A send in flight holds a reference while another thread closes. */
    sock_table *t = *state;
    open_socket(t, LOWER, UPPER_A);
    descriptor *in_flight = table_lookup_upper(t, UPPER_A);
    close_expect(t, UPPER_A, true, true);
    assert_int_equal(descriptor_live_count(), 1);
    assert_int_equal(object_live_count(), 1);
    assert_int_equal(in_flight->object->lower, LOWER);
    shared_block *block = object_block_enter(in_flight->object);
    block_count_send(block, 1); /* still valid memory */
    object_block_leave(in_flight->object);
    assert_null(table_lookup_upper(t, UPPER_A));
    descriptor_release(in_flight);
    assert_int_equal(descriptor_live_count(), 0);
    assert_int_equal(object_live_count(), 0);
}

/* The provider's hold on lower_provider follows the object, not the
 * descriptors: a request still holding the object after the last close
 * (and after the provider dropped its own hold) may read it. */
static int provider_holds;
static void provider_retain(void *provider)
{
    assert_ptr_equal(provider, (void *)0x77);
    provider_holds++;
}

static void provider_release(void *provider)
{
    assert_ptr_equal(provider, (void *)0x77);
    provider_holds--;
}

static void provider_is_held_while_the_object_lives(void **state)
{
    sock_table *t = *state;
    object_set_provider_hooks(&(object_provider_hooks){.retain = provider_retain, .release = provider_release});
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    dup_socket(t, a, UPPER_B);
    assert_int_equal(provider_holds, 1); /* one object, one hold */
    descriptor *in_flight = table_lookup_upper(t, UPPER_B);
    close_expect(t, UPPER_A, false, false);
    close_expect(t, UPPER_B, true, true);
    assert_int_equal(provider_holds, 1);
    descriptor_release(in_flight);
    assert_int_equal(provider_holds, 0);
}

static void duplicate_of_closing_descriptor_is_refused(void **state)
{
    sock_table *t = *state;
    descriptor *a = closed_but_referenced(t);
    descriptor *d = NULL;
    assert_int_equal(table_duplicate(t, a, &d), CORE_ERR_CLOSING);
    assert_null(d);
    descriptor_release(a);
}

static void duplicate_by_object_found_by_shared_id(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    sock_object *o = table_lookup_shared(t, a->object->block->shared_id);
    assert_non_null(o);
    descriptor *b = NULL;
    assert_int_equal(table_duplicate_object(t, o, &b), CORE_OK);
    assert_ptr_equal(b->object, a->object);
    assert_int_equal(table_publish(t, b, UPPER_B), CORE_OK);
    assert_int_equal(o->block->descriptors_open, 2);
    close_expect(t, UPPER_A, false, false);
    close_expect(t, UPPER_B, true, true);
    /* The object is gone from the tables: joining it now is refused. */
    descriptor *c = NULL;
    assert_int_equal(table_duplicate_object(t, o, &c), CORE_ERR_CLOSING);
    assert_null(c);
    object_release(o);
}

static void registration_through_b_replaces_a(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    descriptor *b = dup_socket(t, a, UPPER_B);
    shared_block *block = object_block_enter(a->object);
    slot_registration ra = {.kind = SLOT_EVENT, .event_mask = 1, .descriptor = UPPER_A, .event = 0x44};
    uint64_t ga = 0, gb = 0;
    assert_int_equal(slot_register(block, &ra, NULL, &ga), CORE_OK);
    object_block_leave(a->object);

    block = object_block_enter(b->object);
    slot_registration rb = {.kind = SLOT_ASYNC, .event_mask = 2, .descriptor = UPPER_B,
                            .window = 0x99, .message = 0x400};
    slot_record replaced;
    assert_int_equal(slot_register(block, &rb, &replaced, &gb), CORE_OK);
    assert_int_equal(replaced.kind, SLOT_EVENT);
    assert_int_equal(replaced.descriptor, UPPER_A);
    assert_false(slot_is_current(block, ga));
    assert_true(slot_is_current(block, gb));
    object_block_leave(b->object);

    /* Closing A, which no longer holds the registration, leaves B's alone. */
    close_result r;
    assert_int_equal(table_close_upper(t, UPPER_A, NULL, NULL, &r), CORE_OK);
    assert_false(r.registration_cancelled);
    object_release(r.object);
    /* Closing B, which holds it, cancels it and says what it was. */
    assert_int_equal(table_close_upper(t, UPPER_B, NULL, NULL, &r), CORE_OK);
    assert_true(r.registration_cancelled);
    assert_int_equal(r.cancelled.kind, SLOT_ASYNC);
    assert_int_equal(r.cancelled.window, 0x99);
    assert_int_equal(r.cancelled.descriptor, UPPER_B);
    object_release(r.object);
}

/* A lower close that counts its calls and refuses while *refuse is set. */
typedef struct lower_close_log {
    int calls;
    bool refuse;
    sock_object *object;
} lower_close_log;

static int log_lower_close(void *context, sock_object *object)
{
    lower_close_log *log = context;
    log->calls++;
    log->object = object;
    return log->refuse ? 10035 : 0; /* any non-zero: the lower provider's error */
}

static void refused_lower_close_changes_nothing(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    shared_block *block = object_block_enter(a->object);
    slot_registration reg = {.kind = SLOT_EVENT, .event_mask = 1, .descriptor = UPPER_A, .event = 0x44};
    uint64_t generation = 0;
    assert_int_equal(slot_register(block, &reg, NULL, &generation), CORE_OK);
    object_block_leave(a->object);

    lower_close_log log = {.refuse = true};
    close_result r;
    assert_int_equal(table_close_upper(t, UPPER_A, log_lower_close, &log, &r), CORE_ERR_REFUSED);
    assert_int_equal(log.calls, 1);
    assert_ptr_equal(log.object, a->object);
    assert_null(r.object);
    /* Published, indexed, counted and registered as before. */
    descriptor *found = table_lookup_upper(t, UPPER_A);
    assert_ptr_equal(found, a);
    descriptor_release(found);
    sock_object *o = table_lookup_lower(t, LOWER);
    assert_ptr_equal(o, a->object);
    object_release(o);
    assert_int_equal(a->object->local_descriptors, 1);
    block = object_block_enter(a->object);
    assert_int_equal(block->descriptors_open, 1);
    assert_true(slot_is_current(block, generation));
    object_block_leave(a->object);

    /* Descriptors can join it again, and closing one that is not the last
     * closes no lower socket: nothing to refuse. */
    dup_socket(t, a, UPPER_B);
    assert_int_equal(table_close_upper(t, UPPER_B, log_lower_close, &log, &r), CORE_OK);
    assert_int_equal(log.calls, 1);
    assert_false(r.last_in_process);
    object_release(r.object);

    log.refuse = false;
    assert_int_equal(table_close_upper(t, UPPER_A, log_lower_close, &log, &r), CORE_OK);
    assert_int_equal(log.calls, 2);
    assert_true(r.last_in_process);
    assert_true(r.last_anywhere);
    assert_true(r.registration_cancelled);
    object_release(r.object);
    assert_null(table_lookup_upper(t, UPPER_A));
    assert_null(table_lookup_lower(t, LOWER));
}

typedef struct release_log {
    int calls;
    shared_block *last;
} release_log;

static void log_release(void *context, shared_block *block)
{
    release_log *log = context;
    log->calls++;
    log->last = block;
}

static void attach_joins_the_object_already_here(void **state)
{
    sock_table *t = *state;
    release_log log = {0};
    block_owner owner = {log_release, &log};
    /* The block as another process left it: one descriptor there, a tag. */
    shared_block *mapped = malloc(sizeof *mapped);
    assert_non_null(mapped);
    block_init(mapped, 0xabc00000001ull);
    block_descriptor_added(mapped);
    assert_int_equal(block_set_tag(mapped, "remote", 6), CORE_OK);

    descriptor *first = NULL;
    bool joined = true;
    assert_int_equal(table_socket_attach(t, LOWER, NULL, mapped, &owner, &first, &joined), CORE_OK);
    assert_false(joined);
    assert_int_equal(table_publish(t, first, UPPER_A), CORE_OK);
    assert_ptr_equal(first->object->block, mapped);
    assert_int_equal(mapped->descriptors_open, 2);

    /* The same socket duplicated into this process again. */
    shared_block second_mapping;
    memcpy(&second_mapping, mapped, sizeof second_mapping);
    descriptor *second = NULL;
    assert_int_equal(table_socket_attach(t, LOWER + 4, NULL, &second_mapping, &owner, &second, &joined),
                     CORE_OK);
    assert_true(joined);
    assert_ptr_equal(second->object, first->object);
    assert_int_equal(table_publish(t, second, UPPER_B), CORE_OK);
    assert_int_equal(mapped->descriptors_open, 3);
    assert_null(table_lookup_lower(t, LOWER + 4)); /* the caller closes that one */

    close_expect(t, UPPER_A, false, false);
    close_expect(t, UPPER_B, true, false); /* the other process still has one */
    assert_int_equal(log.calls, 1);
    assert_ptr_equal(log.last, mapped);
    free(mapped);
}

static void attach_refuses_bad_arguments(void **state)
{
    sock_table *t = *state;
    shared_block b;
    block_init(&b, 5);
    block_owner heap = {NULL, NULL};
    descriptor *d = NULL;
    bool joined;
    assert_int_equal(table_socket_attach(t, LOWER, NULL, &b, &heap, &d, &joined), CORE_ERR_INVALID);
    assert_int_equal(table_socket_attach(t, LOWER, NULL, NULL, &heap, &d, &joined), CORE_ERR_INVALID);
    assert_null(d);
    assert_int_equal(table_object_count(t), 0);
}

static void block_moves_once_and_keeps_its_state(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    shared_block *heap_block = object_block_enter(a->object);
    assert_int_equal(block_set_tag(heap_block, "moving", 6), CORE_OK);
    block_count_receive(heap_block, 12);
    uint64_t id = heap_block->shared_id;
    object_block_leave(a->object);

    release_log log = {0};
    block_owner owner = {log_release, &log};
    shared_block *section = malloc(sizeof *section);
    assert_non_null(section);
    assert_int_equal(object_move_block(a->object, section, &owner), CORE_OK);
    assert_ptr_equal(a->object->block, section);
    assert_int_equal(section->shared_id, id);
    assert_int_equal(section->bytes_received, 12);
    char tag[SHARELSP_TAG_MAX];
    size_t tag_length = 0;
    assert_int_equal(block_get_tag(section, tag, sizeof tag, &tag_length), CORE_OK);
    assert_int_equal(tag_length, 6);
    assert_memory_equal(tag, "moving", 6);
    assert_int_equal(section->descriptors_open, 1);
    assert_int_equal(block_validate(section, sizeof *section), CORE_OK);

    shared_block other;
    assert_int_equal(object_move_block(a->object, &other, &owner), CORE_ERR_INVALID);
    assert_int_equal(object_move_block(a->object, section, NULL), CORE_ERR_INVALID);
    close_expect(t, UPPER_A, true, true);
    assert_int_equal(log.calls, 1);
    free(section);
}

static void lower_handle_reused_after_close(void **state)
{
    /* The lower provider may hand out a closed socket's value again while the
     * old object is still referenced: the new socket owns the value. */
    sock_table *t = *state;
    open_socket(t, LOWER, UPPER_A);
    close_result r;
    assert_int_equal(table_close_upper(t, UPPER_A, NULL, NULL, &r), CORE_OK);
    descriptor *fresh = open_socket(t, LOWER, UPPER_B);
    object_release(r.object);
    sock_object *o = table_lookup_lower(t, LOWER);
    assert_ptr_equal(o, fresh->object);
    object_release(o);
}

static int closed_objects;
static void count_last(void *context, const close_result *result)
{
    (void)context;
    assert_non_null(result->object);
    assert_true(result->last_in_process);
    closed_objects++;
}

static void close_all_reports_each_object_once(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    dup_socket(t, a, UPPER_B);
    open_socket(t, LOWER + 4, UPPER_C);
    closed_objects = 0;
    table_close_all(t, count_last, NULL);
    assert_int_equal(closed_objects, 2);
    assert_int_equal(table_descriptor_count(t), 0);
    assert_int_equal(table_object_count(t), 0);
}

/* An info into this process (R7) keeps the socket, without being a
 * descriptor, until it is used. */
static void pending_duplication_holds_the_socket(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    sock_object *object = a->object;
    assert_int_equal(table_pending_add(t, a, 5, 55), CORE_OK);
    assert_int_equal(object->block->descriptors_open, 1);
    /* The last descriptor's close leaves the lower socket to the info. */
    close_expect(t, UPPER_A, false, true);
    sock_object *o = table_lookup_lower(t, LOWER);
    assert_ptr_equal(o, object);
    object_release(o);
    descriptor *d = NULL;
    assert_int_equal(table_pending_take(t, 5, 56, &d), CORE_ERR_NOT_FOUND);
    assert_int_equal(table_pending_take(t, 6, 55, &d), CORE_ERR_NOT_FOUND);
    assert_null(d);
    assert_int_equal(table_pending_take(t, 5, 55, &d), CORE_OK);
    assert_ptr_equal(d->object, object);
    assert_int_equal(object->block->descriptors_open, 1);
    assert_int_equal(table_publish(t, d, UPPER_B), CORE_OK);
    assert_int_equal(table_pending_take(t, 5, 55, &d), CORE_ERR_NOT_FOUND);
    close_expect(t, UPPER_B, true, true);
}

static void pending_reference_is_never_replaced(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    descriptor *b = open_socket(t, LOWER + 4, UPPER_B);
    assert_int_equal(table_pending_add(t, a, 5, 55), CORE_OK);
    assert_int_equal(table_pending_add(t, b, 5, 66), CORE_ERR_EXISTS);
    /* The refused one holds nothing: b's close is its last. */
    close_expect(t, UPPER_B, true, true);
    descriptor *d = NULL;
    assert_int_equal(table_pending_take(t, 5, 66, &d), CORE_ERR_NOT_FOUND);
    assert_int_equal(table_pending_take(t, 5, 55, &d), CORE_OK);
    assert_ptr_equal(d->object, a->object);
    assert_int_equal(table_publish(t, d, UPPER_C), CORE_OK);
    close_expect(t, UPPER_A, false, false);
    close_expect(t, UPPER_C, true, true);
}

static void pending_of_closing_descriptor_is_refused(void **state)
{
    sock_table *t = *state;
    descriptor *a = closed_but_referenced(t);
    assert_int_equal(table_pending_add(t, a, 5, 55), CORE_ERR_CLOSING);
    descriptor_release(a);
    descriptor *d = NULL;
    assert_int_equal(table_pending_take(t, 5, 55, &d), CORE_ERR_NOT_FOUND);
}

static void close_all_drops_pending_duplications(void **state)
{
    sock_table *t = *state;
    descriptor *a = open_socket(t, LOWER, UPPER_A);
    assert_int_equal(table_pending_add(t, a, 5, 55), CORE_OK);
    assert_int_equal(table_pending_add(t, a, 6, 66), CORE_OK);
    close_expect(t, UPPER_A, false, true);
    open_socket(t, LOWER + 4, UPPER_B);
    closed_objects = 0;
    table_close_all(t, count_last, NULL);
    /* The held socket's lower socket is reported for closing, once. */
    assert_int_equal(closed_objects, 2);
    assert_int_equal(table_object_count(t), 0);
    assert_int_equal(object_live_count(), 0);
    assert_int_equal(descriptor_live_count(), 0);
}

static void many_sockets(void **state)
{
    sock_table *t = *state;
    enum { N = 20000 };
    for (uint64_t i = 1; i <= N; i++)
        open_socket(t, i * 4, 0x100000 + i * 4);
    assert_int_equal(table_object_count(t), N);
    for (uint64_t i = 1; i <= N; i++) {
        descriptor *d = table_lookup_upper(t, 0x100000 + i * 4);
        assert_non_null(d);
        assert_int_equal(d->object->lower, i * 4);
        descriptor_release(d);
    }
    for (uint64_t i = 1; i <= N; i += 2)
        close_expect(t, 0x100000 + i * 4, true, true);
    assert_int_equal(table_object_count(t), N / 2);
}

#define TABLE_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TABLE_TEST(lookups_find_what_was_published),
        TABLE_TEST(publish_refuses_zero_and_taken_handles),
        TABLE_TEST(unpublished_descriptor_closes_cleanly),
        TABLE_TEST(duplicates_share_one_state),
        TABLE_TEST(closing_one_descriptor_leaves_the_other),
        TABLE_TEST(close_twice_is_refused),
        TABLE_TEST(reference_outlives_close),
        TABLE_TEST(provider_is_held_while_the_object_lives),
        TABLE_TEST(duplicate_of_closing_descriptor_is_refused),
        TABLE_TEST(duplicate_by_object_found_by_shared_id),
        TABLE_TEST(registration_through_b_replaces_a),
        TABLE_TEST(refused_lower_close_changes_nothing),
        TABLE_TEST(attach_joins_the_object_already_here),
        TABLE_TEST(attach_refuses_bad_arguments),
        TABLE_TEST(block_moves_once_and_keeps_its_state),
        TABLE_TEST(lower_handle_reused_after_close),
        TABLE_TEST(close_all_reports_each_object_once),
        TABLE_TEST(pending_duplication_holds_the_socket),
        TABLE_TEST(pending_reference_is_never_replaced),
        TABLE_TEST(pending_of_closing_descriptor_is_refused),
        TABLE_TEST(close_all_drops_pending_duplications),
        TABLE_TEST(many_sockets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

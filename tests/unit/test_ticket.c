/* The ticket check: a ticket is used only when its header and token say it
 * is meant for this process, this handle, this info and this catalog entry. */
#include "unit.h"

#include <string.h>

#include "ticket.h"

enum { SAMPLE_TICKET_SIZE = 760 };

static const ticket_expect expect = {.pid = 0x5678, .section = 0x2c4, .nonce = 0x8899aabbccddeeffull,
                                     .catalog_entry = 1007};

static ticket_header sample(void)
{
    dup_token t = {.shared_id = 0x0000123400000005ull, .source_pid = 0x1234, .target_pid = expect.pid,
                   .section = expect.section, .nonce = expect.nonce, .catalog_entry = expect.catalog_entry};
    ticket_header h;
    memset(&h, 0, sizeof h);
    h.magic = TICKET_MAGIC;
    h.version = TICKET_VERSION;
    h.size = SAMPLE_TICKET_SIZE;
    assert_int_equal(token_encode(&t, h.token, sizeof h.token), TOKEN_SIZE);
    return h;
}

static void ours_is_accepted(void **state)
{
    (void)state;
    ticket_header h = sample();
    dup_token t;
    assert_int_equal(ticket_check(&h, SAMPLE_TICKET_SIZE, &expect, &t), CORE_OK);
    assert_int_equal(t.shared_id, 0x0000123400000005ull);
    assert_int_equal(t.source_pid, 0x1234);
    h.used = 1; /* the check leaves the one use to the caller */
    assert_int_equal(ticket_check(&h, SAMPLE_TICKET_SIZE, &expect, &t), CORE_OK);
}

static void a_bad_header_is_refused(void **state)
{
    (void)state;
    dup_token t, untouched;
    memset(&t, 0x5a, sizeof t);
    untouched = t;
    ticket_header h = sample();
    h.magic ^= 1;
    assert_int_equal(ticket_check(&h, SAMPLE_TICKET_SIZE, &expect, &t), CORE_ERR_INVALID);
    h = sample();
    h.version++;
    assert_int_equal(ticket_check(&h, SAMPLE_TICKET_SIZE, &expect, &t), CORE_ERR_INVALID);
    h = sample();
    assert_int_equal(ticket_check(&h, SAMPLE_TICKET_SIZE + 8, &expect, &t), CORE_ERR_INVALID);
    h = sample();
    h.token[9] ^= 0x10;
    assert_int_equal(ticket_check(&h, SAMPLE_TICKET_SIZE, &expect, &t), CORE_ERR_INVALID);
    assert_memory_equal(&t, &untouched, sizeof t);
    assert_int_equal(ticket_check(NULL, SAMPLE_TICKET_SIZE, &expect, &t), CORE_ERR_INVALID);
}

static void a_ticket_for_another_use_is_refused(void **state)
{
    (void)state;
    ticket_header h = sample();
    dup_token t;
    ticket_expect other = expect;
    other.pid++;
    assert_int_equal(ticket_check(&h, SAMPLE_TICKET_SIZE, &other, &t), CORE_ERR_INVALID);
    other = expect;
    other.section += 4; /* a copy of the ticket found through another handle */
    assert_int_equal(ticket_check(&h, SAMPLE_TICKET_SIZE, &other, &t), CORE_ERR_INVALID);
    other = expect;
    other.nonce ^= 1; /* an older info whose handle value now names this ticket */
    assert_int_equal(ticket_check(&h, SAMPLE_TICKET_SIZE, &other, &t), CORE_ERR_INVALID);
    other = expect;
    other.catalog_entry++;
    assert_int_equal(ticket_check(&h, SAMPLE_TICKET_SIZE, &other, &t), CORE_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ours_is_accepted),
        cmocka_unit_test(a_bad_header_is_refused),
        cmocka_unit_test(a_ticket_for_another_use_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

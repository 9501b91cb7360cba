/* The duplicate-token codec: exact round trip, and every malformed input
 * refused without reading outside the buffer. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "token.h"

static dup_token sample(void)
{
    dup_token t = {
        .shared_id = 0x0000123400000005ull,
        .source_pid = 0x1234,
        .target_pid = 0x5678,
        .section = 0x2c4,
        .nonce = 0x8899aabbccddeeffull,
        .catalog_entry = 1007,
    };
    return t;
}

static void assert_token_equal(const dup_token *a, const dup_token *b)
{
    assert_int_equal(a->shared_id, b->shared_id);
    assert_int_equal(a->source_pid, b->source_pid);
    assert_int_equal(a->target_pid, b->target_pid);
    assert_int_equal(a->section, b->section);
    assert_int_equal(a->nonce, b->nonce);
    assert_int_equal(a->catalog_entry, b->catalog_entry);
}

static void round_trip(void **state)
{
    (void)state;
    dup_token in = sample(), out;
    uint8_t buf[TOKEN_SIZE + 8];
    memset(buf, 0xee, sizeof buf);
    assert_int_equal(token_encode(&in, buf, sizeof buf), TOKEN_SIZE);
    assert_int_equal(buf[TOKEN_SIZE], 0xee); /* nothing past the token */
    assert_memory_equal(buf, "SLDT", 4);
    assert_int_equal(token_decode(buf, TOKEN_SIZE, &out), CORE_OK);
    assert_token_equal(&in, &out);
    /* A longer buffer (the rest of szProtocol) is fine: only the token is read. */
    assert_int_equal(token_decode(buf, sizeof buf, &out), CORE_OK);
}

static void encode_refuses_short_buffer_and_bad_fields(void **state)
{
    (void)state;
    uint8_t buf[TOKEN_SIZE];
    dup_token t = sample();
    assert_int_equal(token_encode(&t, buf, TOKEN_SIZE - 1), 0);
    assert_int_equal(token_encode(NULL, buf, sizeof buf), 0);
    assert_int_equal(token_encode(&t, NULL, sizeof buf), 0);
    dup_token bad;
    bad = t; bad.shared_id = 0;
    assert_int_equal(token_encode(&bad, buf, sizeof buf), 0);
    bad = t; bad.source_pid = 0;
    assert_int_equal(token_encode(&bad, buf, sizeof buf), 0);
    bad = t; bad.target_pid = 0;
    assert_int_equal(token_encode(&bad, buf, sizeof buf), 0);
    bad = t; bad.nonce = 0;
    assert_int_equal(token_encode(&bad, buf, sizeof buf), 0);
    bad = t; bad.catalog_entry = 0;
    assert_int_equal(token_encode(&bad, buf, sizeof buf), 0);
    bad = t; bad.section = 0; /* across processes the block needs a section */
    assert_int_equal(token_encode(&bad, buf, sizeof buf), 0);
    bad.target_pid = bad.source_pid; /* within one process it does not */
    assert_int_equal(token_encode(&bad, buf, sizeof buf), TOKEN_SIZE);
}

static void every_single_bit_flip_is_refused(void **state)
{
    (void)state;
    dup_token t = sample(), out;
    uint8_t good[TOKEN_SIZE], buf[TOKEN_SIZE];
    assert_int_equal(token_encode(&t, good, sizeof good), TOKEN_SIZE);
    memset(&out, 0x5a, sizeof out);
    dup_token untouched = out;
    for (size_t i = 0; i < TOKEN_SIZE; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(buf, good, sizeof buf);
            buf[i] ^= (uint8_t)(1u << bit);
            assert_int_equal(token_decode(buf, sizeof buf, &out), CORE_ERR_INVALID);
            assert_token_equal(&out, &untouched);
        }
    }
}

static void short_and_null_input_is_refused(void **state)
{
    (void)state;
    dup_token t = sample(), out;
    uint8_t good[TOKEN_SIZE];
    assert_int_equal(token_encode(&t, good, sizeof good), TOKEN_SIZE);
    for (size_t n = 0; n < TOKEN_SIZE; n++) {
        /* An exact-size heap copy, so ASan sees any read past its end. */
        uint8_t *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, good, n);
        assert_int_equal(token_decode(copy, n, &out), CORE_ERR_INVALID);
        free(copy);
    }
    assert_int_equal(token_decode(NULL, TOKEN_SIZE, &out), CORE_ERR_INVALID);
    assert_int_equal(token_decode(good, TOKEN_SIZE, NULL), CORE_ERR_INVALID);
}

static void well_checksummed_but_invalid_fields_are_refused(void **state)
{
    (void)state;
    /* A forger who computes the check still cannot pass zero ids. */
    uint8_t buf[TOKEN_SIZE];
    dup_token t = sample();
    t.target_pid = t.source_pid;
    t.section = 0;
    assert_int_equal(token_encode(&t, buf, sizeof buf), TOKEN_SIZE);
    buf[20] ^= 1; /* target pid now differs, with section still 0 */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < 44; i++) {
        h ^= buf[i];
        h *= 16777619u;
    }
    for (int i = 0; i < 4; i++)
        buf[44 + i] = (uint8_t)(h >> (8 * i));
    dup_token out;
    assert_int_equal(token_decode(buf, sizeof buf, &out), CORE_ERR_INVALID);
}

static void random_bytes_are_refused(void **state)
{
    (void)state;
    srand(777);
    uint8_t buf[TOKEN_SIZE];
    dup_token out;
    for (int i = 0; i < 100000; i++) {
        for (size_t k = 0; k < sizeof buf; k++)
            buf[k] = (uint8_t)rand();
        if (i % 2)
            memcpy(buf, "SLDT\x01\x30\x00\x00", 8); /* a plausible header */
        assert_int_equal(token_decode(buf, sizeof buf, &out), CORE_ERR_INVALID);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(encode_refuses_short_buffer_and_bad_fields),
        cmocka_unit_test(every_single_bit_flip_is_refused),
        cmocka_unit_test(short_and_null_input_is_refused),
        cmocka_unit_test(well_checksummed_but_invalid_fields_are_refused),
        cmocka_unit_test(random_bytes_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

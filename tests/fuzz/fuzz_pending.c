/* The pending duplications (src/core/pending.c) driven by arbitrary bytes:
 * each three bytes are an operation (add, take, take any) with a reference
 * and a nonce from a small range, so that they collide, checked against a
 * model: a reference already pending is refused and keeps its first value,
 * a take gives the value only with its nonce, and once, and nothing
 * pending is lost. */
#include "fuzz.h"

#include <string.h>

#include "pending.h"

enum { REFERENCES = 32, NONCES = 4 };

typedef struct model {
    uint64_t nonce[REFERENCES]; /* 0: nothing pending under that reference */
    int value[REFERENCES];      /* each value is the address of one of these */
    size_t pending;
} model;

static int reference_of(const model *m, const void *value)
{
    const int *v = value;
    FUZZ_CHECK(v >= m->value && v < m->value + REFERENCES);
    return (int)(v - m->value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static model m;
    memset(&m, 0, sizeof m);
    pending_list list;
    pending_init(&list);
    for (size_t i = 0; i + 3 <= size; i += 3) {
        int r = data[i + 1] % REFERENCES;
        uint64_t nonce = data[i + 2] % (NONCES + 1); /* 0 too, which is refused */
        switch (data[i] % 3) {
        case 0: {
            /* Reference 0 is never valid: the model's r names reference r. */
            core_status st = pending_add(&list, (uint64_t)r, nonce, &m.value[r]);
            if (r == 0 || nonce == 0) {
                FUZZ_CHECK(st == CORE_ERR_INVALID);
            } else if (m.nonce[r] != 0) {
                FUZZ_CHECK(st == CORE_ERR_EXISTS);
            } else {
                FUZZ_CHECK(st == CORE_OK);
                m.nonce[r] = nonce;
                m.pending++;
            }
            break;
        }
        case 1: {
            void *v = pending_take(&list, (uint64_t)r, nonce);
            if (m.nonce[r] != 0 && m.nonce[r] == nonce) {
                FUZZ_CHECK(v == &m.value[r]);
                m.nonce[r] = 0;
                m.pending--;
            } else {
                FUZZ_CHECK(v == NULL);
            }
            break;
        }
        default: {
            void *v = pending_take_any(&list);
            if (m.pending == 0) {
                FUZZ_CHECK(v == NULL);
            } else {
                int taken = reference_of(&m, v);
                FUZZ_CHECK(m.nonce[taken] != 0);
                m.nonce[taken] = 0;
                m.pending--;
            }
            break;
        }
        }
    }
    while (m.pending > 0) {
        int taken = reference_of(&m, pending_take_any(&list));
        FUZZ_CHECK(m.nonce[taken] != 0);
        m.nonce[taken] = 0;
        m.pending--;
    }
    FUZZ_CHECK(pending_take_any(&list) == NULL);
    pending_free(&list);
    return 0;
}

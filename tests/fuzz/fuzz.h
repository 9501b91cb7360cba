/* What every fuzz target includes: libFuzzer's entry point, and a check of an
 * invariant that stops the run like a sanitizer report does. (assert is no
 * use here: the preset builds with NDEBUG.) */
#ifndef SHARELSP_TESTS_FUZZ_H
#define SHARELSP_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(condition)                                                                  \
    do {                                                                                       \
        if (!(condition)) {                                                                    \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

#endif

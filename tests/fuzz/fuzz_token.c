/* The duplicate-token decoder (src/core/token.c) on arbitrary bytes: it
 * reads only inside the buffer, leaves its output alone on refusal, and a
 * token it accepts re-encodes to the very bytes it came from. */
#include "fuzz.h"

#include <string.h>

#include "token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dup_token token, untouched;
    memset(&token, 0x5a, sizeof token);
    untouched = token;
    if (token_decode(data, size, &token) != CORE_OK) {
        FUZZ_CHECK(memcmp(&token, &untouched, sizeof token) == 0);
        return 0;
    }
    FUZZ_CHECK(size >= TOKEN_SIZE);
    uint8_t again[TOKEN_SIZE];
    FUZZ_CHECK(token_encode(&token, again, sizeof again) == TOKEN_SIZE);
    FUZZ_CHECK(memcmp(again, data, TOKEN_SIZE) == 0);
    return 0;
}

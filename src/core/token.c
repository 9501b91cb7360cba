#include "token.h"

#include <stdbool.h>
#include <string.h>

static const uint8_t token_magic[4] = {'S', 'L', 'D', 'T'};
enum { TOKEN_CHECK_OFFSET = 44 };

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static uint32_t get_u32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint32_t token_check(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

static bool token_fields_valid(const dup_token *t)
{
    if (t->shared_id == 0 || t->source_pid == 0 || t->target_pid == 0 || t->nonce == 0 ||
        t->catalog_entry == 0)
        return false;
    /* Across processes the block can only travel in a section. */
    return t->section != 0 || t->source_pid == t->target_pid;
}

size_t token_encode(const dup_token *token, uint8_t *buffer, size_t capacity)
{
    if (token == NULL || buffer == NULL || capacity < TOKEN_SIZE || !token_fields_valid(token))
        return 0;
    uint8_t out[TOKEN_SIZE];
    memcpy(out, token_magic, sizeof token_magic);
    out[4] = TOKEN_VERSION;
    out[5] = TOKEN_SIZE;
    put_u16(out + 6, 0);
    put_u64(out + 8, token->shared_id);
    put_u32(out + 16, token->source_pid);
    put_u32(out + 20, token->target_pid);
    put_u64(out + 24, token->section);
    put_u64(out + 32, token->nonce);
    put_u32(out + 40, token->catalog_entry);
    put_u32(out + TOKEN_CHECK_OFFSET, token_check(out, TOKEN_CHECK_OFFSET));
    memcpy(buffer, out, TOKEN_SIZE);
    return TOKEN_SIZE;
}

core_status token_decode(const uint8_t *buffer, size_t length, dup_token *token)
{
    if (buffer == NULL || token == NULL || length < TOKEN_SIZE)
        return CORE_ERR_INVALID;
    if (memcmp(buffer, token_magic, sizeof token_magic) != 0 || buffer[4] != TOKEN_VERSION ||
        buffer[5] != TOKEN_SIZE || get_u16(buffer + 6) != 0)
        return CORE_ERR_INVALID;
    if (get_u32(buffer + TOKEN_CHECK_OFFSET) != token_check(buffer, TOKEN_CHECK_OFFSET))
        return CORE_ERR_INVALID;
    dup_token t;
    t.shared_id = get_u64(buffer + 8);
    t.source_pid = get_u32(buffer + 16);
    t.target_pid = get_u32(buffer + 20);
    t.section = get_u64(buffer + 24);
    t.nonce = get_u64(buffer + 32);
    t.catalog_entry = get_u32(buffer + 40);
    if (!token_fields_valid(&t))
        return CORE_ERR_INVALID;
    *token = t;
    return CORE_OK;
}

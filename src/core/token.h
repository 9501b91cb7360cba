/* The duplicate token: what a duplication into another process carries, in
 * the ticket section the WSAPROTOCOL_INFOW refers to, so that WSPSocket in
 * the target process finds the socket (shared id), checks the ticket is
 * meant for it (process ids, catalog entry, and the ticket's own handle in
 * the target, which a copied ticket cannot match), and uses it once only
 * (nonce).
 *
 * Wire format, little-endian, TOKEN_SIZE bytes:
 *   0 magic "SLDT" | 4 version u8 | 5 size u8 | 6 reserved u16 (0)
 *   8 shared_id u64 | 16 source_pid u32 | 20 target_pid u32
 *  24 section u64 | 32 nonce u64 | 40 catalog_entry u32 | 44 check u32
 * check is FNV-1a over bytes 0..43. Decoding reads only inside the buffer it
 * is given and rejects anything malformed. */
#ifndef SHARELSP_CORE_TOKEN_H
#define SHARELSP_CORE_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define TOKEN_SIZE 48u
#define TOKEN_VERSION 1u

typedef struct dup_token {
    uint64_t shared_id;     /* never 0 */
    uint32_t source_pid;    /* never 0 */
    uint32_t target_pid;    /* never 0 */
    uint64_t section;       /* handle in the target; 0 only within one process */
    uint64_t nonce;         /* never 0 */
    uint32_t catalog_entry; /* ShareLSP's chain entry the info names; never 0 */
} dup_token;

/* Writes TOKEN_SIZE bytes. Returns TOKEN_SIZE, or 0 (nothing written) when the
 * buffer is short or the token breaks the rules above. */
size_t token_encode(const dup_token *token, uint8_t *buffer, size_t capacity);

/* CORE_OK and *token filled, or CORE_ERR_INVALID and *token untouched. */
core_status token_decode(const uint8_t *buffer, size_t length, dup_token *token);

#endif

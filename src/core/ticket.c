#include "ticket.h"

#include <stddef.h>

/* The ticket is read by the target, which may be of the other bitness: fixed
 * fields at fixed offsets in both builds. */
_Static_assert(sizeof(ticket_header) == 16 + TOKEN_SIZE, "ticket_header layout");
_Static_assert(offsetof(ticket_header, token) == 16, "ticket_header layout");

core_status ticket_check(const ticket_header *header, uint32_t ticket_size, const ticket_expect *expect,
                         dup_token *token)
{
    if (header == NULL || expect == NULL || token == NULL)
        return CORE_ERR_INVALID;
    if (header->magic != TICKET_MAGIC || header->version != TICKET_VERSION || header->size != ticket_size)
        return CORE_ERR_INVALID;
    dup_token t;
    if (token_decode(header->token, sizeof header->token, &t) != CORE_OK)
        return CORE_ERR_INVALID;
    if (t.target_pid != expect->pid || t.section != expect->section || t.nonce != expect->nonce ||
        t.catalog_entry != expect->catalog_entry)
        return CORE_ERR_INVALID;
    *token = t;
    return CORE_OK;
}

/* Sections that carry a socket's state between processes: the shared block,
 * moved into an unnamed section on the first duplication into another
 * process, and one ticket per duplication. No named kernel object is ever
 * created: handles reach the target by DuplicateHandle. */
#ifndef SHARELSP_LSP_SECTION_H
#define SHARELSP_LSP_SECTION_H

#include <winsock2.h>
#include <ws2spi.h>

#include "object.h"
#include "ticket.h"
#include "token.h"

/* What one duplication into another process carries: the duplicate token
 * (src/core/token.h: socket, processes, this ticket's own handle in the
 * target, nonce) in its header (src/core/ticket.h), the block's section and
 * the lower provider's duplicate info. Read in the target from memory the
 * source wrote, so every field is checked before use. */
typedef struct dup_ticket {
    ticket_header header;
    uint64_t block_section;       /* handle of the block's section, in the target */
    uint64_t registration_lock;   /* handle of the socket's registration lock, in the target */
    WSAPROTOCOL_INFOW lower_info; /* the lower provider's duplicate info, whole */
} dup_ticket;

/* The section holding the object's block, moving the block into a new one
 * first if it is still on the heap, and the socket's registration lock: an
 * unnamed mutex made with the section, which every process mapping it holds
 * (registration.c). The handles stay the object's. */
int section_share_block(sock_object *object, HANDLE *section, HANDLE *registration_lock);

/* Maps a block section (a handle this process owns) and takes it, with the
 * registration lock's handle, as the object's block owner. On failure nothing
 * is kept and both handles are closed. */
int section_map_block(HANDLE section, HANDLE registration_lock, shared_block **block, block_owner *owner);
/* Releases a mapping made by section_map_block that no object took. */
void section_unmap_block(shared_block *block, const block_owner *owner);

/* A new ticket section, zeroed and mapped here, with its handle duplicated
 * into target (the local handle is closed: the section lives on through
 * the target's handle and this view). The caller writes the ticket, header
 * last, then unmaps it with section_unmap_ticket. */
int section_make_ticket(HANDLE target, dup_ticket **ticket, HANDLE *remote);
void section_unmap_ticket(dup_ticket *ticket);

/* Opens, checks and consumes a ticket named by an untrusted handle value:
 * its header, and a token that decodes, is meant for this process and this
 * catalog entry, names this very handle, and carries nonce (the info's: a
 * used info whose handle value now names a later ticket does not match).
 * On success the ticket handle is closed and *out, *token hold its content.
 * A handle that does not map, or maps to memory that is not such a ticket,
 * is left alone (it may be someone else's) and nothing is used up:
 * WSAEINVAL. */
int section_take_ticket(HANDLE handle, uint64_t nonce, uint32_t catalog_entry, dup_ticket *out, dup_token *token);

#endif

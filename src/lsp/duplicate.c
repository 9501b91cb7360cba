/* WSPDuplicateSocket and its counterpart in WSPSocket (rules R1, R4, R7).
 *
 * The WSAPROTOCOL_INFOW we return is our chain entry's, so the target's
 * ws2_32 routes it back to us, with three fields of ours set. ws2_32 copies
 * every field but szProtocol as it is, through WSADuplicateSocketA and
 * WSASocketA as well (wsphost's api_convert.c; Wine's ws2_32 carries its own
 * duplicate handle in dwServiceFlags3/4 the same way), and passes the
 * caller's info to the provider it names.
 *   - dwProviderReserved, the provider's own field, says where: 0 is our
 *     catalog entry itself (a new socket); with the top bit clear, a random
 *     reference to a pending duplication into this process (table.h:
 *     table_pending_add), which holds the socket until the info is used or
 *     WSPCleanup; with TICKET_REFERENCE, the handle, in the target, of a
 *     ticket section holding the duplicate token (src/core/token.h), the
 *     block's section (the block moves there first) and the lower
 *     provider's own duplicate info, whole.
 *   - dwServiceFlags3 and dwServiceFlags4, reserved fields of the
 *     provider's own info, carry the token's 64-bit random nonce, low half
 *     first. A reference alone is not unique: the target reuses a closed
 *     ticket's handle value, so a used info could name a later ticket (and
 *     a random reference can be drawn twice). An info opens only the
 *     duplication whose nonce it carries.
 * So each info is distinct and works once; a used, stale, forged or
 * misdirected one is refused with WSAEINVAL and uses nothing up. */
#define _CRT_RAND_S
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

#include "section.h"
#include "token.h"

/* dwProviderReserved is a DWORD: the top bit marks a ticket; kernel handle
 * values (multiples of 4, far below 2^31) fit under it. */
#define TICKET_REFERENCE 0x80000000u

/* false only if the system has no random numbers to give: the callers
 * retry on an unlucky draw, never on a failure. */
static bool random_u32(uint32_t *out)
{
    unsigned int a = 0;
    if (rand_s(&a) != 0)
        return false;
    *out = a;
    return true;
}

/* Never 0: the token refuses a nonce of 0. */
static bool new_nonce(uint64_t *nonce)
{
    uint32_t high = 0, low = 0;
    do {
        if (!random_u32(&high) || !random_u32(&low))
            return false;
    } while ((high | low) == 0);
    *nonce = (uint64_t)high << 32 | low;
    return true;
}

static void info_set_nonce(WSAPROTOCOL_INFOW *info, uint64_t nonce)
{
    info->dwServiceFlags3 = (DWORD)nonce;
    info->dwServiceFlags4 = (DWORD)(nonce >> 32);
}

static uint64_t info_nonce(const WSAPROTOCOL_INFOW *info)
{
    return (uint64_t)info->dwServiceFlags4 << 32 | info->dwServiceFlags3;
}

/* A pending duplication into this process, under a reference not pending
 * already (a random one drawn twice would lose the first). */
static int duplicate_here(descriptor *d, uint64_t nonce, uint64_t *reference)
{
    core_status st;
    do {
        uint32_t r = 0;
        if (!random_u32(&r))
            return WSAENOBUFS;
        *reference = r & ~TICKET_REFERENCE;
        st = *reference != 0 ? table_pending_add(lsp_table, d, *reference, nonce) : CORE_ERR_EXISTS;
    } while (st == CORE_ERR_EXISTS);
    return lsp_wsa_error(st);
}

/* Closes a handle we duplicated into another process: moved back here
 * (DUPLICATE_CLOSE_SOURCE) and closed. Wine refuses the shorter form with
 * no target process (ERROR_INVALID_HANDLE), which left the handle there. */
static void close_remote(HANDLE process, HANDLE remote)
{
    HANDLE local = NULL;
    if (remote != NULL && DuplicateHandle(process, remote, GetCurrentProcess(), &local, 0, FALSE,
                                          DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS))
        CloseHandle(local);
}

/* Ordered so that the lower provider's duplication is the last step that
 * can fail: it puts a handle to the connection in the target, which keeps
 * the connection open and which only the target (or the lower provider)
 * can close. Every earlier step is undone on failure. */
static int duplicate_across(descriptor *d, DWORD pid, dup_token *token, uint64_t *reference)
{
    sock_object *object = d->object;
    HANDLE target = OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid);
    if (target == NULL)
        return WSAEINVAL;
    HANDLE block_section = NULL, registration_lock = NULL;
    HANDLE remote_block = NULL, remote_lock = NULL, remote_ticket = NULL;
    dup_ticket *ticket = NULL;
    WSAPROTOCOL_INFOW lower_info;
    int err = section_share_block(object, &block_section, &registration_lock);
    if (err == 0)
        lsp_registration_go_remote(object);
    if (err == 0 && (!DuplicateHandle(GetCurrentProcess(), block_section, target, &remote_block, 0, FALSE,
                                      DUPLICATE_SAME_ACCESS) ||
                     !DuplicateHandle(GetCurrentProcess(), registration_lock, target, &remote_lock, 0, FALSE,
                                      DUPLICATE_SAME_ACCESS)))
        err = WSAEINVAL;
    if (err == 0)
        err = section_make_ticket(target, &ticket, &remote_ticket);
    if (err == 0) {
        token->section = (uint64_t)(uintptr_t)remote_ticket; /* the ticket names itself */
        if ((uintptr_t)remote_ticket >= TICKET_REFERENCE)
            err = WSAENOBUFS; /* a handle value that does not fit the reference */
        else if (token_encode(token, ticket->header.token, sizeof ticket->header.token) != TOKEN_SIZE)
            err = WSAEINVAL;
    }
    if (err == 0 && lsp_lower_procs(object)->lpWSPDuplicateSocket(lsp_lower_socket(object), pid, &lower_info,
                                                                  &err) != 0 && err == 0)
        err = WSAEINVAL;
    if (err == 0) {
        block_test_stop_point("duplicate");
        ticket->block_section = (uint64_t)(uintptr_t)remote_block;
        ticket->registration_lock = (uint64_t)(uintptr_t)remote_lock;
        ticket->lower_info = lower_info;
        /* The header last: until it is written the ticket is nobody's. */
        ticket->header.size = sizeof *ticket;
        ticket->header.version = TICKET_VERSION;
        ticket->header.magic = TICKET_MAGIC;
        *reference = TICKET_REFERENCE | (uint64_t)(uintptr_t)remote_ticket;
    }
    if (ticket != NULL)
        section_unmap_ticket(ticket);
    if (err != 0) {
        /* Nothing is left in the target: the handles we gave it are taken back. */
        close_remote(target, remote_ticket);
        close_remote(target, remote_block);
        close_remote(target, remote_lock);
    }
    CloseHandle(target);
    return err;
}

static int WSPAPI lsp_duplicate_socket(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                       LPINT lpErrno)
{
    if (lpProtocolInfo == NULL) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    lsp_entry *entry = lsp_socket_entry(d->object);
    shared_block *block = object_block_enter(d->object);
    uint64_t shared_id = block->shared_id;
    object_block_leave(d->object);
    dup_token token = {.shared_id = shared_id,
                       .source_pid = GetCurrentProcessId(),
                       .target_pid = dwProcessId,
                       .section = 0,
                       .nonce = 0,
                       .catalog_entry = entry->catalog_id};
    uint64_t reference = 0;
    int err = 0;
    if (!new_nonce(&token.nonce))
        err = WSAENOBUFS;
    else if (dwProcessId == GetCurrentProcessId())
        err = duplicate_here(d, token.nonce, &reference);
    else if (dwProcessId == 0)
        err = WSAEINVAL;
    else
        err = duplicate_across(d, dwProcessId, &token, &reference);
    if (err == 0) {
        *lpProtocolInfo = entry->info;
        lpProtocolInfo->dwProviderReserved = (DWORD)reference;
        info_set_nonce(lpProtocolInfo, token.nonce);
    }
    lsp_done(d, lpErrno);
    if (err != 0) {
        *lpErrno = err;
        return SOCKET_ERROR;
    }
    return 0;
}

static SOCKET join_here(uint64_t reference, uint64_t nonce, LPINT lpErrno)
{
    descriptor *d = NULL;
    if (table_pending_take(lsp_table, reference, nonce, &d) != CORE_OK) {
        sharelsp_diagnostic("duplicate info refused: no duplication %#llx is pending in this process (used "
                            "already, made for another process, or forged)", (unsigned long long)reference);
        *lpErrno = WSAEINVAL; /* used already, never issued here, or forged */
        return INVALID_SOCKET;
    }
    return lsp_publish(d, lsp_socket_entry(d->object)->catalog_id, lpErrno);
}

static SOCKET attach_from_ticket(lsp_entry *entry, uint64_t handle, uint64_t nonce, DWORD flags, LPINT lpErrno)
{
    dup_ticket ticket;
    dup_token token;
    int err = section_take_ticket((HANDLE)(uintptr_t)handle, nonce, entry->catalog_id, &ticket, &token);
    if (err != 0) {
        sharelsp_diagnostic("duplicate info refused (%d): its ticket %#llx is not one for this process and entry "
                            "%lu, or was used already", err, (unsigned long long)handle,
                            (unsigned long)entry->catalog_id);
        *lpErrno = err;
        return INVALID_SOCKET;
    }
    /* Consumed: from here on, whatever fails releases what the ticket
     * brought (the lower duplicate, the block's section, the registration
     * lock). */
    WSPPROC_TABLE *lower = &entry->lower->procs;
    SOCKET ls = lower->lpWSPSocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &ticket.lower_info, 0,
                                   flags, &err);
    if (ls == INVALID_SOCKET) {
        CloseHandle((HANDLE)(uintptr_t)ticket.block_section);
        CloseHandle((HANDLE)(uintptr_t)ticket.registration_lock);
        *lpErrno = err;
        return INVALID_SOCKET;
    }
    int ignored = 0;
    shared_block *block = NULL;
    block_owner owner;
    if ((err = section_map_block((HANDLE)(uintptr_t)ticket.block_section,
                                 (HANDLE)(uintptr_t)ticket.registration_lock, &block, &owner)) != 0 ||
        block->shared_id != token.shared_id) {
        if (err == 0)
            section_unmap_block(block, &owner);
        sharelsp_diagnostic("duplicate info refused: its socket's shared block does not validate");
        lower->lpWSPCloseSocket(ls, &ignored);
        *lpErrno = WSAEINVAL;
        return INVALID_SOCKET;
    }
    descriptor *d = NULL;
    bool joined = false;
    core_status st = table_socket_attach(lsp_table, (uint64_t)ls, entry, block, &owner, &d, &joined);
    if (st != CORE_OK || joined) {
        /* Joined the object already here: its lower socket and mapping serve. */
        lower->lpWSPCloseSocket(ls, &ignored);
        section_unmap_block(block, &owner);
    }
    if (st != CORE_OK) {
        *lpErrno = lsp_wsa_error(st);
        return INVALID_SOCKET;
    }
    lsp_registration_go_remote(d->object);
    return lsp_publish(d, lsp_socket_entry(d->object)->catalog_id, lpErrno);
}

SOCKET lsp_socket_from_duplicate(lsp_entry *entry, LPWSAPROTOCOL_INFOW info, DWORD flags, BOOL *handled,
                                 LPINT lpErrno)
{
    /* Our catalog entry as it stands (from WSAEnumProtocols) has no
     * reference: it asks for a new socket. Anything else must be ours. */
    uint64_t reference = (uint64_t)info->dwProviderReserved;
    *handled = reference != 0;
    if (!*handled)
        return INVALID_SOCKET;
    uint64_t nonce = info_nonce(info);
    if ((reference & TICKET_REFERENCE) == 0)
        return join_here(reference, nonce, lpErrno);
    return attach_from_ticket(entry, reference & ~(uint64_t)TICKET_REFERENCE, nonce, flags, lpErrno);
}

void lsp_fill_duplicate_procs(WSPPROC_TABLE *procs) { procs->lpWSPDuplicateSocket = lsp_duplicate_socket; }

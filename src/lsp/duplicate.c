/* WSPDuplicateSocket and its counterpart in WSPSocket (rules R1, R4, R7).
 *
 * The WSAPROTOCOL_INFOW we return is our chain entry's, so the target's
 * ws2_32 routes it back to us, with one field of ours set:
 * dwProviderReserved, the provider's own, which (unlike szProtocol) survives
 * the conversions of WSADuplicateSocketA / WSASocketA. It holds a reference:
 *   - into this process: a random 31-bit nonce (top bit clear) kept in a
 *     list of pending duplications, naming the socket;
 *   - into another process: TICKET_REFERENCE | the handle, in the target, of
 *     a ticket section that holds the duplicate token (src/core/token.h), the
 *     block's section (the block moves there first) and the lower provider's
 *     own duplicate info, whole.
 * Each info works once; anything else is refused with WSAEINVAL. */
#define _CRT_RAND_S
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "section.h"
#include "token.h"

/* dwProviderReserved is a DWORD: the top bit marks a ticket; kernel handle
 * values (multiples of 4, far below 2^31) fit under it. */
#define TICKET_REFERENCE 0x80000000u

/* Same-process duplications not used yet: nonce -> shared id. */
static SRWLOCK pending_lock = SRWLOCK_INIT;
static hashmap pending;

static uint64_t new_nonce(void)
{
    unsigned int a = 0;
    rand_s(&a);
    uint64_t n = a & ~TICKET_REFERENCE; /* it must fit the reference: 31 bits */
    return n ? n : 1;
}

static int pending_add(uint64_t nonce, uint64_t shared_id)
{
    uint64_t *value = HeapAlloc(GetProcessHeap(), 0, sizeof *value);
    if (value == NULL)
        return WSAENOBUFS;
    *value = shared_id;
    AcquireSRWLockExclusive(&pending_lock);
    core_status st = hashmap_put(&pending, nonce, value, NULL);
    ReleaseSRWLockExclusive(&pending_lock);
    if (st != CORE_OK) {
        HeapFree(GetProcessHeap(), 0, value);
        return WSAENOBUFS;
    }
    return 0;
}

/* Removes a pending nonce; true, with the socket's shared id, if it was. */
static bool pending_take(uint64_t nonce, uint64_t *shared_id)
{
    AcquireSRWLockExclusive(&pending_lock);
    uint64_t *value = hashmap_get(&pending, nonce);
    if (value != NULL) {
        *shared_id = *value;
        hashmap_remove_if(&pending, nonce, value);
    }
    ReleaseSRWLockExclusive(&pending_lock);
    HeapFree(GetProcessHeap(), 0, value);
    return value != NULL;
}

void lsp_duplicate_forget_all(void)
{
    AcquireSRWLockExclusive(&pending_lock);
    for (size_t i = 0; i < pending.capacity; i++)
        HeapFree(GetProcessHeap(), 0, pending.entries[i].value);
    hashmap_free(&pending);
    ReleaseSRWLockExclusive(&pending_lock);
}

/* What a ticket holds, written once its handle in the target is known. */
typedef struct ticket_content {
    dup_token token;
    uint64_t block_section;
    uint64_t registration_lock;
    const WSAPROTOCOL_INFOW *lower_info;
} ticket_content;

static void ticket_fill(void *context, dup_ticket *ticket, uint64_t remote)
{
    ticket_content *c = context;
    memset(ticket, 0, sizeof *ticket);
    ticket->magic = TICKET_MAGIC;
    ticket->version = TICKET_VERSION;
    ticket->size = sizeof *ticket;
    c->token.section = remote; /* the ticket names itself */
    token_encode(&c->token, ticket->token, sizeof ticket->token);
    ticket->block_section = c->block_section;
    ticket->registration_lock = c->registration_lock;
    ticket->lower_info = *c->lower_info;
}

/* Closes a handle we duplicated into another process. */
static void close_remote(HANDLE process, uint64_t remote)
{
    if (remote != 0)
        DuplicateHandle(process, (HANDLE)(uintptr_t)remote, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE);
}

static int duplicate_across(descriptor *d, DWORD pid, dup_token *token, uint64_t *reference, LPINT lpErrno)
{
    sock_object *object = d->object;
    HANDLE target = OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid);
    if (target == NULL) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    WSAPROTOCOL_INFOW lower_info;
    int err = 0;
    HANDLE block_section = NULL, remote_block = NULL, remote_ticket = NULL;
    HANDLE registration_lock = NULL, remote_lock = NULL;
    if (lsp_lower_procs(object)->lpWSPDuplicateSocket(lsp_lower_socket(object), pid, &lower_info, &err) != 0)
        goto fail;
    if ((err = section_share_block(object, &block_section, &registration_lock)) != 0)
        goto fail;
    if (!DuplicateHandle(GetCurrentProcess(), block_section, target, &remote_block, 0, FALSE,
                         DUPLICATE_SAME_ACCESS) ||
        !DuplicateHandle(GetCurrentProcess(), registration_lock, target, &remote_lock, 0, FALSE,
                         DUPLICATE_SAME_ACCESS)) {
        err = WSAEINVAL;
        goto fail;
    }
    ticket_content content = {*token, (uint64_t)(uintptr_t)remote_block, (uint64_t)(uintptr_t)remote_lock,
                              &lower_info};
    if ((err = section_make_ticket(target, ticket_fill, &content, &remote_ticket)) != 0)
        goto fail;
    if ((uintptr_t)remote_ticket >= TICKET_REFERENCE) {
        close_remote(target, (uint64_t)(uintptr_t)remote_ticket);
        err = WSAENOBUFS; /* a handle value that does not fit the reference */
        goto fail;
    }
    *reference = TICKET_REFERENCE | (uint64_t)(uintptr_t)remote_ticket;
    CloseHandle(target);
    return 0;
fail:
    /* Nothing is left in the target: the handles we gave it are taken back. */
    close_remote(target, (uint64_t)(uintptr_t)remote_block);
    close_remote(target, (uint64_t)(uintptr_t)remote_lock);
    CloseHandle(target);
    *lpErrno = err ? err : WSAEINVAL;
    return SOCKET_ERROR;
}

static int WSPAPI lsp_duplicate_socket(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                       LPINT lpErrno)
{
    if (lpProtocolInfo == NULL) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    LSP_ENTER(s, d, SOCKET_ERROR);
    lsp_entry *entry = lsp_entry_of(d->object);
    shared_block *block = object_block_enter(d->object);
    uint64_t shared_id = block->shared_id;
    object_block_leave(d->object);
    dup_token token = {.shared_id = shared_id,
                       .source_pid = GetCurrentProcessId(),
                       .target_pid = dwProcessId,
                       .section = 0,
                       .nonce = new_nonce(),
                       .catalog_entry = entry->catalog_id};
    int r = 0;
    uint64_t reference = token.nonce;
    if (dwProcessId == GetCurrentProcessId()) {
        int err = pending_add(token.nonce, shared_id);
        if (err != 0) {
            *lpErrno = err;
            r = SOCKET_ERROR;
        }
    } else if (dwProcessId == 0) {
        *lpErrno = WSAEINVAL;
        r = SOCKET_ERROR;
    } else {
        r = duplicate_across(d, dwProcessId, &token, &reference, lpErrno);
    }
    if (r == 0) {
        *lpProtocolInfo = entry->info;
        lpProtocolInfo->dwProviderReserved = (DWORD)reference;
    }
    descriptor_release(d);
    return r;
}

static SOCKET join_here(uint64_t nonce, LPINT lpErrno)
{
    uint64_t shared_id = 0;
    if (!pending_take(nonce, &shared_id)) {
        *lpErrno = WSAEINVAL; /* used already, or never issued here */
        return INVALID_SOCKET;
    }
    sock_object *object = table_lookup_shared(lsp_table, shared_id);
    descriptor *d = NULL;
    core_status st = object != NULL ? table_duplicate_object(lsp_table, object, &d) : CORE_ERR_NOT_FOUND;
    SOCKET s = INVALID_SOCKET;
    if (st == CORE_OK)
        s = lsp_publish(d, lsp_entry_of(object)->catalog_id, lpErrno);
    else
        *lpErrno = WSAEINVAL; /* the socket was closed meanwhile */
    if (object != NULL)
        object_release(object);
    return s;
}

static SOCKET attach_from_ticket(lsp_entry *entry, uint64_t handle, DWORD flags, LPINT lpErrno)
{
    dup_ticket ticket;
    dup_token decoded;
    const dup_token *token = &decoded;
    int err = section_take_ticket((HANDLE)(uintptr_t)handle, &ticket, &decoded);
    if (err != 0) {
        *lpErrno = err;
        return INVALID_SOCKET;
    }
    if (decoded.catalog_entry != entry->catalog_id) {
        /* Consumed, but routed to another entry than the one that made it:
         * release what the ticket brought. */
        CloseHandle((HANDLE)(uintptr_t)ticket.block_section);
        CloseHandle((HANDLE)(uintptr_t)ticket.registration_lock);
        *lpErrno = WSAEINVAL;
        return INVALID_SOCKET;
    }
    shared_block *block = NULL;
    block_owner owner;
    if ((err = section_map_block((HANDLE)(uintptr_t)ticket.block_section,
                                 (HANDLE)(uintptr_t)ticket.registration_lock, &block, &owner)) != 0 ||
        block->shared_id != token->shared_id) {
        if (err == 0)
            section_unmap_block(block, &owner);
        *lpErrno = WSAEINVAL;
        return INVALID_SOCKET;
    }
    WSPPROC_TABLE *lower = &entry->lower->procs;
    SOCKET ls = lower->lpWSPSocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &ticket.lower_info, 0,
                                   flags, &err);
    if (ls == INVALID_SOCKET) {
        section_unmap_block(block, &owner);
        *lpErrno = err;
        return INVALID_SOCKET;
    }
    descriptor *d = NULL;
    bool joined = false;
    core_status st = table_socket_attach(lsp_table, (uint64_t)ls, entry, block, &owner, &d, &joined);
    if (st != CORE_OK || joined) {
        /* Joined the object already here: its lower socket and mapping serve. */
        int ignored = 0;
        lower->lpWSPCloseSocket(ls, &ignored);
        section_unmap_block(block, &owner);
    }
    if (st != CORE_OK) {
        *lpErrno = lsp_wsa_error(st);
        return INVALID_SOCKET;
    }
    return lsp_publish(d, lsp_entry_of(d->object)->catalog_id, lpErrno);
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
    if ((reference & TICKET_REFERENCE) == 0)
        return join_here(reference, lpErrno);
    return attach_from_ticket(entry, reference & ~(uint64_t)TICKET_REFERENCE, flags, lpErrno);
}

void lsp_fill_duplicate_procs(WSPPROC_TABLE *procs) { procs->lpWSPDuplicateSocket = lsp_duplicate_socket; }

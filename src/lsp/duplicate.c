/* WSPDuplicateSocket and its counterpart in WSPSocket (rules R1, R4, R7).
 *
 * The WSAPROTOCOL_INFOW we return names our chain entry, so the target's
 * ws2_32 routes it back to us; its szProtocol carries, after the name, the
 * duplicate token (src/core/token.h). Into this process, the token names the
 * socket object and a nonce kept in a list of pending duplications. Into
 * another process, the shared block moves into a section, and a ticket
 * section holding the nonce, the block section's handle and the lower
 * provider's own duplicate info (whole) is duplicated into the target. Each
 * info works once; anything else is refused with WSAEINVAL. */
#define _CRT_RAND_S
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "section.h"
#include "token.h"

/* The token sits in szProtocol after the first 128 characters (the name). */
enum { TOKEN_OFFSET = 128 * sizeof(WCHAR) };
_Static_assert(TOKEN_OFFSET + TOKEN_SIZE <= sizeof(((WSAPROTOCOL_INFOW *)0)->szProtocol), "token fits");

/* Same-process duplications not used yet: nonce -> shared id. */
static SRWLOCK pending_lock = SRWLOCK_INIT;
static hashmap pending;

static uint64_t new_nonce(void)
{
    unsigned int a = 0, b = 0;
    rand_s(&a);
    rand_s(&b);
    uint64_t n = (uint64_t)a << 32 | b;
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

/* Removes the nonce; true if it was pending for that socket. */
static bool pending_take(uint64_t nonce, uint64_t shared_id)
{
    AcquireSRWLockExclusive(&pending_lock);
    uint64_t *value = hashmap_get(&pending, nonce);
    bool ok = value != NULL && *value == shared_id;
    if (value != NULL)
        hashmap_remove_if(&pending, nonce, value);
    ReleaseSRWLockExclusive(&pending_lock);
    HeapFree(GetProcessHeap(), 0, value);
    return ok;
}

void lsp_duplicate_forget_all(void)
{
    AcquireSRWLockExclusive(&pending_lock);
    for (size_t i = 0; i < pending.capacity; i++)
        HeapFree(GetProcessHeap(), 0, pending.entries[i].value);
    hashmap_free(&pending);
    ReleaseSRWLockExclusive(&pending_lock);
}

static void info_with_token(const lsp_entry *entry, const dup_token *token, LPWSAPROTOCOL_INFOW info)
{
    *info = entry->info;
    info->dwProviderReserved = 0;
    memset(info->szProtocol, 0, sizeof info->szProtocol);
    wcsncpy(info->szProtocol, entry->info.szProtocol, TOKEN_OFFSET / sizeof(WCHAR) - 1);
    token_encode(token, (uint8_t *)info->szProtocol + TOKEN_OFFSET, TOKEN_SIZE);
}

/* Closes a handle we duplicated into another process. */
static void close_remote(HANDLE process, uint64_t remote)
{
    if (remote != 0)
        DuplicateHandle(process, (HANDLE)(uintptr_t)remote, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE);
}

static int duplicate_across(descriptor *d, DWORD pid, dup_token *token, LPINT lpErrno)
{
    sock_object *object = d->object;
    HANDLE target = OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid);
    if (target == NULL) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    dup_ticket ticket;
    memset(&ticket, 0, sizeof ticket);
    ticket.magic = TICKET_MAGIC;
    ticket.version = TICKET_VERSION;
    ticket.size = sizeof ticket;
    ticket.source_pid = GetCurrentProcessId();
    ticket.target_pid = pid;
    ticket.nonce = token->nonce;
    ticket.shared_id = token->shared_id;
    int err = 0;
    HANDLE block_section = NULL, remote_block = NULL, remote_ticket = NULL;
    if (lsp_lower_procs(object)->lpWSPDuplicateSocket(lsp_lower_socket(object), pid, &ticket.lower_info, &err) != 0)
        goto fail;
    if ((err = section_share_block(object, &block_section)) != 0)
        goto fail;
    if (!DuplicateHandle(GetCurrentProcess(), block_section, target, &remote_block, 0, FALSE,
                         DUPLICATE_SAME_ACCESS)) {
        err = WSAEINVAL;
        goto fail;
    }
    ticket.block_section = (uint64_t)(uintptr_t)remote_block;
    if ((err = section_make_ticket(&ticket, target, &remote_ticket)) != 0)
        goto fail;
    token->section = (uint64_t)(uintptr_t)remote_ticket;
    CloseHandle(target);
    return 0;
fail:
    /* Nothing is left in the target: the handles we gave it are taken back. */
    close_remote(target, (uint64_t)(uintptr_t)remote_block);
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
        r = duplicate_across(d, dwProcessId, &token, lpErrno);
    }
    if (r == 0)
        info_with_token(entry, &token, lpProtocolInfo);
    descriptor_release(d);
    return r;
}

static SOCKET join_here(const dup_token *token, LPINT lpErrno)
{
    if (!pending_take(token->nonce, token->shared_id)) {
        *lpErrno = WSAEINVAL; /* used already, or never issued here */
        return INVALID_SOCKET;
    }
    sock_object *object = table_lookup_shared(lsp_table, token->shared_id);
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

static SOCKET attach_from_ticket(lsp_entry *entry, const dup_token *token, DWORD flags, LPINT lpErrno)
{
    dup_ticket ticket;
    int err = section_take_ticket((HANDLE)(uintptr_t)token->section, token->nonce, token->shared_id,
                                  token->source_pid, &ticket);
    if (err != 0) {
        *lpErrno = err;
        return INVALID_SOCKET;
    }
    shared_block *block = NULL;
    block_owner owner;
    if ((err = section_map_block((HANDLE)(uintptr_t)ticket.block_section, &block, &owner)) != 0 ||
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
    /* An info that is our catalog entry as it stands (from WSAEnumProtocols)
     * asks for a new socket; any other must be a duplicate info of ours. */
    *handled = memcmp(info->szProtocol, entry->info.szProtocol, sizeof info->szProtocol) != 0;
    if (!*handled)
        return INVALID_SOCKET;
    dup_token token;
    if (token_decode((const uint8_t *)info->szProtocol + TOKEN_OFFSET, TOKEN_SIZE, &token) != CORE_OK) {
        *lpErrno = WSAEINVAL; /* forged or damaged */
        return INVALID_SOCKET;
    }
    /* Meant for this process and routed to the entry that issued it. */
    if (token.target_pid != GetCurrentProcessId() || token.catalog_entry != entry->catalog_id) {
        *lpErrno = WSAEINVAL;
        return INVALID_SOCKET;
    }
    if (token.source_pid == token.target_pid)
        return join_here(&token, lpErrno);
    return attach_from_ticket(entry, &token, flags, lpErrno);
}

void lsp_fill_duplicate_procs(WSPPROC_TABLE *procs) { procs->lpWSPDuplicateSocket = lsp_duplicate_socket; }

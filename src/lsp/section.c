#include "section.h"

#include <string.h>

typedef struct block_mapping {
    HANDLE section;
    HANDLE registration_lock;
} block_mapping;

static void section_release(void *context, shared_block *block)
{
    block_mapping *m = context;
    UnmapViewOfFile(block);
    CloseHandle(m->section);
    CloseHandle(m->registration_lock);
    HeapFree(GetProcessHeap(), 0, m);
}

int section_map_block(HANDLE section, HANDLE registration_lock, shared_block **block, block_owner *owner)
{
    block_mapping *m = HeapAlloc(GetProcessHeap(), 0, sizeof *m);
    shared_block *view = MapViewOfFile(section, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, sizeof *view);
    if (m == NULL || view == NULL || block_validate(view, sizeof *view) != CORE_OK) {
        if (view != NULL)
            UnmapViewOfFile(view);
        HeapFree(GetProcessHeap(), 0, m);
        CloseHandle(section);
        CloseHandle(registration_lock);
        return WSAEINVAL;
    }
    m->section = section;
    m->registration_lock = registration_lock;
    owner->release = section_release;
    owner->context = m;
    *block = view;
    return 0;
}

void section_unmap_block(shared_block *block, const block_owner *owner) { owner->release(owner->context, block); }

int section_share_block(sock_object *object, HANDLE *section, HANDLE *registration_lock)
{
    for (;;) {
        object_block_enter(object);
        bool shared = object->owner.release == section_release;
        if (shared) {
            *section = ((block_mapping *)object->owner.context)->section;
            *registration_lock = ((block_mapping *)object->owner.context)->registration_lock;
        }
        object_block_leave(object);
        if (shared)
            return 0;
        HANDLE h = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, sizeof(shared_block), NULL);
        if (h == NULL)
            return WSAENOBUFS;
        HANDLE lock = CreateMutexW(NULL, FALSE, NULL);
        shared_block *view = MapViewOfFile(h, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, sizeof *view);
        block_mapping *m = HeapAlloc(GetProcessHeap(), 0, sizeof *m);
        if (lock == NULL || view == NULL || m == NULL) {
            if (view != NULL)
                UnmapViewOfFile(view);
            HeapFree(GetProcessHeap(), 0, m);
            if (lock != NULL)
                CloseHandle(lock);
            CloseHandle(h);
            return WSAENOBUFS;
        }
        m->section = h;
        m->registration_lock = lock;
        block_owner owner = {section_release, m};
        if (object_move_block(object, view, &owner) == CORE_OK) {
            *section = h;
            *registration_lock = lock;
            return 0;
        }
        /* Another thread moved it first: use theirs. */
        section_release(m, view);
    }
}

int section_make_ticket(HANDLE target, dup_ticket **ticket, HANDLE *remote)
{
    HANDLE h = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, sizeof(dup_ticket), NULL);
    if (h == NULL)
        return WSAENOBUFS;
    dup_ticket *view = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, sizeof *view);
    if (view == NULL || !DuplicateHandle(GetCurrentProcess(), h, target, remote, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
        if (view != NULL)
            UnmapViewOfFile(view);
        CloseHandle(h);
        return WSAEINVAL;
    }
    CloseHandle(h);
    *ticket = view; /* a new section reads as zeros: no header yet */
    return 0;
}

void section_unmap_ticket(dup_ticket *ticket) { UnmapViewOfFile(ticket); }

int section_take_ticket(HANDLE handle, uint64_t nonce, uint32_t catalog_entry, dup_ticket *out, dup_token *token)
{
    dup_ticket *view = MapViewOfFile(handle, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, sizeof *view);
    if (view == NULL)
        return WSAEINVAL;
    dup_ticket copy;
    memcpy(&copy, view, sizeof copy);
    dup_token t;
    ticket_expect expect = {.pid = GetCurrentProcessId(), .section = (uint64_t)(uintptr_t)handle, .nonce = nonce,
                            .catalog_entry = catalog_entry};
    bool ours = ticket_check(&copy.header, sizeof copy, &expect, &t) == CORE_OK;
    /* One use only, even if the handle was copied within this process. */
    bool first = ours && InterlockedCompareExchange((volatile LONG *)&view->header.used, 1, 0) == 0;
    UnmapViewOfFile(view);
    if (!first)
        return WSAEINVAL; /* not ours, or used: the handle is not ours to close */
    CloseHandle(handle);
    *out = copy;
    *token = t;
    return 0;
}

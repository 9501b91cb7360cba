#include "pending.h"

#include <stdlib.h>

typedef struct pending_entry {
    uint64_t nonce;
    void *value;
} pending_entry;

void pending_init(pending_list *list)
{
    plat_rwlock_init(&list->lock);
    hashmap_init(&list->map);
}

void pending_free(pending_list *list)
{
    while (pending_take_any(list) != NULL)
        ;
    hashmap_free(&list->map);
    plat_rwlock_destroy(&list->lock);
}

core_status pending_add(pending_list *list, uint64_t reference, uint64_t nonce, void *value)
{
    if (reference == 0 || nonce == 0 || value == NULL)
        return CORE_ERR_INVALID;
    pending_entry *e = malloc(sizeof *e);
    if (e == NULL)
        return CORE_ERR_NO_MEMORY;
    e->nonce = nonce;
    e->value = value;
    plat_rwlock_write(&list->lock);
    /* Checked and inserted under one lock: replacing would lose the first. */
    core_status st = hashmap_get(&list->map, reference) != NULL ? CORE_ERR_EXISTS
                                                                : hashmap_put(&list->map, reference, e, NULL);
    plat_rwlock_write_done(&list->lock);
    if (st != CORE_OK)
        free(e);
    return st;
}

void *pending_take(pending_list *list, uint64_t reference, uint64_t nonce)
{
    plat_rwlock_write(&list->lock);
    pending_entry *e = hashmap_get(&list->map, reference);
    if (e != NULL && e->nonce == nonce)
        hashmap_remove_if(&list->map, reference, e);
    else
        e = NULL;
    plat_rwlock_write_done(&list->lock);
    void *value = e != NULL ? e->value : NULL;
    free(e);
    return value;
}

void *pending_take_any(pending_list *list)
{
    plat_rwlock_write(&list->lock);
    uint64_t reference = 0;
    pending_entry *e = hashmap_any(&list->map, &reference);
    if (e != NULL)
        hashmap_remove_if(&list->map, reference, e);
    plat_rwlock_write_done(&list->lock);
    void *value = e != NULL ? e->value : NULL;
    free(e);
    return value;
}

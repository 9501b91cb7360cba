/* Helpers every entry point uses: errors, descriptor look-up, publishing a
 * new descriptor, and finishing a close. */
#include "lsp.h"

#include "layer_calls.h"
#include "lower_io.h"
#include "overlapped.h"

int lsp_fail(LPINT lpErrno, int err)
{
    *lpErrno = err;
    return SOCKET_ERROR;
}

int lsp_wsa_error(core_status st)
{
    switch (st) {
    case CORE_OK:
        return 0;
    case CORE_ERR_NO_MEMORY:
        return WSAENOBUFS;
    case CORE_ERR_NOT_FOUND:
    case CORE_ERR_CLOSING:
        return WSAENOTSOCK;
    case CORE_ERR_SHORT_BUFFER:
        return WSAEFAULT;
    case CORE_ERR_EXISTS:
    case CORE_ERR_INVALID:
    default:
        return WSAEINVAL;
    }
}

descriptor *lsp_descriptor(SOCKET s, LPINT lpErrno)
{
    descriptor *d = lsp_table != NULL ? table_lookup_upper(lsp_table, (uint64_t)s) : NULL;
    if (d == NULL)
        *lpErrno = WSAENOTSOCK;
    return d;
}

lsp_entry *lsp_socket_entry(const sock_object *object) { return object->lower_provider; }
WSPPROC_TABLE *lsp_lower_procs(const sock_object *object) { return &lsp_socket_entry(object)->lower->procs; }
SOCKET lsp_lower_socket(const sock_object *object) { return (SOCKET)object->lower; }

int lsp_close_lower(void *context, sock_object *object)
{
    int *err = context;
    *err = 0;
    /* closesocket ends the process's pending requests on the socket, even
     * where another process keeps it open: then the lower socket's close
     * alone ends nothing (its handle is one of several of a socket that
     * lives on). */
    lsp_overlapped_cancel(lsp_lower_socket(object));
    if (lsp_lower_procs(object)->lpWSPCloseSocket(lsp_lower_socket(object), err) != 0 && *err == 0)
        *err = WSAEINVAL;
    if (*err == 0) {
        lsp_lower_message_retire(object); /* the lower provider posts nothing more */
        lower_io_detach(object);
    }
    return *err;
}

int lsp_close_last(void *context, sock_object *object)
{
    if (LSP_LAYER_HAS(close))
        lsp_layer_close(object, SHARELSP_CLOSE_LAST_IN_PROCESS);
    return lsp_close_lower(context, object);
}

void lsp_finish_close(close_result *r)
{
    sock_object *object = r->object;
    if (!r->last_in_process && r->registration_cancelled) {
        /* The closed descriptor held the socket's registration: it ends with it. */
        lsp_registration_end_lower(object, &r->cancelled);
    }
    if (r->last_anywhere && LSP_LAYER_HAS(close))
        lsp_layer_close(object, SHARELSP_CLOSE_LAST_ANYWHERE);
    object_release(object);
}

SOCKET lsp_publish(descriptor *d, DWORD catalog_id, LPINT lpErrno)
{
    int err = 0;
    SOCKET upper = lsp_upcalls.lpWPUCreateSocketHandle(catalog_id, (DWORD_PTR)d, &err);
    core_status st = CORE_OK;
    if (upper != INVALID_SOCKET && (st = table_publish(lsp_table, d, (uint64_t)upper)) != CORE_OK) {
        int ignored = 0;
        lsp_upcalls.lpWPUCloseSocketHandle(upper, &ignored);
        upper = INVALID_SOCKET;
        err = lsp_wsa_error(st);
    }
    if (upper == INVALID_SOCKET) {
        /* No handle to retry a refused close with: the lower socket closes
         * after the descriptor, whatever the lower provider says. */
        close_result r;
        if (table_close(lsp_table, d, NULL, NULL, &r) == CORE_OK) {
            int ignored = 0;
            if (r.last_in_process)
                lsp_close_last(&ignored, r.object);
            lsp_finish_close(&r);
        }
        *lpErrno = err ? err : WSAENOBUFS;
    }
    return upper;
}

SOCKET lsp_adopt_lower(lsp_entry *entry, SOCKET lower, sharelsp_origin origin, LPINT lpErrno)
{
    descriptor *d = NULL;
    core_status st = table_socket_new(lsp_table, (uint64_t)lower, entry, &d);
    if (st != CORE_OK) {
        int ignored = 0;
        entry->lower->procs.lpWSPCloseSocket(lower, &ignored);
        *lpErrno = lsp_wsa_error(st);
        return INVALID_SOCKET;
    }
    int refused = LSP_LAYER_HAS(socket) ? lsp_layer_socket(d, origin) : 0;
    if (refused != 0) {
        /* Unpublished, so no other call can have it: it closes whole, and
         * the layer, which never let it in, hears nothing more of it. */
        close_result r;
        if (table_close(lsp_table, d, NULL, NULL, &r) == CORE_OK) {
            int ignored = 0;
            lsp_close_lower(&ignored, r.object);
            object_release(r.object);
        }
        *lpErrno = refused;
        return INVALID_SOCKET;
    }
    return lsp_publish(d, entry->catalog_id, lpErrno);
}

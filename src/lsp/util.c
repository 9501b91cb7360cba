/* Helpers every entry point uses: errors, descriptor look-up, publishing a
 * new descriptor, and finishing a close. */
#include "lsp.h"

#include "layer_calls.h"
#include "lower_gate.h"
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

descriptor *lsp_descriptor_ungated(SOCKET s, LPINT lpErrno)
{
    descriptor *d = lsp_table != NULL ? table_lookup_upper(lsp_table, (uint64_t)s) : NULL;
    if (d == NULL)
        *lpErrno = WSAENOTSOCK;
    return d;
}

descriptor *lsp_descriptor(SOCKET s, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor_ungated(s, lpErrno);
    if (d != NULL && !lower_gate_enter(d->object)) {
        /* Its lower socket is closing: the socket is as good as closed. */
        descriptor_release(d);
        *lpErrno = WSAENOTSOCK;
        return NULL;
    }
    return d;
}

void lsp_done(descriptor *d, LPINT lpErrno)
{
    /* A blocking call the close ended (lsp_lower_drain cancelled it) says
     * so as Windows does: WSAEINTR, not the cancellation's own error. */
    if (lpErrno != NULL && *lpErrno == WSA_OPERATION_ABORTED && lower_gate_is_shut(d->object))
        *lpErrno = WSAEINTR;
    lower_gate_leave(d->object);
    descriptor_release(d);
}

lsp_entry *lsp_socket_entry(const sock_object *object) { return object->lower_provider; }
WSPPROC_TABLE *lsp_lower_procs(const sock_object *object) { return &lsp_socket_entry(object)->lower->procs; }
SOCKET lsp_lower_socket(const sock_object *object) { return (SOCKET)object->lower; }

/* The lower socket's close will reset its connection. */
static void lsp_lower_abortive(WSPPROC_TABLE *procs, SOCKET lower)
{
    struct linger abortive = {.l_onoff = 1, .l_linger = 0};
    int ignored = 0;
    procs->lpWSPSetSockOpt(lower, SOL_SOCKET, SO_LINGER, (const char *)&abortive, sizeof abortive, &ignored);
}

void lsp_refuse_connection(WSPPROC_TABLE *procs, SOCKET lower, bool close)
{
    int ignored = 0;
    lsp_lower_abortive(procs, lower);
    if (close)
        procs->lpWSPCloseSocket(lower, &ignored);
    else
        procs->lpWSPShutdown(lower, SD_BOTH, &ignored);
}

/* Shuts the object's lower gate, then waits for the calls inside it to
 * leave, ending them the way a close ends them: with the provider's own
 * cancellation of the process's I/O on the handle, repeated while any call
 * is left (one may start its I/O after a cancel). An IFS lower socket is a
 * handle that cancellation reaches; a non-IFS one is an upcall handle of
 * the provider's, whose calls nothing here can end, so calls inside are
 * not waited for. A call that cancellation does not end (the limit) gets
 * the old behaviour: the lower close, which ends it. */
static void lsp_lower_drain(sock_object *object)
{
    enum { LSP_DRAIN_LIMIT_MS = 1000 };
    if (lower_gate_shut(object) == 0 ||
        (lsp_socket_entry(object)->lower_info.dwServiceFlags1 & XP1_IFS_HANDLES) == 0)
        return;
    DWORD start = GetTickCount();
    for (DWORD round = 0; lower_gate_inside(object) != 0 && GetTickCount() - start < LSP_DRAIN_LIMIT_MS; round++) {
        /* The first rounds wait only: a call that is not blocked leaves by
         * itself, and a send the cancellation caught would fail for
         * nothing. */
        if (round >= 2)
            CancelIoEx((HANDLE)lsp_lower_socket(object), NULL);
        Sleep(round == 0 ? 0 : 1);
    }
}

/* The lower close, once the gate is shut (and drained, or not). */
static int lsp_close_lower_now(int *err, sock_object *object)
{
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
    } else {
        lower_gate_reopen(object); /* refused: the socket stays as it was */
    }
    return *err;
}

int lsp_close_lower(void *context, sock_object *object)
{
    lsp_lower_drain(object);
    return lsp_close_lower_now(context, object);
}

int lsp_close_lower_at_cleanup(void *context, sock_object *object)
{
    lower_gate_shut(object);
    return lsp_close_lower_now(context, object);
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
    if (LSP_LAYER_HAS(close) && r->last_anywhere)
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
         * the layer, which never let it in, hears nothing more of it. An
         * accepted connection is reset, as a refused accept's is. */
        if (origin == SHARELSP_ORIGIN_ACCEPT)
            lsp_lower_abortive(&entry->lower->procs, lower);
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

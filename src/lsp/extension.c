/* Extension functions (SIO_GET_EXTENSION_FUNCTION_POINTER). Applications
 * call them directly with upper sockets, so ShareLSP hands out its own:
 * AcceptEx and ConnectEx translate the sockets and run as overlapped
 * requests of ShareLSP (counted, completed into the application's
 * WSAOVERLAPPED); GetAcceptExSockaddrs only parses a buffer, so the lower
 * provider's serves as it is. Any other extension is refused
 * (WSAEINVAL, what ws2_32 says of a GUID it does not know): the lower
 * provider's would not know the upper sockets. */
#include "lsp.h"

#include <mswsock.h>
#include <string.h>

#include "overlapped.h"

/* The lower provider's function for an extension GUID (asked on a socket). */
static void *lower_extension(sock_object *object, const GUID *id)
{
    void *fn = NULL;
    DWORD got = 0;
    int err = 0;
    GUID guid = *id;
    if (lsp_lower_procs(object)->lpWSPIoctl(lsp_lower_socket(object), SIO_GET_EXTENSION_FUNCTION_POINTER, &guid,
                                            sizeof guid, &fn, sizeof fn, &got, NULL, NULL, NULL, &err) != 0)
        return NULL;
    return fn;
}

static BOOL finish(int rc, int err)
{
    if (rc == 0)
        return TRUE;
    SetLastError((DWORD)err); /* what WSASetLastError does */
    return FALSE;
}

static BOOL WINAPI lsp_accept_ex(SOCKET listening, SOCKET accepting, PVOID buffer, DWORD receive_length,
                                 DWORD local_length, DWORD remote_length, LPDWORD bytes, LPOVERLAPPED overlapped)
{
    int err = 0;
    if (overlapped == NULL || buffer == NULL)
        return finish(SOCKET_ERROR, WSAEFAULT);
    descriptor *l = lsp_descriptor(listening, &err);
    descriptor *a = l != NULL ? lsp_descriptor(accepting, &err) : NULL;
    int rc = SOCKET_ERROR;
    LPFN_ACCEPTEX lower = NULL;
    if (a == NULL) {
        err = WSAENOTSOCK;
    } else if (lsp_lower_procs(a->object)->lpWSPIoctl != lsp_lower_procs(l->object)->lpWSPIoctl ||
               (lower = (LPFN_ACCEPTEX)lower_extension(l->object, &(GUID)WSAID_ACCEPTEX)) == NULL) {
        err = WSAEOPNOTSUPP;
    } else {
        WSABUF b = {.len = receive_length, .buf = buffer};
        lsp_io_args args = {.kind = LSP_IO_ACCEPT_EX, .accept_ex = lower, .accepted = a, .buffers = &b,
                            .local_length = local_length, .remote_length = remote_length, .bytes = bytes};
        rc = lsp_overlapped_start(l, listening, &args, (LPWSAOVERLAPPED)overlapped, NULL, NULL, &err);
    }
    if (a != NULL)
        descriptor_release(a);
    if (l != NULL)
        descriptor_release(l);
    return finish(rc, err);
}

static BOOL WINAPI lsp_connect_ex(SOCKET s, const struct sockaddr *name, int name_length, PVOID send_buffer,
                                  DWORD send_length, LPDWORD sent, LPOVERLAPPED overlapped)
{
    int err = 0;
    if (overlapped == NULL)
        return finish(SOCKET_ERROR, WSAEFAULT);
    descriptor *d = lsp_descriptor(s, &err);
    if (d == NULL)
        return finish(SOCKET_ERROR, WSAENOTSOCK);
    LPFN_CONNECTEX lower = (LPFN_CONNECTEX)lower_extension(d->object, &(GUID)WSAID_CONNECTEX);
    int rc = SOCKET_ERROR;
    if (lower == NULL) {
        err = WSAEOPNOTSUPP;
    } else {
        WSABUF b = {.len = send_length, .buf = send_buffer};
        lsp_io_args args = {.kind = LSP_IO_CONNECT_EX, .connect_ex = lower, .to = name, .to_length = name_length,
                            .buffers = send_buffer != NULL ? &b : NULL, .bytes = sent};
        rc = lsp_overlapped_start(d, s, &args, (LPWSAOVERLAPPED)overlapped, NULL, NULL, &err);
    }
    descriptor_release(d);
    return finish(rc, err);
}

int lsp_extension_pointer(sock_object *object, const void *in, DWORD in_length, void *out, DWORD out_length,
                          LPDWORD returned, LPINT lpErrno)
{
    static const GUID accept_ex = WSAID_ACCEPTEX, connect_ex = WSAID_CONNECTEX,
                      sockaddrs = WSAID_GETACCEPTEXSOCKADDRS;
    if (in == NULL || out == NULL || in_length < sizeof(GUID) || out_length < sizeof(void *)) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    GUID id;
    memcpy(&id, in, sizeof id);
    void *fn = NULL;
    if (IsEqualGUID(&id, &accept_ex))
        fn = (void *)lsp_accept_ex;
    else if (IsEqualGUID(&id, &connect_ex))
        fn = (void *)lsp_connect_ex;
    else if (IsEqualGUID(&id, &sockaddrs))
        fn = lower_extension(object, &id);
    if (fn == NULL) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    memcpy(out, &fn, sizeof fn);
    if (returned != NULL)
        *returned = sizeof fn;
    return 0;
}

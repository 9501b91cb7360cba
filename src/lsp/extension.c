/* Extension functions (SIO_GET_EXTENSION_FUNCTION_POINTER). Applications
 * call them directly with upper sockets, so ShareLSP hands out its own:
 * AcceptEx, ConnectEx, DisconnectEx, TransmitFile, WSARecvMsg and WSASendMsg
 * translate the sockets and run as overlapped requests of ShareLSP
 * (counted, completed into the application's WSAOVERLAPPED), or call the
 * lower function at once when the application passed no WSAOVERLAPPED;
 * TransmitPackets is ShareLSP's own, over the lower TransmitFile;
 * GetAcceptExSockaddrs only parses a buffer, so the lower provider's serves
 * as it is. Each is offered where the lower provider offers what it is
 * built on. Any other extension is refused (WSAEINVAL, what ws2_32 says of
 * a GUID it does not know): the lower provider's would not know the upper
 * sockets. */
#include "lsp.h"

#include <mswsock.h>
#include <stdlib.h>
#include <string.h>

#include "ntstatus.h"
#include "layer_calls.h"
#include "overlapped.h"
#include "payload.h"
#include "transmit_packets.h"

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

/* AcceptEx and ConnectEx mark the request pending before they look at the
 * sockets, as ws2_32's do: a call refused for a socket that is not one
 * still leaves the WSAOVERLAPPED reading as pending. */
static void mark_pending(LPOVERLAPPED overlapped)
{
    overlapped->Internal = NTSTATUS_PENDING;
    overlapped->InternalHigh = 0;
}

/* Other arguments (a null buffer, address lengths) go down as they came:
 * the lower provider judges them as it would without us. */
static BOOL WINAPI lsp_accept_ex(SOCKET listening, SOCKET accepting, PVOID buffer, DWORD receive_length,
                                 DWORD local_length, DWORD remote_length, LPDWORD bytes, LPOVERLAPPED overlapped)
{
    int err = 0;
    if (overlapped == NULL)
        return finish(SOCKET_ERROR, WSA_INVALID_PARAMETER);
    descriptor *l = lsp_descriptor(listening, &err);
    descriptor *a = l != NULL ? lsp_descriptor(accepting, &err) : NULL;
    int rc = SOCKET_ERROR;
    LPFN_ACCEPTEX lower = NULL;
    if (a == NULL) {
        mark_pending(overlapped);
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
        lsp_done(a, &err);
    if (l != NULL)
        lsp_done(l, &err);
    return finish(rc, err);
}

static BOOL WINAPI lsp_connect_ex(SOCKET s, const struct sockaddr *name, int name_length, PVOID send_buffer,
                                  DWORD send_length, LPDWORD sent, LPOVERLAPPED overlapped)
{
    int err = 0;
    if (overlapped == NULL)
        return finish(SOCKET_ERROR, WSA_INVALID_PARAMETER);
    descriptor *d = lsp_descriptor(s, &err);
    if (d == NULL) {
        mark_pending(overlapped);
        return finish(SOCKET_ERROR, WSAENOTSOCK);
    }
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
    lsp_done(d, &err);
    return finish(rc, err);
}

/* The lower function of an extension for d's socket, or NULL with err set. */
static void *lower_function(descriptor *d, const GUID *id, int *err)
{
    void *fn = lower_extension(d->object, id);
    if (fn == NULL)
        *err = WSAEOPNOTSUPP;
    return fn;
}

static BOOL WINAPI lsp_disconnect_ex(SOCKET s, LPOVERLAPPED overlapped, DWORD flags, DWORD reserved)
{
    int err = 0;
    descriptor *d = lsp_descriptor(s, &err);
    if (d == NULL)
        return finish(SOCKET_ERROR, WSAENOTSOCK);
    LPFN_DISCONNECTEX lower = (LPFN_DISCONNECTEX)lower_function(d, &(GUID)WSAID_DISCONNECTEX, &err);
    int rc = SOCKET_ERROR;
    /* reserved goes down as it came: the base provider decides (MSAFD
     * refuses a non-zero one, Wine's ignores it). */
    if (lower != NULL && overlapped == NULL) {
        rc = lower(lsp_lower_socket(d->object), NULL, flags, reserved) ? 0 : SOCKET_ERROR;
        err = rc == 0 ? 0 : (int)GetLastError();
    } else if (lower != NULL) {
        lsp_io_args args = {.kind = LSP_IO_DISCONNECT_EX, .disconnect_ex = lower, .flags = flags,
                            .reserved = reserved};
        rc = lsp_overlapped_start(d, s, &args, (LPWSAOVERLAPPED)overlapped, NULL, NULL, &err);
    }
    lsp_done(d, &err);
    return finish(rc, err);
}

/* What a TransmitFile without a WSAOVERLAPPED sends: the head and tail
 * buffers, and the file from its current position (all of it, or the
 * length asked for). */
static DWORD transmit_length(HANDLE file, DWORD write_length, const TRANSMIT_FILE_BUFFERS *buffers)
{
    DWORD total = buffers != NULL ? buffers->HeadLength + buffers->TailLength : 0;
    if (file == NULL)
        return total;
    if (write_length != 0)
        return total + write_length;
    LARGE_INTEGER size, position, zero = {0};
    if (GetFileSizeEx(file, &size) && SetFilePointerEx(file, zero, &position, FILE_CURRENT))
        total += (DWORD)(size.QuadPart - position.QuadPart);
    return total;
}

static BOOL WINAPI lsp_transmit_file(SOCKET s, HANDLE file, DWORD write_length, DWORD send_length,
                                     LPOVERLAPPED overlapped, LPTRANSMIT_FILE_BUFFERS buffers, DWORD flags)
{
    int err = 0;
    descriptor *d = lsp_descriptor(s, &err);
    if (d == NULL)
        return finish(SOCKET_ERROR, WSAENOTSOCK);
    LPFN_TRANSMITFILE lower = (LPFN_TRANSMITFILE)lower_function(d, &(GUID)WSAID_TRANSMITFILE, &err);
    int rc = SOCKET_ERROR;
    if (lower != NULL && overlapped == NULL) {
        DWORD length = transmit_length(file, write_length, buffers);
        rc = lower(lsp_lower_socket(d->object), file, write_length, send_length, NULL, buffers, flags) ? 0
                                                                                                        : SOCKET_ERROR;
        err = rc == 0 ? 0 : (int)GetLastError();
        if (rc == 0)
            lsp_count(d, true, length);
    } else if (lower != NULL) {
        lsp_io_args args = {.kind = LSP_IO_TRANSMIT_FILE,
                            .transmit_file = lower,
                            .file = file,
                            .write_length = write_length,
                            .send_length = send_length,
                            .file_buffers = buffers,
                            .flags = flags};
        rc = lsp_overlapped_start(d, s, &args, (LPWSAOVERLAPPED)overlapped, NULL, NULL, &err);
    }
    lsp_done(d, &err);
    return finish(rc, err);
}

static INT WSAAPI lsp_recv_msg(SOCKET s, LPWSAMSG msg, LPDWORD bytes, LPWSAOVERLAPPED overlapped,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    int err = 0;
    descriptor *d = lsp_descriptor(s, &err);
    if (d == NULL) {
        SetLastError(WSAENOTSOCK);
        return SOCKET_ERROR;
    }
    LPFN_WSARECVMSG lower = (LPFN_WSARECVMSG)lower_function(d, &(GUID)WSAID_WSARECVMSG, &err);
    int rc = SOCKET_ERROR;
    if (lower != NULL && overlapped == NULL) {
        rc = lower(lsp_lower_socket(d->object), msg, bytes, NULL, NULL);
        err = rc == 0 ? 0 : (int)GetLastError();
        if (rc == 0 && bytes != NULL)
            lsp_count_received(d, msg->lpBuffers, msg->dwBufferCount, *bytes);
    } else if (lower != NULL) {
        WSATHREADID thread;
        int ignored = 0;
        /* A routine runs on this thread: ws2_32 would name it the same way. */
        if (routine != NULL && lsp_upcalls.lpWPUOpenCurrentThread(&thread, &ignored) != 0) {
            err = WSAENOBUFS;
        } else {
            lsp_io_args args = {.kind = LSP_IO_RECV_MSG, .recv_msg = lower, .msg = msg, .bytes = bytes};
            rc = lsp_overlapped_start(d, s, &args, overlapped, routine, routine != NULL ? &thread : NULL, &err);
        }
    }
    lsp_done(d, &err);
    return finish(rc, err) ? 0 : SOCKET_ERROR;
}

/* TransmitPackets: ShareLSP's own, over the lower TransmitFile, sends and
 * DisconnectEx (transmit_packets.c); offered where the lower provider offers
 * TransmitFile. */
static BOOL WINAPI lsp_transmit_packets(SOCKET s, LPTRANSMIT_PACKETS_ELEMENT elements, DWORD count, DWORD send_size,
                                        LPOVERLAPPED overlapped, DWORD flags)
{
    (void)send_size; /* a hint: each element goes down as one request */
    int err = 0;
    descriptor *d = lsp_descriptor(s, &err);
    if (d == NULL)
        return finish(SOCKET_ERROR, WSAENOTSOCK);
    int rc = SOCKET_ERROR;
    LPFN_TRANSMITFILE transmit_file = NULL;
    LPFN_DISCONNECTEX disconnect_ex = NULL;
    if ((err = packets_check(elements, count, flags)) != 0) {
        /* refused before anything is sent */
    } else if ((transmit_file = (LPFN_TRANSMITFILE)lower_function(d, &(GUID)WSAID_TRANSMITFILE, &err)) == NULL ||
               ((flags & TF_DISCONNECT) != 0 &&
                (disconnect_ex = (LPFN_DISCONNECTEX)lower_function(d, &(GUID)WSAID_DISCONNECTEX, &err)) == NULL)) {
        /* err: the lower provider cannot */
    } else if (overlapped != NULL) {
        lsp_io_args args = {.kind = LSP_IO_TRANSMIT_PACKETS, .elements = elements, .count = count, .flags = flags,
                            .transmit_file = transmit_file, .disconnect_ex = disconnect_ex};
        rc = lsp_overlapped_start(d, s, &args, (LPWSAOVERLAPPED)overlapped, NULL, NULL, &err);
    } else {
        /* Blocking: the same steps, waited for here. */
        packets_job job = {.elements = elements, .count = count, .flags = flags};
        packets_target target = {.upper = s, .d = d};
        packets_lower lower = {.procs = lsp_lower_procs(d->object), .transmit_file = transmit_file,
                               .disconnect_ex = disconnect_ex, .socket_now = packets_socket_now,
                           .socket_done = packets_socket_done,
                               .context = &target};
        WSAOVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        DWORD sent = 0;
        if ((ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL)) == NULL) {
            err = WSAENOBUFS;
        } else {
            err = packets_send(&lower, &job, &ov, &sent);
            CloseHandle(ov.hEvent);
            lsp_count(d, true, sent);
            rc = err == 0 ? 0 : SOCKET_ERROR;
        }
    }
    lsp_done(d, &err);
    return finish(rc, err);
}

/* A blocking WSASendMsg, counted. */
static int send_msg_now(descriptor *d, LPFN_WSASENDMSG lower, LPWSAMSG msg, DWORD flags, LPDWORD bytes, int *err)
{
    int rc = lower(lsp_lower_socket(d->object), msg, flags, bytes, NULL, NULL);
    *err = rc == 0 ? 0 : (int)GetLastError();
    if (rc == 0 && bytes != NULL)
        lsp_count(d, true, *bytes);
    return rc;
}

/* A blocking WSASendMsg shown to the layer's payload hook first: a layer
 * that rewrites sends gets a copy, sent in a copy of the message, both
 * freed once the provider below returned (it sends in its call). */
static int send_msg_shown(descriptor *d, LPFN_WSASENDMSG lower, LPWSAMSG msg, DWORD flags, LPDWORD bytes, int *err)
{
    WSAMSG shown = *msg;
    lsp_send_copy *copy = NULL;
    if ((*err = lsp_payload_send(d, &shown.lpBuffers, shown.dwBufferCount, &copy)) != 0)
        return SOCKET_ERROR;
    int rc = send_msg_now(d, lower, &shown, flags, bytes, err);
    free(copy);
    return rc;
}

/* WSASendMsg, from the extension function or from ws2_32's SIO_EXT_SENDMSG:
 * the lower provider's WSASendMsg on the lower socket, at once or as a
 * ShareLSP request (thread: where a routine runs). */
static int send_msg(descriptor *d, SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD bytes, LPWSAOVERLAPPED overlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, int *err)
{
    LPFN_WSASENDMSG lower = (LPFN_WSASENDMSG)lower_function(d, &(GUID)WSAID_WSASENDMSG, err);
    if (lower == NULL)
        return SOCKET_ERROR;
    /* A message with an address is a sendto to the layer. A blocking send
     * reads the message during its call, so the routed copy lives on this
     * stack as long as it needs; an overlapped one is routed by
     * lsp_overlapped_start, which keeps the copy with the request. */
    WSAMSG routed_msg;
    SOCKADDR_STORAGE routed;
    if (LSP_LAYER_HAS(destination) && overlapped == NULL && msg != NULL && msg->name != NULL) {
        routed_msg = *msg;
        const struct sockaddr *to = routed_msg.name;
        int refused = lsp_layer_route(d, SHARELSP_DESTINATION_SEND_TO, &to, &routed_msg.namelen, &routed);
        if (refused != 0) {
            *err = refused;
            return SOCKET_ERROR;
        }
        routed_msg.name = (LPSOCKADDR)to;
        msg = &routed_msg;
    }
    if (overlapped == NULL)
        return LSP_LAYER_HAS(payload) && msg != NULL ? send_msg_shown(d, lower, msg, flags, bytes, err)
                                                     : send_msg_now(d, lower, msg, flags, bytes, err);
    lsp_io_args args = {.kind = LSP_IO_SEND_MSG, .send_msg = lower, .msg = msg, .flags = flags, .bytes = bytes};
    return lsp_overlapped_start(d, s, &args, overlapped, routine, routine != NULL ? thread : NULL, err);
}

static INT WSAAPI lsp_send_msg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD bytes, LPWSAOVERLAPPED overlapped,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    int err = 0;
    descriptor *d = lsp_descriptor(s, &err);
    if (d == NULL) {
        SetLastError(WSAENOTSOCK);
        return SOCKET_ERROR;
    }
    WSATHREADID thread;
    int rc = SOCKET_ERROR;
    /* A routine runs on this thread: ws2_32 would name it the same way. */
    if (routine != NULL && overlapped != NULL && lsp_upcalls.lpWPUOpenCurrentThread(&thread, &err) != 0)
        err = WSAENOBUFS;
    else
        rc = send_msg(d, s, msg, flags, bytes, overlapped, routine, &thread, &err);
    lsp_done(d, &err);
    return finish(rc, err) ? 0 : SOCKET_ERROR;
}

int lsp_send_msg_ioctl(descriptor *d, SOCKET s, const void *in, DWORD in_length, LPWSATHREADID thread, LPINT lpErrno)
{
    if (in == NULL || in_length < sizeof(WSASENDMSG)) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    WSASENDMSG m;
    memcpy(&m, in, sizeof m);
    if (m.lpCompletionRoutine != NULL && thread == NULL) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    return send_msg(d, s, m.lpMsg, m.dwFlags, m.lpNumberOfBytesSent, m.lpOverlapped, m.lpCompletionRoutine, thread,
                    lpErrno);
}

/* The extensions ShareLSP offers: its own function, handed out where the
 * lower provider offers the function it is built on (itself, mostly). */
typedef struct {
    GUID id, lower_id;
    void *fn; /* NULL: the lower provider's own (it only parses a buffer) */
} extension;

int lsp_extension_pointer(sock_object *object, const void *in, DWORD in_length, void *out, DWORD out_length,
                          LPDWORD returned, LPINT lpErrno)
{
    static const extension offered[] = {
        {WSAID_ACCEPTEX, WSAID_ACCEPTEX, (void *)lsp_accept_ex},
        {WSAID_CONNECTEX, WSAID_CONNECTEX, (void *)lsp_connect_ex},
        {WSAID_DISCONNECTEX, WSAID_DISCONNECTEX, (void *)lsp_disconnect_ex},
        {WSAID_TRANSMITFILE, WSAID_TRANSMITFILE, (void *)lsp_transmit_file},
        {WSAID_TRANSMITPACKETS, WSAID_TRANSMITFILE, (void *)lsp_transmit_packets},
        {WSAID_WSARECVMSG, WSAID_WSARECVMSG, (void *)lsp_recv_msg},
        {WSAID_WSASENDMSG, WSAID_WSASENDMSG, (void *)lsp_send_msg},
        {WSAID_GETACCEPTEXSOCKADDRS, WSAID_GETACCEPTEXSOCKADDRS, NULL},
    };
    if (in == NULL || out == NULL || in_length < sizeof(GUID) || out_length < sizeof(void *)) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    GUID id;
    memcpy(&id, in, sizeof id);
    void *fn = NULL;
    for (size_t i = 0; i < sizeof offered / sizeof offered[0] && fn == NULL; i++) {
        if (!IsEqualGUID(&id, &offered[i].id))
            continue;
        void *lower = lower_extension(object, &offered[i].lower_id);
        fn = lower != NULL && offered[i].fn != NULL ? offered[i].fn : lower;
    }
    if (fn == NULL) {
        /* What ws2_32 says of a GUID it does not know, and of one the
         * lower provider does not offer: the lower provider's function for
         * any other would not know the upper sockets. */
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    memcpy(out, &fn, sizeof fn);
    if (returned != NULL)
        *returned = sizeof fn;
    return 0;
}

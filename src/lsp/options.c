/* Options, ioctls, QOS and address strings. ShareLSP's own options
 * (SOL_SHARELSP) live in the socket's shared block (rule R2): set or counted
 * through one descriptor, seen through every descriptor in every process.
 * Other levels go to the one lower socket, which the base provider shares. */
#include "lsp.h"

#include "layer_calls.h"
#include "overlapped.h"

#include <mswsock.h>
#include <string.h>

#include <sharelsp/sharelsp.h>

static int shared_get(sock_object *object, int optname, char *optval, LPINT optlen, LPINT lpErrno)
{
    if (optlen == NULL || (optval == NULL && *optlen > 0) || *optlen < 0)
        return lsp_fail(lpErrno, WSAEFAULT);
    int r = 0;
    shared_block *block = object_block_enter(object);
    if (optname == SHARELSP_SO_TAG) {
        size_t length = 0;
        core_status st = block_get_tag(block, optval, (size_t)*optlen, &length);
        if (st != CORE_OK)
            r = lsp_fail(lpErrno, WSAEFAULT); /* the buffer is shorter than the tag */
        else
            *optlen = (int)length;
    } else if (optname == SHARELSP_SO_STATS) {
        sharelsp_stats stats;
        block_stats(block, &stats);
        if (*optlen < (int)sizeof stats) {
            r = lsp_fail(lpErrno, WSAEFAULT);
        } else {
            memcpy(optval, &stats, sizeof stats);
            *optlen = sizeof stats;
        }
    } else {
        r = lsp_fail(lpErrno, WSAENOPROTOOPT);
    }
    object_block_leave(object);
    return r;
}

static int shared_set(sock_object *object, int optname, const char *optval, int optlen, LPINT lpErrno)
{
    if (optname == SHARELSP_SO_STATS)
        return lsp_fail(lpErrno, WSAEINVAL); /* read-only */
    if (optname != SHARELSP_SO_TAG)
        return lsp_fail(lpErrno, WSAENOPROTOOPT);
    if (optlen < 0 || (optval == NULL && optlen > 0))
        return lsp_fail(lpErrno, WSAEFAULT);
    if (optlen > SHARELSP_TAG_MAX)
        return lsp_fail(lpErrno, WSAEINVAL);
    shared_block *block = object_block_enter(object);
    core_status st = block_set_tag(block, optval, (size_t)optlen);
    object_block_leave(object);
    return st == CORE_OK ? 0 : lsp_fail(lpErrno, lsp_wsa_error(st));
}

/* SO_PROTOCOL_INFO of a socket names the chain entry it was made through,
 * not the entry below it. */
static int protocol_info(sock_object *object, int optname, char *optval, LPINT optlen, LPINT lpErrno)
{
    const WSAPROTOCOL_INFOW *info = &lsp_socket_entry(object)->info;
    int size = optname == SO_PROTOCOL_INFOW ? (int)sizeof(WSAPROTOCOL_INFOW) : (int)sizeof(WSAPROTOCOL_INFOA);
    if (optlen == NULL)
        return lsp_fail(lpErrno, WSAEFAULT);
    if (optval == NULL || *optlen < size) {
        *optlen = size; /* as ws2_32 does: the size a buffer needs */
        return lsp_fail(lpErrno, WSAEFAULT);
    }
    if (optname == SO_PROTOCOL_INFOW) {
        memcpy(optval, info, sizeof *info);
    } else {
        WSAPROTOCOL_INFOA *a = (WSAPROTOCOL_INFOA *)(void *)optval;
        memcpy(a, info, offsetof(WSAPROTOCOL_INFOA, szProtocol));
        WideCharToMultiByte(CP_ACP, 0, info->szProtocol, -1, a->szProtocol, WSAPROTOCOL_LEN + 1, NULL, NULL);
        a->szProtocol[WSAPROTOCOL_LEN] = '\0';
    }
    return 0; /* *optlen as it was: ws2_32 leaves it */
}

static int WSPAPI lsp_get_sock_opt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r;
    if (level == SOL_SHARELSP)
        r = shared_get(d->object, optname, optval, optlen, lpErrno);
    else if (level == SOL_SOCKET && (optname == SO_PROTOCOL_INFOW || optname == SO_PROTOCOL_INFOA))
        r = protocol_info(d->object, optname, optval, optlen, lpErrno);
    else
        r = lsp_lower_procs(d->object)->lpWSPGetSockOpt(lsp_lower_socket(d->object), level, optname, optval,
                                                        optlen, lpErrno);
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_set_sock_opt(SOCKET s, int level, int optname, const char *optval, int optlen,
                                   LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r;
    int refused = LSP_LAYER_HAS(option) ? lsp_layer_option(d, level, optname, optval, optlen) : 0;
    if (refused != 0) {
        r = lsp_fail(lpErrno, refused);
    } else if (level == SOL_SHARELSP) {
        r = shared_set(d->object, optname, optval, optlen, lpErrno);
    } else if (level == SOL_SOCKET && optname == SO_UPDATE_ACCEPT_CONTEXT) {
        /* The value is the listening socket: the lower provider wants its own. */
        SOCKET listening;
        descriptor *l = NULL;
        if (optval == NULL || optlen < (int)sizeof listening) {
            r = lsp_fail(lpErrno, WSAEFAULT);
        } else {
            memcpy(&listening, optval, sizeof listening);
            l = lsp_descriptor(listening, lpErrno);
            SOCKET lower_listening = l != NULL ? lsp_lower_socket(l->object) : INVALID_SOCKET;
            r = l == NULL ? SOCKET_ERROR
                          : lsp_lower_procs(d->object)->lpWSPSetSockOpt(lsp_lower_socket(d->object), level, optname,
                                                                        (const char *)&lower_listening,
                                                                        sizeof lower_listening, lpErrno);
            if (l != NULL)
                lsp_done(l, lpErrno);
        }
    } else {
        r = lsp_lower_procs(d->object)->lpWSPSetSockOpt(lsp_lower_socket(d->object), level, optname, optval, optlen,
                                                        lpErrno);
    }
    lsp_done(d, lpErrno);
    return r;
}

static int WSPAPI lsp_ioctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                            LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                            LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                            LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    if (dwIoControlCode == SIO_EXT_POLL) {
        /* Outside the lower gate, as select: WSAPoll waits on many sockets
         * at once, and the close of one of them ends it (POLLNVAL); a
         * cancellation would fail it instead. */
        descriptor *p = lsp_descriptor_ungated(s, lpErrno);
        if (p == NULL)
            return SOCKET_ERROR;
        int r = lsp_poll_ioctl(p, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned, lpThreadId,
                               lpErrno);
        descriptor_release(p);
        return r;
    }
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return SOCKET_ERROR;
    int r;
    if (dwIoControlCode == SIO_GET_EXTENSION_FUNCTION_POINTER) {
        /* Answered here: a lower provider's function would not know the
         * upper sockets. Asked with a WSAOVERLAPPED, it completes at once
         * and is signalled, as ws2_32 does it (with no byte count). */
        if (lpOverlapped != NULL && lpcbBytesReturned == NULL) {
            r = lsp_fail(lpErrno, WSAEFAULT);
        } else {
            r = lsp_extension_pointer(d->object, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                                      lpcbBytesReturned, lpErrno);
            if (r == 0 && lpOverlapped != NULL)
                lsp_overlapped_done_now(d, s, lpOverlapped, lpCompletionRoutine, lpThreadId, 0);
        }
    } else if (dwIoControlCode == SIO_BSP_HANDLE || dwIoControlCode == SIO_BSP_HANDLE_SELECT ||
               dwIoControlCode == SIO_BSP_HANDLE_POLL) {
        /* The handle select, WSAPoll and the rest must be given for this
         * socket: ShareLSP's own, since it does all of them itself (a
         * program that used the base provider's would go around it). Not
         * SIO_BASE_HANDLE: that one is the base provider's by definition,
         * and a layered provider passes it down. */
        if (lpvOutBuffer == NULL || cbOutBuffer < sizeof(SOCKET) || lpcbBytesReturned == NULL) {
            r = lsp_fail(lpErrno, WSAEFAULT);
        } else {
            memcpy(lpvOutBuffer, &s, sizeof s);
            *lpcbBytesReturned = sizeof s;
            r = 0;
            if (lpOverlapped != NULL)
                lsp_overlapped_done_now(d, s, lpOverlapped, lpCompletionRoutine, lpThreadId, 0);
        }
    } else if (dwIoControlCode == SIO_EXT_SENDMSG) {
        r = lsp_send_msg_ioctl(d, s, lpvInBuffer, cbInBuffer, lpThreadId, lpErrno);
    } else if (lpOverlapped != NULL) {
        /* ShareLSP's own lower request, completed into the application's
         * WSAOVERLAPPED through the upper handle (overlapped.c). */
        lsp_io_args args = {.kind = LSP_IO_IOCTL,
                            .ioctl_code = dwIoControlCode,
                            .in = lpvInBuffer,
                            .in_length = cbInBuffer,
                            .out = lpvOutBuffer,
                            .out_length = cbOutBuffer,
                            .bytes = lpcbBytesReturned};
        r = lsp_overlapped_start(d, s, &args, lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
    } else {
        r = lsp_lower_procs(d->object)->lpWSPIoctl(lsp_lower_socket(d->object), dwIoControlCode, lpvInBuffer,
                                                   cbInBuffer, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned, NULL,
                                                   NULL, NULL, lpErrno);
    }
    lsp_done(d, lpErrno);
    return r;
}

static BOOL WSPAPI lsp_get_qos_by_name(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS, LPINT lpErrno)
{
    descriptor *d = lsp_descriptor(s, lpErrno);
    if (d == NULL)
        return FALSE;
    BOOL ok = lsp_lower_procs(d->object)->lpWSPGetQOSByName(lsp_lower_socket(d->object), lpQOSName, lpQOS, lpErrno);
    lsp_done(d, lpErrno);
    return ok;
}

/* Address strings involve no socket: the entry named by the info decides. */
static INT WSPAPI lsp_address_to_string(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                        LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString,
                                        LPDWORD lpdwAddressStringLength, LPINT lpErrno)
{
    lsp_entry *entry = lpProtocolInfo != NULL ? lsp_entry_take(lpProtocolInfo->dwCatalogEntryId) : NULL;
    if (entry == NULL)
        return lsp_fail(lpErrno, WSAEINVAL);
    INT r = entry->lower->procs.lpWSPAddressToString(lpsaAddress, dwAddressLength, &entry->lower_info,
                                                     lpszAddressString, lpdwAddressStringLength, lpErrno);
    lsp_entry_drop(entry);
    return r;
}

static INT WSPAPI lsp_string_to_address(LPWSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                        LPSOCKADDR lpAddress, LPINT lpAddressLength, LPINT lpErrno)
{
    lsp_entry *entry = lpProtocolInfo != NULL ? lsp_entry_take(lpProtocolInfo->dwCatalogEntryId) : NULL;
    if (entry == NULL)
        return lsp_fail(lpErrno, WSAEINVAL);
    INT r = entry->lower->procs.lpWSPStringToAddress(AddressString, AddressFamily, &entry->lower_info, lpAddress,
                                                     lpAddressLength, lpErrno);
    lsp_entry_drop(entry);
    return r;
}

void lsp_fill_option_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPGetSockOpt = lsp_get_sock_opt;
    procs->lpWSPSetSockOpt = lsp_set_sock_opt;
    procs->lpWSPIoctl = lsp_ioctl;
    procs->lpWSPGetQOSByName = lsp_get_qos_by_name;
    procs->lpWSPAddressToString = lsp_address_to_string;
    procs->lpWSPStringToAddress = lsp_string_to_address;
}

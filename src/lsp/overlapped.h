/* Overlapped sends and receives. ShareLSP issues its own request to the
 * lower provider (its own WSAOVERLAPPED and event), waits for it on the
 * thread pool, counts the bytes, and completes the application's request
 * the way it asked: WPUCompleteOverlappedRequest (event) or WPUQueueApc to
 * the calling thread (completion routine). The application's WSAOVERLAPPED
 * fields reserved for providers carry the result: Internal the NTSTATUS, as
 * ws2_32's own providers keep it (STATUS_PENDING while pending),
 * InternalHigh the bytes, Offset the flags. */
#ifndef SHARELSP_LSP_OVERLAPPED_H
#define SHARELSP_LSP_OVERLAPPED_H

#include "lsp.h"

#include <mswsock.h>

typedef enum lsp_io_kind {
    LSP_IO_SEND,
    LSP_IO_SEND_TO,
    LSP_IO_RECV,
    LSP_IO_RECV_FROM,
    LSP_IO_ACCEPT_EX, /* counted as received, on the accepted socket */
    LSP_IO_CONNECT_EX,    /* counted as sent */
    LSP_IO_TRANSMIT_FILE, /* counted as sent */
    LSP_IO_RECV_MSG,      /* counted as received */
    LSP_IO_SEND_MSG,      /* counted as sent */
    LSP_IO_TRANSMIT_PACKETS, /* counted as sent; runs on the thread pool */
    LSP_IO_DISCONNECT_EX, /* not counted: no data moves */
    LSP_IO_IOCTL          /* not counted: no data moves */
} lsp_io_kind;

typedef struct lsp_io_args {
    lsp_io_kind kind;
    /* WSAIoctl: the code and buffers, as the application gave them
     * (bytes: lpcbBytesReturned). */
    DWORD ioctl_code;
    LPVOID in, out;
    DWORD in_length, out_length;
    /* AcceptEx: the lower AcceptEx, the accepted socket's descriptor and the
     * receive buffer's lengths; ConnectEx: the lower ConnectEx. */
    LPFN_ACCEPTEX accept_ex;
    descriptor *accepted;
    DWORD local_length, remote_length;
    LPFN_CONNECTEX connect_ex;
    /* DisconnectEx, TransmitFile, WSARecvMsg, WSASendMsg: the lower provider's function
     * and what the application passed (flags: their flags). */
    LPFN_DISCONNECTEX disconnect_ex;
    DWORD reserved; /* DisconnectEx's, passed down as it came */
    LPFN_TRANSMITFILE transmit_file;
    HANDLE file;
    DWORD write_length, send_length;
    LPTRANSMIT_FILE_BUFFERS file_buffers;
    const TRANSMIT_PACKETS_ELEMENT *elements; /* TransmitPackets: count elements, flags */
    LPFN_WSARECVMSG recv_msg;
    LPFN_WSASENDMSG send_msg;
    LPWSAMSG msg;
    LPWSABUF buffers;
    DWORD count;
    LPDWORD bytes; /* may be NULL for an overlapped call */
    DWORD flags;   /* send flags */
    LPDWORD recv_flags;
    const struct sockaddr *to;
    int to_length;
    struct sockaddr *from;
    LPINT from_length;
} lsp_io_args;

/* Starts an overlapped request on d's socket (d's reference is taken for the
 * request's life). Returns 0 (completed at once; the completion is still
 * signalled) or SOCKET_ERROR with WSA_IO_PENDING or the error. */
int lsp_overlapped_start(descriptor *d, SOCKET upper, const lsp_io_args *args, LPWSAOVERLAPPED overlapped,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT lpErrno);

/* A request ShareLSP answered itself at once (no lower request, e.g. an
 * extension function pointer asked for with a WSAOVERLAPPED): completed
 * with no error and bytes, and signalled as any other (event, routine). */
void lsp_overlapped_done_now(descriptor *d, SOCKET upper, LPWSAOVERLAPPED overlapped,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, DWORD bytes);

/* Cancels the requests started on a lower socket (its process's last
 * close of the socket: another process may keep the socket open, and then
 * closing the lower socket alone would end nothing). */
void lsp_overlapped_cancel(SOCKET lower_socket);

/* WSPGetOverlappedResult for requests started above (overlapped not NULL):
 * the result and error read from the NTSTATUS in Internal, as ws2_32 reads
 * them; bytes and flags may be NULL. */
BOOL lsp_overlapped_result(LPWSAOVERLAPPED overlapped, LPDWORD bytes, BOOL wait, LPDWORD flags, LPINT lpErrno);

#endif

/* Layers: an author's code inside a provider DLL built on ShareLSP.
 *
 * A layer is a table of hooks that ShareLSP calls on its way down to the
 * provider below. ShareLSP keeps one object per socket across every
 * descriptor and every process (R1), so a layer sees one socket too: the
 * id in sharelsp_socket is the same through every descriptor, in every
 * process, and so is the storage, which lives in the socket's shared
 * block. A decision taken through one descriptor therefore holds for all.
 *
 * Building one: define the layer with SHARELSP_LAYER (exactly once per DLL)
 * and build the DLL with the CMake function sharelsp_add_layer, which links
 * ShareLSP's provider code (the static library sharelsp_lsp) around it
 * (docs/writing-a-layer.md). sharelsp.dll is the layer with no hooks.
 *
 * Rules for hooks:
 * - Every hook is optional: NULL costs one predictable branch on its path.
 * - Hooks run on the application's thread (data hooks of overlapped
 *   requests: on a thread-pool thread, when the request finishes), inside
 *   the Winsock call, with the socket's block held in place: return
 *   quickly, and call no Winsock function on the socket itself.
 * - A hook that refuses returns a Winsock error (WSAEACCES, ...): the call
 *   fails with it and nothing reaches the provider below. 0 allows.
 * - The storage is SHARELSP_LAYER_WORDS 64-bit words, zero when the socket
 *   is made. Other processes write it at the same time: use the Interlocked
 *   functions on whole words (InterlockedCompareExchange64, ...). */
#ifndef SHARELSP_LAYER_H
#define SHARELSP_LAYER_H

#include <winsock2.h>

#include <stdint.h>

#include <sharelsp/sharelsp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The socket a hook is called for. */
typedef struct sharelsp_socket {
    uint64_t id;               /* the same through every descriptor, in every process */
    SOCKET descriptor;         /* the handle of this call; INVALID_SOCKET where there is none yet or any more */
    DWORD pid;                 /* the calling process */
    int family, type, protocol; /* of the catalog entry the socket was made through */
    volatile LONG64 *storage;  /* SHARELSP_LAYER_WORDS words in the shared block */
    void *internal;            /* ShareLSP's own, for sharelsp_socket_names */
} sharelsp_socket;

/* How a socket came to this process. */
typedef enum sharelsp_origin {
    SHARELSP_ORIGIN_SOCKET = 1, /* WSPSocket: a new socket */
    SHARELSP_ORIGIN_ACCEPT = 2  /* WSPAccept: a new connection */
} sharelsp_origin;

/* Which call carries a destination address. */
typedef enum sharelsp_destination_kind {
    SHARELSP_DESTINATION_CONNECT = 1,    /* WSPConnect */
    SHARELSP_DESTINATION_CONNECT_EX = 2, /* ConnectEx */
    SHARELSP_DESTINATION_SEND_TO = 3,    /* WSPSendTo or WSASendMsg with an address, blocking or overlapped */
    SHARELSP_DESTINATION_JOIN_LEAF = 4   /* WSPJoinLeaf (a multipoint session's leaf) */
} sharelsp_destination_kind;

typedef enum sharelsp_direction {
    SHARELSP_SENT = 1,
    SHARELSP_RECEIVED = 2
} sharelsp_direction;

typedef enum sharelsp_close_kind {
    /* The last descriptor of the socket in this process is closing; the
     * lower socket is still open (sharelsp_socket_names works). Called
     * again if the provider below refuses the close and it is retried. */
    SHARELSP_CLOSE_LAST_IN_PROCESS = 1,
    /* No descriptor is left in any process: the socket is gone. Called once
     * per socket, after LAST_IN_PROCESS, in the process that closed last. */
    SHARELSP_CLOSE_LAST_ANYWHERE = 2
} sharelsp_close_kind;

/* payload_flags: the payload hook rewrites the bytes of sends. */
#define SHARELSP_PAYLOAD_REWRITE_SENT 0x1u

typedef struct sharelsp_layer {
    const char *name; /* for diagnostics */
    /* A socket arrives (new, or accepted; not a duplicate). Refused: the
     * socket is closed before the application sees it, and no other hook
     * hears of it. */
    int (*socket)(const sharelsp_socket *s, sharelsp_origin origin);
    int (*bind)(const sharelsp_socket *s, const struct sockaddr *name, int namelen);
    /* The destination of a connect, ConnectEx or sendto. *name (a copy, of
     * sizeof(SOCKADDR_STORAGE) bytes) may be changed, and *namelen with it:
     * the provider below gets the changed address. */
    int (*destination)(const sharelsp_socket *s, sharelsp_destination_kind kind, struct sockaddr *name,
                       int *namelen);
    int (*listen)(const sharelsp_socket *s, int backlog);
    /* An accepted connection from peer, on the listening socket s: by
     * WSPAccept, or by AcceptEx when its request finishes (on a thread-pool
     * thread). Refused: WSPAccept closes the connection (the peer sees it
     * reset) and fails with the error; an AcceptEx request fails with it,
     * its connection shut down both ways and set to be reset when the
     * program closes its accepting socket. */
    int (*accept)(const sharelsp_socket *s, const struct sockaddr *peer, int peerlen);
    /* Bytes that moved, after the call (an overlapped one: when it
     * finished), through send, recv and their overlapped and extension
     * forms; as counted in SHARELSP_SO_STATS. */
    void (*data)(const sharelsp_socket *s, sharelsp_direction direction, uint64_t bytes);
    /* The bytes themselves, wherever data moves through memory: send,
     * sendto, recv and recvfrom, blocking or overlapped (WSASend,
     * WSASendTo, WSARecv, WSARecvFrom), WSASendMsg and WSARecvMsg (blocking
     * or overlapped), ConnectEx's first data (sent) and AcceptEx's first
     * data (received, on the accepted socket, after the accept hook allowed
     * the connection). Not TransmitFile or TransmitPackets: their bytes are
     * mostly a file's, which the provider below reads itself and ShareLSP
     * never holds; showing only their memory parts would show the stream
     * with holes in it (data counts them whole).
     * - SHARELSP_RECEIVED: after the receive finished and before the
     *   application hears of it (an overlapped one: on a thread-pool thread,
     *   before its event, port or routine). The first bytes bytes of the
     *   buffers, in order, are what arrived: the hook may rewrite them in
     *   place, and the application reads what it left. With MSG_PEEK the
     *   hook sees peeked bytes, and sees them again when they are read.
     * - SHARELSP_SENT: before the send starts; bytes is what the buffers
     *   offer (the provider below may take fewer). Observe only, unless the
     *   layer sets SHARELSP_PAYLOAD_REWRITE_SENT in payload_flags: then the
     *   buffers are a copy of ShareLSP's own (same count, same lengths),
     *   the hook may rewrite their bytes in place, and the copy goes down
     *   instead of the application's buffers, which are never written (a
     *   program may send one buffer on two sockets at once, or from
     *   read-only memory). Same length only: the hook cannot add or drop
     *   bytes. The copy lives until the provider below is done with it (an
     *   overlapped send: until its request ends, however it ends); a layer
     *   without the flag pays no copy. A send the copy cannot be made for
     *   fails with WSAENOBUFS. A send whose buffers the process may not
     *   read (no memory, memory freed or without read access) is not shown:
     *   it goes down as it came, for the provider below to refuse. */
    void (*payload)(const sharelsp_socket *s, sharelsp_direction direction, const WSABUF *buffers, DWORD count,
                    uint64_t bytes);
    /* SHARELSP_PAYLOAD_* flags: what the payload hook does beyond observing. */
    unsigned payload_flags;
    /* setsockopt, before it reaches the provider below (SOL_SHARELSP too). */
    int (*option)(const sharelsp_socket *s, int level, int name, const char *value, int length);
    /* Also for the sockets the program left open, from inside the last
     * WSACleanup, which may run under the loader lock (a DLL's
     * DLL_PROCESS_DETACH): make no Winsock call here, and keep to what is
     * safe under the loader lock (the monitor opens its log file, appends
     * one line and closes it; no LoadLibrary, no waiting on threads). */
    void (*close)(const sharelsp_socket *s, sharelsp_close_kind kind);
} sharelsp_layer;

/* The DLL's layer: defined by SHARELSP_LAYER, read by ShareLSP's code. */
extern const sharelsp_layer sharelsp_layer_definition;
#define SHARELSP_LAYER const sharelsp_layer sharelsp_layer_definition

/* The socket's local and peer names from the provider below, while the
 * lower socket is open (not in a LAST_ANYWHERE close). A name that cannot
 * be had reads with length 0. */
void sharelsp_socket_names(const sharelsp_socket *s, struct sockaddr *local, int *local_length,
                           struct sockaddr *peer, int *peer_length);
/* The socket's counters, as SHARELSP_SO_STATS reads them. */
void sharelsp_socket_stats(const sharelsp_socket *s, sharelsp_stats *stats);
/* The provider DLL the layer is built into (for files beside it). */
HMODULE sharelsp_layer_module(void);
/* One line of diagnostics (printf format), where SHARELSP_DIAGNOSTICS or the
 * registry value HKLM\SOFTWARE\ShareLSP\Diagnostics says; nothing when
 * neither is set (docs/diagnostics.md). */
#ifdef __MINGW_PRINTF_FORMAT
void sharelsp_diagnostic(const char *format, ...) __attribute__((format(__MINGW_PRINTF_FORMAT, 1, 2)));
#else
void sharelsp_diagnostic(const char *format, ...);
#endif

#ifdef __cplusplus
}
#endif

#endif

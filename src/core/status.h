/* Results of core operations. The provider maps them to Winsock errors
 * (core_status_to_wsa in src/lsp); the core itself knows no Winsock. */
#ifndef SHARELSP_CORE_STATUS_H
#define SHARELSP_CORE_STATUS_H

typedef enum core_status {
    CORE_OK = 0,
    CORE_ERR_INVALID,      /* malformed input: WSAEINVAL */
    CORE_ERR_NO_MEMORY,    /* WSAENOBUFS */
    CORE_ERR_NOT_FOUND,    /* no such handle: WSAENOTSOCK */
    CORE_ERR_CLOSING,      /* the descriptor or socket is being closed: WSAENOTSOCK */
    CORE_ERR_SHORT_BUFFER, /* WSAEFAULT */
    CORE_ERR_EXISTS,       /* the handle is already in the table */
    CORE_ERR_REFUSED       /* a step the caller supplied failed: nothing was done */
} core_status;

#endif

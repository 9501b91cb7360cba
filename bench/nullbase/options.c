/* nullbase: options, ioctls and addresses. Options of the levels a TCP
 * socket has are accepted and read back as 0 (the protocol info excepted):
 * nothing is stored, so no call waits for another. */
#include "nullbase.h"

#include <string.h>

/* Another level is no level of this socket's, as the system answers. */
static BOOL nullbase_level_known(int level)
{
    return level == SOL_SOCKET || level == IPPROTO_TCP || level == IPPROTO_IP;
}

static int WSPAPI nullbase_get_sock_opt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT lpErrno)
{
    (void)s;
    if (!nullbase_level_known(level))
        return nullbase_error(WSAEINVAL, lpErrno);
    if (optval == NULL || optlen == NULL)
        return nullbase_error(WSAEFAULT, lpErrno);
    if (level == SOL_SOCKET && optname == SO_PROTOCOL_INFOW) {
        if (*optlen < (int)sizeof(WSAPROTOCOL_INFOW))
            return nullbase_error(WSAEFAULT, lpErrno);
        memcpy(optval, nullbase_entry(), sizeof(WSAPROTOCOL_INFOW));
        *optlen = sizeof(WSAPROTOCOL_INFOW);
        return 0;
    }
    if (*optlen < (int)sizeof(int))
        return nullbase_error(WSAEFAULT, lpErrno);
    memset(optval, 0, sizeof(int));
    *optlen = sizeof(int);
    return 0;
}

static int WSPAPI nullbase_set_sock_opt(SOCKET s, int level, int optname, const char *optval, int optlen,
                                        LPINT lpErrno)
{
    (void)s, (void)optname;
    if (!nullbase_level_known(level))
        return nullbase_error(WSAEINVAL, lpErrno);
    if (optval == NULL && optlen != 0)
        return nullbase_error(WSAEFAULT, lpErrno);
    return 0;
}

static int WSPAPI nullbase_ioctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                                 LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                                 LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                 LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    (void)s, (void)lpvInBuffer, (void)cbInBuffer, (void)lpThreadId;
    if (lpOverlapped != NULL || lpCompletionRoutine != NULL)
        return nullbase_error(WSAEOPNOTSUPP, lpErrno);
    if (dwIoControlCode == (DWORD)FIONBIO) {
        if (lpcbBytesReturned != NULL)
            *lpcbBytesReturned = 0;
        return 0;
    }
    if (dwIoControlCode == (DWORD)FIONREAD) {
        if (lpvOutBuffer == NULL || cbOutBuffer < sizeof(u_long))
            return nullbase_error(WSAEFAULT, lpErrno);
        *(u_long *)lpvOutBuffer = NULLBASE_RECV_BYTES;
        if (lpcbBytesReturned != NULL)
            *lpcbBytesReturned = sizeof(u_long);
        return 0;
    }
    /* No extension functions, no other controls. */
    return nullbase_error(WSAEOPNOTSUPP, lpErrno);
}

static BOOL WSPAPI nullbase_get_qos_by_name(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS, LPINT lpErrno)
{
    (void)s, (void)lpQOSName, (void)lpQOS;
    *lpErrno = WSAEOPNOTSUPP;
    return FALSE;
}

static int WSPAPI nullbase_address_to_string(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                             LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString,
                                             LPDWORD lpdwAddressStringLength, LPINT lpErrno)
{
    (void)lpsaAddress, (void)dwAddressLength, (void)lpProtocolInfo, (void)lpszAddressString,
        (void)lpdwAddressStringLength;
    /* A null socket has no addresses to write. */
    return nullbase_error(WSAEOPNOTSUPP, lpErrno);
}

static int WSPAPI nullbase_string_to_address(LPWSTR AddressString, INT AddressFamily,
                                             LPWSAPROTOCOL_INFOW lpProtocolInfo, LPSOCKADDR lpAddress,
                                             LPINT lpAddressLength, LPINT lpErrno)
{
    (void)AddressString, (void)AddressFamily, (void)lpProtocolInfo, (void)lpAddress, (void)lpAddressLength;
    return nullbase_error(WSAEOPNOTSUPP, lpErrno);
}

void nullbase_fill_option_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPGetSockOpt = nullbase_get_sock_opt;
    procs->lpWSPSetSockOpt = nullbase_set_sock_opt;
    procs->lpWSPIoctl = nullbase_ioctl;
    procs->lpWSPGetQOSByName = nullbase_get_qos_by_name;
    procs->lpWSPAddressToString = nullbase_address_to_string;
    procs->lpWSPStringToAddress = nullbase_string_to_address;
}

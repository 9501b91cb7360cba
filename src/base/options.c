/* wspbase: options, names, ioctls, QOS and address strings. */
#include "base.h"

#include <mswsock.h>
#include <stdbool.h>

static int WSPAPI base_get_sock_opt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT lpErrno)
{
    return base_result(getsockopt(s, level, optname, optval, optlen), lpErrno);
}

static int WSPAPI base_set_sock_opt(SOCKET s, int level, int optname, const char *optval, int optlen,
                                    LPINT lpErrno)
{
    return base_result(setsockopt(s, level, optname, optval, optlen), lpErrno);
}

/* A negative name length: 64-bit Wine answers WSAEINVAL; 32-bit Wine's
 * client passes it to the server as a size and the process dies ("wine
 * client error: write: Invalid argument"). Answered here as 64-bit Wine
 * answers, in both bitnesses. */
static bool base_negative_length(const LPINT namelen, LPINT lpErrno)
{
    if (namelen == NULL || *namelen >= 0)
        return false;
    *lpErrno = WSAEINVAL;
    return true;
}

static int WSPAPI base_get_sock_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    if (base_negative_length(namelen, lpErrno))
        return SOCKET_ERROR;
    return base_result(getsockname(s, name, namelen), lpErrno);
}

static int WSPAPI base_get_peer_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    if (base_negative_length(namelen, lpErrno))
        return SOCKET_ERROR;
    return base_result(getpeername(s, name, namelen), lpErrno);
}

static int WSPAPI base_ioctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                             LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                             LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                             LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    (void)lpThreadId;
    /* ws2_32's own requests to a provider: the platform's WSAIoctl knows
     * none of them. */
    if (dwIoControlCode == SIO_EXT_POLL || dwIoControlCode == SIO_EXT_SENDMSG) {
        /* ws2_32 never asks them overlapped: a send's own WSAOVERLAPPED
         * travels inside its WSASENDMSG. */
        if (lpOverlapped != NULL) {
            *lpErrno = WSAEINVAL;
            return SOCKET_ERROR;
        }
        if (dwIoControlCode == SIO_EXT_SENDMSG)
            return base_ext_send_msg(s, lpvInBuffer, cbInBuffer, lpErrno);
        return base_ext_poll(lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned, lpErrno);
    }
    /* An extension function asked for with a GUID or a pointer buffer too
     * small: Windows documents WSAEFAULT; Wine's ws2_32 answers success and
     * writes a whole pointer into the short buffer. */
    if (dwIoControlCode == SIO_GET_EXTENSION_FUNCTION_POINTER &&
        (lpvInBuffer == NULL || cbInBuffer < sizeof(GUID) || lpvOutBuffer == NULL || cbOutBuffer < sizeof(void *))) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    return base_result(WSAIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                                lpcbBytesReturned, lpOverlapped, lpCompletionRoutine),
                       lpErrno);
}

static BOOL WSPAPI base_get_qos_by_name(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS, LPINT lpErrno)
{
    BOOL ok = WSAGetQOSByName(s, lpQOSName, lpQOS);
    if (!ok)
        *lpErrno = WSAGetLastError();
    return ok;
}

static INT WSPAPI base_address_to_string(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                         LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString,
                                         LPDWORD lpdwAddressStringLength, LPINT lpErrno)
{
    (void)lpProtocolInfo; /* the platform chooses by address family */
    return base_result(
        WSAAddressToStringW(lpsaAddress, dwAddressLength, NULL, lpszAddressString, lpdwAddressStringLength),
        lpErrno);
}

static INT WSPAPI base_string_to_address(LPWSTR AddressString, INT AddressFamily,
                                         LPWSAPROTOCOL_INFOW lpProtocolInfo, LPSOCKADDR lpAddress,
                                         LPINT lpAddressLength, LPINT lpErrno)
{
    (void)lpProtocolInfo;
    return base_result(WSAStringToAddressW(AddressString, AddressFamily, NULL, lpAddress, lpAddressLength),
                       lpErrno);
}

void base_fill_option_procs(WSPPROC_TABLE *procs)
{
    procs->lpWSPGetSockOpt = base_get_sock_opt;
    procs->lpWSPSetSockOpt = base_set_sock_opt;
    procs->lpWSPGetSockName = base_get_sock_name;
    procs->lpWSPGetPeerName = base_get_peer_name;
    procs->lpWSPIoctl = base_ioctl;
    procs->lpWSPGetQOSByName = base_get_qos_by_name;
    procs->lpWSPAddressToString = base_address_to_string;
    procs->lpWSPStringToAddress = base_string_to_address;
}

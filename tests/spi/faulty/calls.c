/* Every entry point of faulty.dll that has no WSAOVERLAPPED: the plan's
 * error when it says this call fails, else wspbase's own answer. A failed
 * call does nothing below, as a lower provider's refusal does. */
#include "faulty.h"

#define FAULTY_FAIL(entry, failed)                                                                                     \
    do {                                                                                                               \
        bool pend_ = false;                                                                                            \
        int error_ = faulty_plan_take(entry, &pend_);                                                                  \
        if (error_ != 0) {                                                                                             \
            *lpErrno = error_;                                                                                         \
            return failed;                                                                                             \
        }                                                                                                              \
    } while (0)

static SOCKET WSPAPI faulty_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC lpfnCondition,
                                   DWORD_PTR dwCallbackData, LPINT lpErrno)
{
    FAULTY_FAIL("WSPAccept", INVALID_SOCKET);
    return faulty_base.lpWSPAccept(s, addr, addrlen, lpfnCondition, dwCallbackData, lpErrno);
}

static int WSPAPI faulty_addresstostring(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                         LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString,
                                         LPDWORD lpdwAddressStringLength, LPINT lpErrno)
{
    FAULTY_FAIL("WSPAddressToString", SOCKET_ERROR);
    return faulty_base.lpWSPAddressToString(lpsaAddress, dwAddressLength, lpProtocolInfo, lpszAddressString,
                                            lpdwAddressStringLength, lpErrno);
}

static int WSPAPI faulty_asyncselect(SOCKET s, HWND hWnd, unsigned int wMsg, LONG lEvent, LPINT lpErrno)
{
    FAULTY_FAIL("WSPAsyncSelect", SOCKET_ERROR);
    return faulty_base.lpWSPAsyncSelect(s, hWnd, wMsg, lEvent, lpErrno);
}

static int WSPAPI faulty_bind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno)
{
    FAULTY_FAIL("WSPBind", SOCKET_ERROR);
    return faulty_base.lpWSPBind(s, name, namelen, lpErrno);
}

static int WSPAPI faulty_cancelblockingcall(LPINT lpErrno)
{
    FAULTY_FAIL("WSPCancelBlockingCall", SOCKET_ERROR);
    return faulty_base.lpWSPCancelBlockingCall(lpErrno);
}

static int WSPAPI faulty_closesocket(SOCKET s, LPINT lpErrno)
{
    FAULTY_FAIL("WSPCloseSocket", SOCKET_ERROR);
    return faulty_base.lpWSPCloseSocket(s, lpErrno);
}

static int WSPAPI faulty_connect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                                 LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, LPINT lpErrno)
{
    FAULTY_FAIL("WSPConnect", SOCKET_ERROR);
    return faulty_base.lpWSPConnect(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, lpErrno);
}

static int WSPAPI faulty_duplicatesocket(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo, LPINT lpErrno)
{
    FAULTY_FAIL("WSPDuplicateSocket", SOCKET_ERROR);
    return faulty_base.lpWSPDuplicateSocket(s, dwProcessId, lpProtocolInfo, lpErrno);
}

static int WSPAPI faulty_enumnetworkevents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents,
                                           LPINT lpErrno)
{
    FAULTY_FAIL("WSPEnumNetworkEvents", SOCKET_ERROR);
    return faulty_base.lpWSPEnumNetworkEvents(s, hEventObject, lpNetworkEvents, lpErrno);
}

static int WSPAPI faulty_eventselect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents, LPINT lpErrno)
{
    FAULTY_FAIL("WSPEventSelect", SOCKET_ERROR);
    return faulty_base.lpWSPEventSelect(s, hEventObject, lNetworkEvents, lpErrno);
}

static BOOL WSPAPI faulty_getoverlappedresult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer, BOOL fWait,
                                              LPDWORD lpdwFlags, LPINT lpErrno)
{
    FAULTY_FAIL("WSPGetOverlappedResult", FALSE);
    return faulty_base.lpWSPGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags, lpErrno);
}

static int WSPAPI faulty_getpeername(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    FAULTY_FAIL("WSPGetPeerName", SOCKET_ERROR);
    return faulty_base.lpWSPGetPeerName(s, name, namelen, lpErrno);
}

static int WSPAPI faulty_getsockname(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    FAULTY_FAIL("WSPGetSockName", SOCKET_ERROR);
    return faulty_base.lpWSPGetSockName(s, name, namelen, lpErrno);
}

static int WSPAPI faulty_getsockopt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT lpErrno)
{
    FAULTY_FAIL("WSPGetSockOpt", SOCKET_ERROR);
    return faulty_base.lpWSPGetSockOpt(s, level, optname, optval, optlen, lpErrno);
}

static BOOL WSPAPI faulty_getqosbyname(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS, LPINT lpErrno)
{
    FAULTY_FAIL("WSPGetQOSByName", FALSE);
    return faulty_base.lpWSPGetQOSByName(s, lpQOSName, lpQOS, lpErrno);
}

static SOCKET WSPAPI faulty_joinleaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                                     LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags, LPINT lpErrno)
{
    FAULTY_FAIL("WSPJoinLeaf", INVALID_SOCKET);
    return faulty_base.lpWSPJoinLeaf(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS, dwFlags, lpErrno);
}

static int WSPAPI faulty_listen(SOCKET s, int backlog, LPINT lpErrno)
{
    FAULTY_FAIL("WSPListen", SOCKET_ERROR);
    return faulty_base.lpWSPListen(s, backlog, lpErrno);
}

static int WSPAPI faulty_recvdisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno)
{
    FAULTY_FAIL("WSPRecvDisconnect", SOCKET_ERROR);
    return faulty_base.lpWSPRecvDisconnect(s, lpInboundDisconnectData, lpErrno);
}

static int WSPAPI faulty_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const PTIMEVAL timeout,
                                LPINT lpErrno)
{
    FAULTY_FAIL("WSPSelect", SOCKET_ERROR);
    return faulty_base.lpWSPSelect(nfds, readfds, writefds, exceptfds, timeout, lpErrno);
}

static int WSPAPI faulty_senddisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData, LPINT lpErrno)
{
    FAULTY_FAIL("WSPSendDisconnect", SOCKET_ERROR);
    return faulty_base.lpWSPSendDisconnect(s, lpOutboundDisconnectData, lpErrno);
}

static int WSPAPI faulty_setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen, LPINT lpErrno)
{
    FAULTY_FAIL("WSPSetSockOpt", SOCKET_ERROR);
    return faulty_base.lpWSPSetSockOpt(s, level, optname, optval, optlen, lpErrno);
}

static int WSPAPI faulty_shutdown(SOCKET s, int how, LPINT lpErrno)
{
    FAULTY_FAIL("WSPShutdown", SOCKET_ERROR);
    return faulty_base.lpWSPShutdown(s, how, lpErrno);
}

static SOCKET WSPAPI faulty_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                                   DWORD dwFlags, LPINT lpErrno)
{
    FAULTY_FAIL("WSPSocket", INVALID_SOCKET);
    return faulty_base.lpWSPSocket(af, type, protocol, lpProtocolInfo, g, dwFlags, lpErrno);
}

static int WSPAPI faulty_stringtoaddress(LPWSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                         LPSOCKADDR lpAddress, LPINT lpAddressLength, LPINT lpErrno)
{
    FAULTY_FAIL("WSPStringToAddress", SOCKET_ERROR);
    return faulty_base.lpWSPStringToAddress(AddressString, AddressFamily, lpProtocolInfo, lpAddress, lpAddressLength,
                                            lpErrno);
}

void faulty_fill_calls(WSPPROC_TABLE *procs)
{
    procs->lpWSPAccept = faulty_accept;
    procs->lpWSPAddressToString = faulty_addresstostring;
    procs->lpWSPAsyncSelect = faulty_asyncselect;
    procs->lpWSPBind = faulty_bind;
    procs->lpWSPCancelBlockingCall = faulty_cancelblockingcall;
    procs->lpWSPCloseSocket = faulty_closesocket;
    procs->lpWSPConnect = faulty_connect;
    procs->lpWSPDuplicateSocket = faulty_duplicatesocket;
    procs->lpWSPEnumNetworkEvents = faulty_enumnetworkevents;
    procs->lpWSPEventSelect = faulty_eventselect;
    procs->lpWSPGetOverlappedResult = faulty_getoverlappedresult;
    procs->lpWSPGetPeerName = faulty_getpeername;
    procs->lpWSPGetSockName = faulty_getsockname;
    procs->lpWSPGetSockOpt = faulty_getsockopt;
    procs->lpWSPGetQOSByName = faulty_getqosbyname;
    procs->lpWSPJoinLeaf = faulty_joinleaf;
    procs->lpWSPListen = faulty_listen;
    procs->lpWSPRecvDisconnect = faulty_recvdisconnect;
    procs->lpWSPSelect = faulty_select;
    procs->lpWSPSendDisconnect = faulty_senddisconnect;
    procs->lpWSPSetSockOpt = faulty_setsockopt;
    procs->lpWSPShutdown = faulty_shutdown;
    procs->lpWSPSocket = faulty_socket;
    procs->lpWSPStringToAddress = faulty_stringtoaddress;
}

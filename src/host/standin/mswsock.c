/* mswsock.dll, the stand-in. Wine's mswsock asks ws2_32 for AcceptEx,
 * GetAcceptExSockaddrs and TransmitFile once, through the first socket it
 * is given, and keeps them for every socket after (its comment says it
 * assumes one implementation): with providers in the chain the first
 * socket's provider would serve every other's. Here each call asks the
 * socket's own provider through the stand-in ws2_32
 * (SIO_GET_EXTENSION_FUNCTION_POINTER, as a program does), so it goes
 * through the catalog like any other call. The other exports are Wine's
 * (mswsock_forwards.h); EnumProtocolsA/W are Wine's forwarders to ws2_32's
 * functions, which the loader binds to the stand-in. */
#include <mswsock.h>
#include <winsock2.h>

#include "thunks.h"

#define STANDIN_FORWARD(name) STANDIN_THUNK(name)
#include "mswsock_forwards.h"
#undef STANDIN_FORWARD

static const standin_forward mswsock_forwards[] = {
#define STANDIN_FORWARD(name) {#name, &standin_ptr_##name},
#include "mswsock_forwards.h"
#undef STANDIN_FORWARD
};

__attribute__((constructor)) static void mswsock_bind_builtin(void)
{
    HMODULE builtin = NULL;
    standin_bind_builtin(L"mswsock.dll", L"mswsock (Wine builtin).dll", mswsock_forwards,
                         sizeof mswsock_forwards / sizeof mswsock_forwards[0], &builtin);
}

/* The extension function of the socket's provider; NULL with the error of
 * the request (WSAENOTSOCK for a handle that is no socket). */
static void *mswsock_extension(SOCKET s, GUID id)
{
    void *fn = NULL;
    DWORD returned = 0;
    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &fn, sizeof fn, &returned, NULL, NULL) != 0)
        return NULL;
    return fn;
}

/* GetAcceptExSockaddrs names no socket: it is the one of the provider that
 * last accepted (the buffer is its AcceptEx's), as Wine keeps one. */
static void *volatile last_sockaddrs;

BOOL WINAPI standin_AcceptEx(SOCKET listener, SOCKET acceptor, PVOID buffer, DWORD data_length, DWORD local_length,
                             DWORD remote_length, LPDWORD received, LPOVERLAPPED overlapped);
BOOL WINAPI standin_AcceptEx(SOCKET listener, SOCKET acceptor, PVOID buffer, DWORD data_length, DWORD local_length,
                             DWORD remote_length, LPDWORD received, LPOVERLAPPED overlapped)
{
    LPFN_ACCEPTEX accept_ex = (LPFN_ACCEPTEX)mswsock_extension(listener, (GUID)WSAID_ACCEPTEX);
    if (accept_ex == NULL)
        return FALSE;
    void *sockaddrs = mswsock_extension(listener, (GUID)WSAID_GETACCEPTEXSOCKADDRS);
    if (sockaddrs != NULL)
        last_sockaddrs = sockaddrs;
    return accept_ex(listener, acceptor, buffer, data_length, local_length, remote_length, received, overlapped);
}

VOID WINAPI standin_GetAcceptExSockaddrs(PVOID buffer, DWORD data_length, DWORD local_length, DWORD remote_length,
                                         struct sockaddr **local, LPINT local_size, struct sockaddr **remote,
                                         LPINT remote_size);
VOID WINAPI standin_GetAcceptExSockaddrs(PVOID buffer, DWORD data_length, DWORD local_length, DWORD remote_length,
                                         struct sockaddr **local, LPINT local_size, struct sockaddr **remote,
                                         LPINT remote_size)
{
    LPFN_GETACCEPTEXSOCKADDRS sockaddrs = (LPFN_GETACCEPTEXSOCKADDRS)last_sockaddrs;
    if (sockaddrs == NULL) {
        /* No AcceptEx yet (the program got it by ioctl): the provider a
         * TCP socket gets, which is the one a program would ask. */
        int error = WSAGetLastError();
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (s != INVALID_SOCKET) {
            sockaddrs = (LPFN_GETACCEPTEXSOCKADDRS)mswsock_extension(s, (GUID)WSAID_GETACCEPTEXSOCKADDRS);
            closesocket(s);
        }
        WSASetLastError(error);
    }
    if (sockaddrs != NULL)
        sockaddrs(buffer, data_length, local_length, remote_length, local, local_size, remote, remote_size);
}

BOOL WINAPI standin_TransmitFile(SOCKET s, HANDLE file, DWORD bytes, DWORD per_send, LPOVERLAPPED overlapped,
                                 LPTRANSMIT_FILE_BUFFERS buffers, DWORD flags);
BOOL WINAPI standin_TransmitFile(SOCKET s, HANDLE file, DWORD bytes, DWORD per_send, LPOVERLAPPED overlapped,
                                 LPTRANSMIT_FILE_BUFFERS buffers, DWORD flags)
{
    LPFN_TRANSMITFILE transmit = (LPFN_TRANSMITFILE)mswsock_extension(s, (GUID)WSAID_TRANSMITFILE);
    return transmit != NULL && transmit(s, file, bytes, per_send, overlapped, buffers, flags);
}

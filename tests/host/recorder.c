/* A non-IFS provider for wsphost's tests only: it records how the host asks
 * it for what has no proc table entry (WSPIoctl with SIO_EXT_SENDMSG or
 * SIO_EXT_POLL), and answers: a send of 42 bytes; every socket asked for
 * POLLWRNORM writable. WSPJoinLeaf makes a new socket, WSPGetQOSByName
 * answers TRUE. Its sockets are upcall handles; only those entries,
 * WSPSocket, WSPCloseSocket and WSPCleanup are ever called. */
#include <winsock2.h>
#include <ws2spi.h>
#include <mswsock.h>

#include <string.h>

#include "recorder.h"

static WSPUPCALLTABLE upcalls;
static DWORD catalog_id;
static recorder_call last;

__declspec(dllexport) void recorder_last(recorder_call *out);
__declspec(dllexport) void recorder_last(recorder_call *out) { *out = last; }

static SOCKET WSPAPI recorder_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g,
                                     DWORD flags, LPINT lpErrno)
{
    (void)af, (void)type, (void)protocol, (void)info, (void)g, (void)flags;
    return upcalls.lpWPUCreateSocketHandle(catalog_id, 1, lpErrno);
}

static int WSPAPI recorder_close(SOCKET s, LPINT lpErrno) { return upcalls.lpWPUCloseSocketHandle(s, lpErrno); }

static int WSPAPI recorder_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD in_length, LPVOID out, DWORD out_length,
                                 LPDWORD returned, LPWSAOVERLAPPED overlapped,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT lpErrno)
{
    memset(&last, 0, sizeof last);
    last.calls = 1;
    last.socket = s;
    last.code = code;
    last.in = in;
    last.in_length = in_length;
    last.out = out;
    last.out_length = out_length;
    last.returned = returned;
    last.overlapped = overlapped;
    last.routine = (void *)routine;
    last.thread = thread;
    if (in != NULL && in_length <= sizeof last.in_copy)
        memcpy(last.in_copy, in, in_length);
    if (code == SIO_EXT_SENDMSG && in_length == sizeof(WSASENDMSG)) {
        WSASENDMSG *m = in;
        if (m->lpNumberOfBytesSent != NULL)
            *m->lpNumberOfBytesSent = 42;
        return 0;
    }
    if (code == SIO_EXT_POLL && out != NULL) {
        WSAPOLLDATA *data = out;
        data->result = 0;
        for (ULONG i = 0; i < data->fds; i++) {
            data->fdArray[i].revents = data->fdArray[i].events & POLLWRNORM;
            data->result += data->fdArray[i].revents != 0;
        }
        return 0;
    }
    *lpErrno = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

static SOCKET WSPAPI recorder_join_leaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller,
                                         LPWSABUF callee, LPQOS sqos, LPQOS gqos, DWORD flags, LPINT lpErrno)
{
    (void)s, (void)name, (void)namelen, (void)caller, (void)callee, (void)sqos, (void)gqos, (void)flags;
    return upcalls.lpWPUCreateSocketHandle(catalog_id, 2, lpErrno);
}

static BOOL WSPAPI recorder_get_qos_by_name(SOCKET s, LPWSABUF name, LPQOS qos, LPINT lpErrno)
{
    (void)s, (void)name, (void)qos, (void)lpErrno;
    return TRUE;
}

static int WSPAPI recorder_cleanup(LPINT lpErrno)
{
    (void)lpErrno;
    return 0;
}

static int WSPAPI recorder_never_called(void) { return SOCKET_ERROR; }

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                      WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    lpWSPData->wVersion = wVersionRequested;
    lpWSPData->wHighVersion = MAKEWORD(2, 2);
    upcalls = UpcallTable;
    catalog_id = lpProtocolInfo->dwCatalogEntryId;
    void (**slots)(void) = (void (**)(void))(void *)lpProcTable;
    for (size_t i = 0; i < sizeof *lpProcTable / sizeof *slots; i++)
        slots[i] = (void (*)(void))recorder_never_called;
    lpProcTable->lpWSPSocket = recorder_socket;
    lpProcTable->lpWSPCloseSocket = recorder_close;
    lpProcTable->lpWSPIoctl = recorder_ioctl;
    lpProcTable->lpWSPJoinLeaf = recorder_join_leaf;
    lpProcTable->lpWSPGetQOSByName = recorder_get_qos_by_name;
    lpProcTable->lpWSPCleanup = recorder_cleanup;
    return 0;
}

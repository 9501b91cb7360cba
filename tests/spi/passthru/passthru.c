/* passthru.dll: a minimal non-IFS layered provider for the stacking tests
 * only. Installed above ShareLSP, it must be ChainEntries[0] of its chains;
 * it wraps each lower socket in a handle of its own (context: the lower
 * socket) and forwards every call. It counts the calls it forwards, readable
 * as option PASSTHRU_SO_CALLS at level SOL_PASSTHRU, so a test can see that
 * traffic went through it. WSPAsyncSelect is refused (WSAEOPNOTSUPP): it
 * would need a window to translate wParam, which this fixture does not have. */
#include <winsock2.h>
#include <ws2spi.h>

#include <stdlib.h>
#include <string.h>

#define SOL_PASSTHRU 0x5054
#define PASSTHRU_SO_CALLS 1

static WSPUPCALLTABLE up;
static WSPPROC_TABLE lower;
static HMODULE lower_module;
static DWORD chain_id;
static LONG forwarded, starts;

static SOCKET lower_of(SOCKET s, LPINT lpErrno)
{
    DWORD_PTR context = 0;
    if (up.lpWPUQuerySocketHandleContext(s, &context, lpErrno) != 0)
        return INVALID_SOCKET;
    InterlockedIncrement(&forwarded);
    return (SOCKET)context;
}

static SOCKET wrap(SOCKET l, LPINT lpErrno)
{
    if (l == INVALID_SOCKET)
        return INVALID_SOCKET;
    SOCKET s = up.lpWPUCreateSocketHandle(chain_id, (DWORD_PTR)l, lpErrno);
    if (s == INVALID_SOCKET) {
        int ignored;
        lower.lpWSPCloseSocket(l, &ignored);
    }
    return s;
}

#define LOWER(s) SOCKET l = lower_of((s), lpErrno); if (l == INVALID_SOCKET) return SOCKET_ERROR

static SOCKET WSPAPI p_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                              LPINT lpErrno)
{
    return wrap(lower.lpWSPSocket(af, type, protocol, info, g, flags, lpErrno), lpErrno);
}

static int WSPAPI p_close(SOCKET s, LPINT lpErrno)
{
    LOWER(s);
    int r = lower.lpWSPCloseSocket(l, lpErrno);
    int ignored;
    up.lpWPUCloseSocketHandle(s, &ignored);
    return r;
}

static SOCKET WSPAPI p_accept(SOCKET s, struct sockaddr *a, LPINT al, LPCONDITIONPROC c, DWORD_PTR d, LPINT lpErrno)
{
    SOCKET l = lower_of(s, lpErrno);
    return l == INVALID_SOCKET ? INVALID_SOCKET : wrap(lower.lpWSPAccept(l, a, al, c, d, lpErrno), lpErrno);
}

static int WSPAPI p_bind(SOCKET s, const struct sockaddr *n, int nl, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPBind(l, n, nl, lpErrno);
}

static int WSPAPI p_listen(SOCKET s, int b, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPListen(l, b, lpErrno);
}

static int WSPAPI p_connect(SOCKET s, const struct sockaddr *n, int nl, LPWSABUF a, LPWSABUF b, LPQOS q, LPQOS g,
                            LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPConnect(l, n, nl, a, b, q, g, lpErrno);
}

static int WSPAPI p_send(SOCKET s, LPWSABUF b, DWORD n, LPDWORD sent, DWORD f, LPWSAOVERLAPPED o,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE c, LPWSATHREADID t, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPSend(l, b, n, sent, f, o, c, t, lpErrno);
}

static int WSPAPI p_send_to(SOCKET s, LPWSABUF b, DWORD n, LPDWORD sent, DWORD f, const struct sockaddr *to, int tl,
                            LPWSAOVERLAPPED o, LPWSAOVERLAPPED_COMPLETION_ROUTINE c, LPWSATHREADID t, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPSendTo(l, b, n, sent, f, to, tl, o, c, t, lpErrno);
}

static int WSPAPI p_recv(SOCKET s, LPWSABUF b, DWORD n, LPDWORD got, LPDWORD f, LPWSAOVERLAPPED o,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE c, LPWSATHREADID t, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPRecv(l, b, n, got, f, o, c, t, lpErrno);
}

static int WSPAPI p_recv_from(SOCKET s, LPWSABUF b, DWORD n, LPDWORD got, LPDWORD f, struct sockaddr *from,
                              LPINT fl, LPWSAOVERLAPPED o, LPWSAOVERLAPPED_COMPLETION_ROUTINE c, LPWSATHREADID t,
                              LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPRecvFrom(l, b, n, got, f, from, fl, o, c, t, lpErrno);
}

static int WSPAPI p_get_opt(SOCKET s, int level, int name, char *v, LPINT len, LPINT lpErrno)
{
    LOWER(s);
    if (level == SOL_PASSTHRU && name == PASSTHRU_SO_CALLS && v != NULL && len != NULL && *len >= 4) {
        LONG n = InterlockedCompareExchange(&forwarded, 0, 0);
        memcpy(v, &n, sizeof n);
        *len = sizeof n;
        return 0;
    }
    return lower.lpWSPGetSockOpt(l, level, name, v, len, lpErrno);
}

static int WSPAPI p_set_opt(SOCKET s, int level, int name, const char *v, int len, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPSetSockOpt(l, level, name, v, len, lpErrno);
}

static int WSPAPI p_sock_name(SOCKET s, struct sockaddr *n, LPINT nl, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPGetSockName(l, n, nl, lpErrno);
}

static int WSPAPI p_peer_name(SOCKET s, struct sockaddr *n, LPINT nl, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPGetPeerName(l, n, nl, lpErrno);
}

static int WSPAPI p_shutdown(SOCKET s, int how, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPShutdown(l, how, lpErrno);
}

static int WSPAPI p_duplicate(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOW info, LPINT lpErrno)
{
    LOWER(s);
    /* The lower's info names the chain entry we share: it comes back here. */
    return lower.lpWSPDuplicateSocket(l, pid, info, lpErrno);
}

static int WSPAPI p_event_select(SOCKET s, WSAEVENT e, long ev, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPEventSelect(l, e, ev, lpErrno);
}

static int WSPAPI p_enum_events(SOCKET s, WSAEVENT e, LPWSANETWORKEVENTS ne, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPEnumNetworkEvents(l, e, ne, lpErrno);
}

static int WSPAPI p_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD inl, LPVOID out, DWORD outl, LPDWORD ret,
                          LPWSAOVERLAPPED o, LPWSAOVERLAPPED_COMPLETION_ROUTINE c, LPWSATHREADID t, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPIoctl(l, code, in, inl, out, outl, ret, o, c, t, lpErrno);
}

static int WSPAPI p_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *const t, LPINT lpErrno)
{
    /* Translate each set in place both ways; this fixture's tests pass one set. */
    fd_set *sets[3] = {r, w, e};
    SOCKET uppers[3][FD_SETSIZE];
    for (int k = 0; k < 3; k++) {
        for (u_int i = 0; sets[k] != NULL && i < sets[k]->fd_count; i++) {
            uppers[k][i] = sets[k]->fd_array[i];
            SOCKET l = lower_of(uppers[k][i], lpErrno);
            if (l == INVALID_SOCKET)
                return SOCKET_ERROR;
            sets[k]->fd_array[i] = l;
        }
    }
    fd_set before[3];
    for (int k = 0; k < 3; k++)
        if (sets[k] != NULL)
            before[k] = *sets[k];
    int r2 = lower.lpWSPSelect(n, r, w, e, t, lpErrno);
    for (int k = 0; k < 3; k++) {
        if (sets[k] == NULL)
            continue;
        fd_set out;
        FD_ZERO(&out);
        for (u_int i = 0; i < before[k].fd_count; i++) {
            for (u_int j = 0; r2 != SOCKET_ERROR && j < sets[k]->fd_count; j++)
                if (sets[k]->fd_array[j] == before[k].fd_array[i])
                    FD_SET(uppers[k][i], &out);
        }
        *sets[k] = out;
    }
    return r2;
}

static int WSPAPI p_refuse(LPINT lpErrno)
{
    *lpErrno = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

static int WSPAPI p_async_select(SOCKET s, HWND h, unsigned int m, long e, LPINT lpErrno)
{
    (void)s, (void)h, (void)m, (void)e;
    return p_refuse(lpErrno);
}

static SOCKET WSPAPI p_join_leaf(SOCKET s, const struct sockaddr *n, int nl, LPWSABUF a, LPWSABUF b, LPQOS q,
                                 LPQOS g, DWORD f, LPINT lpErrno)
{
    (void)s, (void)n, (void)nl, (void)a, (void)b, (void)q, (void)g, (void)f;
    p_refuse(lpErrno);
    return INVALID_SOCKET;
}

static BOOL WSPAPI p_overlapped_result(SOCKET s, LPWSAOVERLAPPED o, LPDWORD c, BOOL w, LPDWORD f, LPINT lpErrno)
{
    SOCKET l = lower_of(s, lpErrno);
    return l != INVALID_SOCKET && lower.lpWSPGetOverlappedResult(l, o, c, w, f, lpErrno);
}

static BOOL WSPAPI p_qos(SOCKET s, LPWSABUF n, LPQOS q, LPINT lpErrno)
{
    SOCKET l = lower_of(s, lpErrno);
    return l != INVALID_SOCKET && lower.lpWSPGetQOSByName(l, n, q, lpErrno);
}

static int WSPAPI p_send_disconnect(SOCKET s, LPWSABUF b, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPSendDisconnect(l, b, lpErrno);
}

static int WSPAPI p_recv_disconnect(SOCKET s, LPWSABUF b, LPINT lpErrno)
{
    LOWER(s);
    return lower.lpWSPRecvDisconnect(l, b, lpErrno);
}

static INT WSPAPI p_addr_to_string(LPSOCKADDR a, DWORD al, LPWSAPROTOCOL_INFOW i, LPWSTR s, LPDWORD sl, LPINT e)
{
    return lower.lpWSPAddressToString(a, al, i, s, sl, e);
}

static INT WSPAPI p_string_to_addr(LPWSTR s, INT f, LPWSAPROTOCOL_INFOW i, LPSOCKADDR a, LPINT al, LPINT e)
{
    return lower.lpWSPStringToAddress(s, f, i, a, al, e);
}

static int WSPAPI p_cleanup(LPINT lpErrno)
{
    if (InterlockedDecrement(&starts) == 0) {
        lower.lpWSPCleanup(lpErrno);
        FreeLibrary(lower_module);
    }
    return 0;
}

static int start_lower(WSAPROTOCOL_INFOW *chain)
{
    DWORD len = 0;
    int err = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    WSAPROTOCOL_INFOW *all = malloc(len);
    int n = WSCEnumProtocols(NULL, all, &len, &err);
    GUID next = GUID_NULL;
    for (int i = 0; i < n; i++)
        if (all[i].dwCatalogEntryId == chain->ProtocolChain.ChainEntries[1])
            next = all[i].ProviderId;
    free(all);
    WCHAR raw[MAX_PATH], path[MAX_PATH];
    int plen = MAX_PATH;
    if (WSCGetProviderPath(&next, raw, &plen, &err) != 0 || !ExpandEnvironmentStringsW(raw, path, MAX_PATH))
        return WSAEPROVIDERFAILEDINIT;
    lower_module = LoadLibraryW(path);
    LPWSPSTARTUP startup = lower_module ? (LPWSPSTARTUP)(void (*)(void))GetProcAddress(lower_module, "WSPStartup") : NULL;
    WSPDATA data;
    /* The next provider is layered (ShareLSP): it gets the whole chain. */
    return startup ? startup(MAKEWORD(2, 2), &data, chain, up, &lower) : WSAEPROVIDERFAILEDINIT;
}

int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs)
{
    data->wVersion = MAKEWORD(2, 2);
    data->wHighVersion = MAKEWORD(2, 2);
    (void)version;
    up = upcalls;
    if (InterlockedIncrement(&starts) == 1) {
        chain_id = info->dwCatalogEntryId; /* the tests install one chain (TCP over IPv4) */
        int err = start_lower(info);
        if (err != 0) {
            InterlockedDecrement(&starts);
            return err;
        }
    }
    *procs = (WSPPROC_TABLE){
        p_accept, p_addr_to_string, p_async_select, p_bind, p_refuse, p_cleanup, p_close, p_connect, p_duplicate,
        p_enum_events, p_event_select, p_overlapped_result, p_peer_name, p_sock_name, p_get_opt, p_qos, p_ioctl,
        p_join_leaf, p_listen, p_recv, p_recv_disconnect, p_recv_from, p_select, p_send, p_send_disconnect,
        p_send_to, p_set_opt, p_shutdown, p_socket, p_string_to_addr};
    return 0;
}

#include "conformance.h"

#include <string.h>
#include <wchar.h>

bool conf_under_wine(void)
{
    return GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != NULL;
}

bool conf_through_a_layer(SOCKET s)
{
    WSAPROTOCOL_INFOW info;
    int len = sizeof info;
    assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
    return info.ProtocolChain.ChainLen > 1;
}

bool conf_through_wsphost(void)
{
    if (GetModuleHandleW(L"wsphost.dll") != NULL)
        return true;
    /* Run by wsphost-run, the ws2_32 build binds to the stand-in: a ws2_32
     * from outside the system folder. */
    WCHAR path[MAX_PATH], system[MAX_PATH];
    HMODULE ws2_32 = GetModuleHandleW(L"ws2_32.dll");
    UINT n = GetSystemDirectoryW(system, MAX_PATH);
    return ws2_32 != NULL && GetModuleFileNameW(ws2_32, path, MAX_PATH) > 0 && n > 0 && n < MAX_PATH &&
           _wcsnicmp(path, system, n) != 0;
}

int conf_start(void **state)
{
    (void)state;
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) != 0;
}

int conf_stop(void **state)
{
    (void)state;
    return WSACleanup() != 0;
}

static void loopback(int af, struct sockaddr_storage *addr, int *addrlen)
{
    memset(addr, 0, sizeof *addr);
    if (af == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)addr;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        *addrlen = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr.s6_addr[15] = 1; /* ::1, without ws2_32's in6addr_loopback data */
        *addrlen = sizeof *in6;
    }
}

SOCKET conf_listener(int af, struct sockaddr_storage *addr, int *addrlen)
{
    SOCKET s = socket(af, SOCK_STREAM, IPPROTO_TCP);
    assert_true(s != INVALID_SOCKET);
    loopback(af, addr, addrlen);
    assert_int_equal(bind(s, (struct sockaddr *)addr, *addrlen), 0);
    assert_int_equal(listen(s, 8), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)addr, addrlen), 0);
    return s;
}

void conf_tcp_pair(int af, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    int addrlen;
    SOCKET l = conf_listener(af, &addr, &addrlen);
    *client = socket(af, SOCK_STREAM, 0);
    assert_true(*client != INVALID_SOCKET);
    assert_int_equal(connect(*client, (struct sockaddr *)&addr, addrlen), 0);
    *server = accept(l, NULL, NULL);
    assert_true(*server != INVALID_SOCKET);
    assert_int_equal(closesocket(l), 0);
}

SOCKET conf_udp(int af, struct sockaddr_storage *addr, int *addrlen)
{
    SOCKET s = socket(af, SOCK_DGRAM, IPPROTO_UDP);
    assert_true(s != INVALID_SOCKET);
    loopback(af, addr, addrlen);
    assert_int_equal(bind(s, (struct sockaddr *)addr, *addrlen), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)addr, addrlen), 0);
    return s;
}

void conf_send_all(SOCKET s, const char *data, int len)
{
    while (len > 0) {
        int n = send(s, data, len, 0);
        assert_true(n > 0);
        data += n;
        len -= n;
    }
}

void conf_recv_exact(SOCKET s, char *data, int len)
{
    while (len > 0) {
        int n = recv(s, data, len, 0);
        assert_true(n > 0);
        data += n;
        len -= n;
    }
}

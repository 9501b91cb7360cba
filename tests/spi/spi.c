/* WSCInstallProviderAndChains64_32 is declared with LPWSAPROTOCOL_INFO: the W form. */
#define UNICODE
#include "spi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

DWORD spi_layered_id;

static GUID sharelsp_guid = SHARELSP_PROVIDER_GUID_INIT;

static void beside_exe(WCHAR *path, const WCHAR *name)
{
    GetModuleFileNameW(NULL, path, MAX_PATH);
    WCHAR *slash = wcsrchr(path, L'\\');
    if (slash != NULL)
        wcscpy(slash + 1, name);
}

int spi_install_sharelsp(void) { return spi_install_provider(L"sharelsp.dll"); }

int spi_install_provider(const WCHAR *dll_name)
{
    WCHAR dll[MAX_PATH];
    beside_exe(dll, dll_name);

    DWORD len = 0;
    int err = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    WSAPROTOCOL_INFOW *base = malloc(len);
    int n = WSCEnumProtocols(NULL, base, &len, &err);
    if (base == NULL || n != 4)
        return 1;
    int r = WSCInstallProviderAndChains64_32(&sharelsp_guid, dll, dll, L"ShareLSP", 0, base, (DWORD)n,
                                             &spi_layered_id, &err);
    free(base);
    if (r != 0) {
        fprintf(stderr, "spi: install failed: %d\n", err);
        return 1;
    }
    return 0;
}

int spi_start(void **state)
{
    (void)state;
    return spi_start_provider(L"sharelsp.dll");
}

int spi_start_provider(const WCHAR *dll_name)
{
    WCHAR catalog[MAX_PATH], dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(catalog, MAX_PATH, L"%lssharelsp-spi-%lu.catalog", dir, (unsigned long)GetCurrentProcessId());
    DeleteFileW(catalog);
    SetEnvironmentVariableW(L"WSPHOST_CATALOG", catalog);
    if (spi_install_provider(dll_name) != 0)
        return 1;
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) != 0;
}

int spi_stop(void **state)
{
    (void)state;
    WCHAR catalog[MAX_PATH];
    int r = WSACleanup();
    if (GetEnvironmentVariableW(L"WSPHOST_CATALOG", catalog, MAX_PATH) > 0)
        DeleteFileW(catalog);
    return r != 0;
}

bool spi_child_start(void)
{
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) == 0;
}

void spi_tcp_pair(int af, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    int addrlen;
    if (af == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&addr;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addrlen = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&addr;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr.s6_addr[15] = 1;
        addrlen = sizeof *in6;
    }
    SOCKET l = socket(af, SOCK_STREAM, 0);
    assert_true(l != INVALID_SOCKET);
    assert_int_equal(bind(l, (struct sockaddr *)&addr, addrlen), 0);
    assert_int_equal(listen(l, 4), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&addr, &addrlen), 0);
    *client = socket(af, SOCK_STREAM, 0);
    assert_true(*client != INVALID_SOCKET);
    assert_int_equal(connect(*client, (struct sockaddr *)&addr, addrlen), 0);
    *server = accept(l, NULL, NULL);
    assert_true(*server != INVALID_SOCKET);
    assert_int_equal(closesocket(l), 0);
}

sharelsp_stats spi_stats(SOCKET s)
{
    sharelsp_stats stats;
    int len = sizeof stats;
    memset(&stats, 0xee, sizeof stats);
    assert_int_equal(getsockopt(s, SOL_SHARELSP, SHARELSP_SO_STATS, (char *)&stats, &len), 0);
    assert_int_equal(len, sizeof stats);
    return stats;
}

void spi_set_tag(SOCKET s, const char *tag)
{
    assert_int_equal(setsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, (int)strlen(tag)), 0);
}

void spi_get_tag(SOCKET s, char *tag, int capacity)
{
    int len = capacity - 1;
    assert_int_equal(getsockopt(s, SOL_SHARELSP, SHARELSP_SO_TAG, tag, &len), 0);
    tag[len] = '\0';
}

SOCKET spi_use_info(WSAPROTOCOL_INFOW *info)
{
    return WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0, WSA_FLAG_OVERLAPPED);
}

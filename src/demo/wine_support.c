#define UNICODE /* WSCInstallProviderAndChains64_32 takes WSAPROTOCOL_INFOW */
#include "wine_support.h"

#include <ws2spi.h>

#include <stdlib.h>
#include <wchar.h>

#include <sharelsp/sharelsp.h>

int wine_install_sharelsp(const WCHAR *dll32, DWORD *layered, int *bases)
{
    GUID id = SHARELSP_PROVIDER_GUID_INIT;
    WCHAR dll[MAX_PATH];
    GetModuleFileNameW(NULL, dll, MAX_PATH);
    wcscpy(wcsrchr(dll, L'\\') + 1, L"sharelsp.dll");
    DWORD len = 0, made = 0;
    int err = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    WSAPROTOCOL_INFOW *all = malloc(len);
    if (all == NULL)
        return WSAENOBUFS;
    int n = WSCEnumProtocols(NULL, all, &len, &err);
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (all[i].ProtocolChain.ChainLen == BASE_PROTOCOL)
            all[count++] = all[i];
    }
#ifdef _WIN64
    WCHAR path32[MAX_PATH];
    wcscpy(path32, dll32 != NULL ? dll32 : dll);
    int r = WSCInstallProviderAndChains64_32(&id, dll, path32, L"ShareLSP", 0, all, (DWORD)count, &made, &err);
#else /* a 32-bit process has one catalog, its own */
    (void)dll32;
    int r = WSCInstallProviderAndChains(&id, dll, L"ShareLSP", 0, all, (DWORD)count, &made, &err);
#endif
    free(all);
    if (layered != NULL)
        *layered = made;
    if (bases != NULL)
        *bases = count;
    return r == 0 ? 0 : err;
}

void wine_tcp_pair(SOCKET *peer, SOCKET *other)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof addr;
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&addr, len);
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&addr, &len);
    *peer = socket(AF_INET, SOCK_STREAM, 0);
    connect(*peer, (struct sockaddr *)&addr, len);
    *other = accept(l, NULL, NULL);
    closesocket(l);
}

#include "host_test.h"
#include "catalog_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static WCHAR catalog_path[MAX_PATH];

int host_test_start(void **state)
{
    (void)state;
    WCHAR dir[MAX_PATH];
    if (GetTempPathW(MAX_PATH, dir) == 0)
        return 1;
    _snwprintf(catalog_path, MAX_PATH, L"%lswsphost-test-%lu.catalog", dir, (unsigned long)GetCurrentProcessId());
    catalog_files_delete(catalog_path);
    SetEnvironmentVariableW(L"WSPHOST_CATALOG", catalog_path);
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) != 0;
}

int host_test_stop(void **state)
{
    (void)state;
    int r = WSACleanup();
    catalog_files_delete(catalog_path);
    return r != 0;
}

void host_test_beside_exe(WCHAR *path, const WCHAR *name)
{
    GetModuleFileNameW(NULL, path, MAX_PATH);
    WCHAR *slash = wcsrchr(path, L'\\');
    if (slash != NULL)
        wcscpy(slash + 1, name);
}

WSAPROTOCOL_INFOW host_test_install(const WCHAR *name, const WCHAR *path, const GUID *guid)
{
    DWORD len = 0;
    int err = 0;
    WSAPROTOCOL_INFOW info;
    memset(&info, 0, sizeof info);
    WSCEnumProtocols(NULL, NULL, &len, &err);
    WSAPROTOCOL_INFOW *list = malloc(len);
    if (list == NULL || WSCEnumProtocols(NULL, list, &len, &err) < 1) {
        free(list);
        return info;
    }
    info = list[0]; /* TCP over IPv4 */
    free(list);
    wcscpy(info.szProtocol, name);
    GUID g = *guid;
    if (WSCInstallProvider(&g, path, &info, 1, &err) != 0) {
        memset(&info, 0, sizeof info);
        return info;
    }
    len = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    list = malloc(len);
    int n = list != NULL ? WSCEnumProtocols(NULL, list, &len, &err) : 0;
    memset(&info, 0, sizeof info);
    for (int i = 0; i < n; i++) {
        if (IsEqualGUID(&list[i].ProviderId, guid))
            info = list[i];
    }
    free(list);
    return info;
}

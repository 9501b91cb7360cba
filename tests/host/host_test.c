#include "host_test.h"

#include <stdio.h>
#include <wchar.h>

static WCHAR catalog_path[MAX_PATH];

int host_test_start(void **state)
{
    (void)state;
    WCHAR dir[MAX_PATH];
    if (GetTempPathW(MAX_PATH, dir) == 0)
        return 1;
    _snwprintf(catalog_path, MAX_PATH, L"%lswsphost-test-%lu.catalog", dir, (unsigned long)GetCurrentProcessId());
    DeleteFileW(catalog_path);
    SetEnvironmentVariableW(L"WSPHOST_CATALOG", catalog_path);
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) != 0;
}

int host_test_stop(void **state)
{
    (void)state;
    int r = WSACleanup();
    DeleteFileW(catalog_path);
    return r != 0;
}

void host_test_beside_exe(WCHAR *path, const WCHAR *name)
{
    GetModuleFileNameW(NULL, path, MAX_PATH);
    WCHAR *slash = wcsrchr(path, L'\\');
    if (slash != NULL)
        wcscpy(slash + 1, name);
}

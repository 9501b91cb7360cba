/* ShareLSP's diagnostics (src/lsp/diagnostics.c): off unless asked for; the
 * environment variable SHARELSP_DIAGNOSTICS or the registry value
 * HKLM\SOFTWARE\ShareLSP\Diagnostics names the file a refused info is
 * reported in. Each process reads the setting once, so each case runs in a
 * child of its own. */
#include "spi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static WCHAR env_file[MAX_PATH], registry_file[MAX_PATH];

/* The child: a duplicate info used twice, the second refused. */
static int child_reuse(DWORD parent)
{
    HANDLE pipe;
    if (!spi_child_pipe(parent, &pipe))
        return 20;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    WSAPROTOCOL_INFOW info;
    if (s == INVALID_SOCKET || WSADuplicateSocketW(s, GetCurrentProcessId(), &info) != 0)
        return 21;
    WSAPROTOCOL_INFOW copy = info;
    SOCKET t = spi_use_info(&info);
    if (t == INVALID_SOCKET || spi_use_info(&copy) != INVALID_SOCKET || WSAGetLastError() != WSAEINVAL)
        return 22;
    closesocket(t);
    closesocket(s);
    CloseHandle(pipe);
    return WSACleanup() == 0 ? 0 : 23;
}

/* What the file holds (empty when there is none). */
static void file_text(const WCHAR *path, char *text, size_t capacity)
{
    text[0] = '\0';
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return;
    DWORD got = 0;
    ReadFile(f, text, (DWORD)capacity - 1, &got, NULL);
    CloseHandle(f);
    text[got] = '\0';
}

static DWORD run_child(void)
{
    PROCESS_INFORMATION pi;
    HANDLE pipe;
    spi_child_spawn("reuse-child", 0, &pi, &pipe);
    DWORD child = pi.dwProcessId;
    assert_int_equal(spi_child_wait(&pi, pipe), 0);
    return child;
}

static void set_registry(const WCHAR *value)
{
    HKEY key;
    assert_int_equal(RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ShareLSP", 0, NULL, 0, KEY_ALL_ACCESS, NULL,
                                     &key, NULL), ERROR_SUCCESS);
    if (value != NULL)
        assert_int_equal(RegSetValueExW(key, L"Diagnostics", 0, REG_SZ, (const BYTE *)value,
                                        (DWORD)((wcslen(value) + 1) * sizeof(WCHAR))), ERROR_SUCCESS);
    else
        RegDeleteValueW(key, L"Diagnostics");
    RegCloseKey(key);
}

static void refused_info_is_reported_only_when_asked(void **state)
{
    (void)state;
    char text[4096], expected[128];
    /* Off: nothing anywhere. */
    set_registry(NULL);
    SetEnvironmentVariableW(L"SHARELSP_DIAGNOSTICS", NULL);
    run_child();
    file_text(env_file, text, sizeof text);
    assert_string_equal(text, "");
    file_text(registry_file, text, sizeof text);
    assert_string_equal(text, "");
    /* The environment variable. */
    SetEnvironmentVariableW(L"SHARELSP_DIAGNOSTICS", env_file);
    DWORD child = run_child();
    SetEnvironmentVariableW(L"SHARELSP_DIAGNOSTICS", NULL);
    file_text(env_file, text, sizeof text);
    snprintf(expected, sizeof expected, "sharelsp[%lu]: duplicate info refused: no duplication ",
             (unsigned long)child);
    assert_non_null(strstr(text, expected));
    /* The registry value, with no variable. */
    set_registry(registry_file);
    child = run_child();
    set_registry(NULL);
    file_text(registry_file, text, sizeof text);
    snprintf(expected, sizeof expected, "sharelsp[%lu]: duplicate info refused: no duplication ",
             (unsigned long)child);
    assert_non_null(strstr(text, expected));
}

static int start(void **state)
{
    (void)state;
    WCHAR dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(env_file, MAX_PATH, L"%lsdiag-env-%lu.log", dir, (unsigned long)GetCurrentProcessId());
    _snwprintf(registry_file, MAX_PATH, L"%lsdiag-reg-%lu.log", dir, (unsigned long)GetCurrentProcessId());
    DeleteFileW(env_file);
    DeleteFileW(registry_file);
    return spi_start(state);
}

static int stop(void **state)
{
    /* A test that failed before it cleared the value must not leave every
     * later program of the prefix logging. */
    RegDeleteKeyValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ShareLSP", L"Diagnostics");
    DeleteFileW(env_file);
    DeleteFileW(registry_file);
    return spi_stop(state);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "reuse-child") == 0)
        return child_reuse((DWORD)strtoul(argv[2], NULL, 10));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refused_info_is_reported_only_when_asked),
    };
    return cmocka_run_group_tests(tests, start, stop);
}

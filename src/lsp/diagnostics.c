/* Diagnostics: off unless asked for, without rebuilding. The environment
 * variable SHARELSP_DIAGNOSTICS, else the registry value Diagnostics
 * (REG_SZ) under HKEY_LOCAL_MACHINE\SOFTWARE\ShareLSP, says where lines go:
 * "debug" to OutputDebugString, any other text names a file that each line
 * is appended to (one WriteFile on a handle opened for appending, so lines
 * of many processes never mix). Read once per process, at the first line. */
#include "lsp.h"

#include <stdarg.h>
#include <stdio.h>

enum { DIAG_UNREAD = 0, DIAG_OFF, DIAG_DEBUGGER, DIAG_FILE };

static INIT_ONCE diag_once = INIT_ONCE_STATIC_INIT;
static int diag_mode = DIAG_UNREAD;
static WCHAR diag_path[MAX_PATH];

static BOOL CALLBACK diag_read(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once;
    (void)parameter;
    (void)context;
    DWORD n = GetEnvironmentVariableW(L"SHARELSP_DIAGNOSTICS", diag_path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH) {
        DWORD size = sizeof diag_path;
        if (RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ShareLSP", L"Diagnostics", RRF_RT_REG_SZ, NULL, diag_path,
                         &size) != ERROR_SUCCESS)
            diag_path[0] = L'\0';
    }
    diag_mode = diag_path[0] == L'\0' ? DIAG_OFF : lstrcmpiW(diag_path, L"debug") == 0 ? DIAG_DEBUGGER : DIAG_FILE;
    return TRUE;
}

void sharelsp_diagnostic(const char *format, ...)
{
    InitOnceExecuteOnce(&diag_once, diag_read, NULL, NULL);
    if (diag_mode == DIAG_OFF)
        return;
    char line[512];
    int n = snprintf(line, sizeof line, "sharelsp[%lu]: ", (unsigned long)GetCurrentProcessId());
    va_list args;
    va_start(args, format);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, format, args);
    va_end(args);
    n += m < 0 ? 0 : m > (int)sizeof line - n - 2 ? (int)sizeof line - n - 2 : m;
    line[n++] = '\n';
    line[n] = '\0';
    if (diag_mode == DIAG_DEBUGGER) {
        OutputDebugStringA(line);
        return;
    }
    HANDLE f = CreateFileW(diag_path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_ALWAYS, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return;
    DWORD written = 0;
    WriteFile(f, line, (DWORD)n, &written, NULL);
    CloseHandle(f);
}

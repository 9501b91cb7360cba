/* The log: the registry value Log (REG_SZ) under
 * HKEY_LOCAL_MACHINE\SOFTWARE\ShareLSP\monitor, else the DLL's own name with
 * .log for .dll, beside it. Each line is one WriteFile on a handle opened
 * with FILE_APPEND_DATA alone: the system puts every such write at the end
 * of the file whole, so lines of many processes follow one another and
 * never mix. */
#include "log.h"

#include <sharelsp/layer.h> /* winsock2.h first, then windows.h */
#include <windows.h>

#include <string.h>

static void log_path(WCHAR *path)
{
    DWORD size = MAX_PATH * sizeof(WCHAR);
    if (RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ShareLSP\\monitor", L"Log", RRF_RT_REG_SZ, NULL, path,
                     &size) == ERROR_SUCCESS && path[0] != L'\0')
        return;
    DWORD n = GetModuleFileNameW(sharelsp_layer_module(), path, MAX_PATH);
    WCHAR *dot = n > 0 && n < MAX_PATH ? wcsrchr(path, L'.') : NULL;
    if (dot != NULL && (size_t)(dot - path) + 5 < MAX_PATH)
        wcscpy(dot, L".log");
    else
        path[0] = L'\0';
}

void monitor_log_append(const char *line)
{
    WCHAR path[MAX_PATH];
    log_path(path);
    HANDLE f = path[0] != L'\0' ? CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                              OPEN_ALWAYS, 0, NULL)
                                : INVALID_HANDLE_VALUE;
    if (f == INVALID_HANDLE_VALUE) {
        sharelsp_diagnostic("monitor: %ls: cannot be opened (error %lu); a line is lost", path, GetLastError());
        return;
    }
    DWORD written = 0;
    if (!WriteFile(f, line, (DWORD)strlen(line), &written, NULL))
        sharelsp_diagnostic("monitor: %ls: cannot be written (error %lu); a line is lost", path, GetLastError());
    CloseHandle(f);
}

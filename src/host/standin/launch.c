/* wsphost-launch.exe PROGRAM [ARGS...]: runs PROGRAM (a Windows program,
 * unchanged) with the stand-ins of bin/standin first on its DLL path, waits
 * for it and exits with its exit code. wsphost-run starts it under Wine
 * with ws2_32 and mswsock set to load native first. */
#include <stdio.h>
#include <wchar.h>

#include "dllpath.h"

/* The command line after this program's own name, as it was written. */
static WCHAR *launch_rest(WCHAR *line)
{
    WCHAR *p = line;
    if (*p == L'"') {
        p++;
        while (*p != L'\0' && *p != L'"')
            p++;
        if (*p == L'"')
            p++;
    } else {
        while (*p != L'\0' && *p != L' ' && *p != L'\t')
            p++;
    }
    while (*p == L' ' || *p == L'\t')
        p++;
    return p;
}

static bool launch_standin_dir(WCHAR *dir, size_t capacity)
{
    DWORD n = GetModuleFileNameW(NULL, dir, (DWORD)capacity);
    WCHAR *slash = n > 0 && n < capacity ? wcsrchr(dir, L'\\') : NULL;
    if (slash == NULL || (size_t)(slash - dir) + 9 >= capacity)
        return false;
    wcscpy(slash, L"\\standin");
    return true;
}

int main(void);
int main(void)
{
    WCHAR *command = launch_rest(GetCommandLineW());
    WCHAR standin[MAX_PATH];
    if (*command == L'\0') {
        fputs("usage: wsphost-launch.exe PROGRAM [ARGS...]\n", stderr);
        return 2;
    }
    if (!launch_standin_dir(standin, MAX_PATH)) {
        fputs("wsphost-launch: cannot find its own folder\n", stderr);
        return 2;
    }
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(NULL, command, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi)) {
        fprintf(stderr, "wsphost-launch: cannot start %ls (error %lu)\n", command, GetLastError());
        return 2;
    }
    if (!standin_give_dll_path(pi.hProcess, standin)) {
        fprintf(stderr,
                "wsphost-launch: cannot give %ls the stand-ins' DLL path (a "
                "program of another "
                "architecture?)\n",
                command);
        TerminateProcess(pi.hProcess, 2);
        return 2;
    }
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 2;
    GetExitCodeProcess(pi.hProcess, &code);
    return (int)code;
}

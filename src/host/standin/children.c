/* A program run through the stand-ins passes them on to the processes it
 * starts: a child imports ws2_32 too (a socket duplicated into it names a
 * catalog entry only the stand-in knows), but the DLL path wsphost-launch
 * gave the program is not inherited. So the program's CreateProcessA/W
 * imports are bound (imports.c) to these, which start the child suspended,
 * give it the same DLL path, and let it run unless the caller asked for it
 * suspended. The environment (WINEDLLOVERRIDES, WSPHOST_CATALOG) is
 * inherited as usual. A child of another architecture is started as it is. */
#include "../host.h"
#include "dllpath.h"

#include <string.h>
#include <wchar.h>

/* The stand-ins' folder: this DLL's own. */
static bool children_standin_dir(WCHAR *dir, size_t capacity)
{
    HMODULE self = NULL;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)children_standin_dir, &self))
        return false;
    DWORD n = GetModuleFileNameW(self, dir, (DWORD)capacity);
    WCHAR *slash = n > 0 && n < capacity ? wcsrchr(dir, L'\\') : NULL;
    if (slash == NULL)
        return false;
    *slash = L'\0';
    return true;
}

static void children_started(const PROCESS_INFORMATION *pi, DWORD flags)
{
    WCHAR dir[MAX_PATH];
    DWORD error = GetLastError();
    if (children_standin_dir(dir, MAX_PATH))
        standin_give_dll_path(pi->hProcess, dir);
    if ((flags & CREATE_SUSPENDED) == 0)
        ResumeThread(pi->hThread);
    SetLastError(error);
}

static BOOL WINAPI children_create_process_w(LPCWSTR application, LPWSTR command, LPSECURITY_ATTRIBUTES process,
                                             LPSECURITY_ATTRIBUTES thread, BOOL inherit, DWORD flags,
                                             LPVOID environment, LPCWSTR directory, LPSTARTUPINFOW startup,
                                             LPPROCESS_INFORMATION info)
{
    if (!CreateProcessW(application, command, process, thread, inherit, flags | CREATE_SUSPENDED, environment,
                        directory, startup, info))
        return FALSE;
    children_started(info, flags);
    return TRUE;
}

static BOOL WINAPI children_create_process_a(LPCSTR application, LPSTR command, LPSECURITY_ATTRIBUTES process,
                                             LPSECURITY_ATTRIBUTES thread, BOOL inherit, DWORD flags,
                                             LPVOID environment, LPCSTR directory, LPSTARTUPINFOA startup,
                                             LPPROCESS_INFORMATION info)
{
    if (!CreateProcessA(application, command, process, thread, inherit, flags | CREATE_SUSPENDED, environment,
                        directory, startup, info))
        return FALSE;
    children_started(info, flags);
    return TRUE;
}

FARPROC host_platform_program_import(const char *name)
{
    if (strcmp(name, "CreateProcessW") == 0)
        return (FARPROC)(void (*)(void))children_create_process_w;
    if (strcmp(name, "CreateProcessA") == 0)
        return (FARPROC)(void (*)(void))children_create_process_a;
    return NULL;
}

/* A program run through the stand-ins must find them before the system
 * folder, without a file copied beside it and without a change to the
 * prefix that other programs would see. Wine 8.0 searches a DLL by base
 * name in the program's folder, then the system folder (where the builtin's
 * file is, and found there it is loaded), then the current folder and PATH;
 * WINEDLLPATH only adds folders after Wine's own for builtins. What comes
 * first is the process parameters' DllPath: Wine's loader takes it, when it
 * is set, as the process's search path for everything the program imports
 * (ntdll's build_main_module), as Windows does. CreateProcess leaves it
 * empty; this sets it in a process created suspended, before its loader
 * runs. */
#include "dllpath.h"

#include <stddef.h>
#include <stdlib.h>
#include <wchar.h>
#include <winternl.h>

/* RTL_USER_PROCESS_PARAMETERS up to the fields used (winternl.h hides them). */
typedef struct dllpath_params {
    ULONG maximum_length;
    ULONG length;
    ULONG flags;
    ULONG debug_flags;
    HANDLE console_handle;
    ULONG console_flags;
    HANDLE std_input, std_output, std_error;
    UNICODE_STRING current_directory;
    HANDLE current_directory_handle;
    UNICODE_STRING dll_path;
    UNICODE_STRING image_path_name;
} dllpath_params;

enum { DLLPATH_NORMALIZED = 1 }; /* PROCESS_PARAMS_FLAG_NORMALIZED: pointers, not offsets */

static bool dllpath_same_architecture(HANDLE process)
{
    BOOL theirs = FALSE, ours = FALSE;
    return IsWow64Process(process, &theirs) && IsWow64Process(GetCurrentProcess(), &ours) && theirs == ours;
}

/* The program's folder, from its parameters (its image path). */
static WCHAR *dllpath_program_folder(HANDLE process, const BYTE *remote, const dllpath_params *p)
{
    const BYTE *buffer = (const BYTE *)p->image_path_name.Buffer;
    if ((p->flags & DLLPATH_NORMALIZED) == 0)
        buffer = remote + (ULONG_PTR)buffer;
    size_t chars = p->image_path_name.Length / sizeof(WCHAR);
    WCHAR *path = calloc(chars + 1, sizeof(WCHAR));
    SIZE_T got = 0;
    if (path == NULL || !ReadProcessMemory(process, buffer, path, chars * sizeof(WCHAR), &got) ||
        got != chars * sizeof(WCHAR)) {
        free(path);
        return NULL;
    }
    WCHAR *slash = wcsrchr(path, L'\\');
    if (slash != NULL)
        *slash = L'\0';
    return path;
}

static WCHAR *dllpath_build(const WCHAR *program_folder, const WCHAR *standin_dir)
{
    WCHAR system[MAX_PATH], windows[MAX_PATH];
    UINT s = GetSystemDirectoryW(system, MAX_PATH), w = GetWindowsDirectoryW(windows, MAX_PATH);
    if (s == 0 || s >= MAX_PATH || w == 0 || w >= MAX_PATH)
        return NULL;
    DWORD path_chars = GetEnvironmentVariableW(L"PATH", NULL, 0);
    size_t chars = wcslen(program_folder) + wcslen(standin_dir) + s + 2 * w + path_chars + 32;
    WCHAR *out = calloc(chars, sizeof(WCHAR));
    if (out == NULL)
        return NULL;
    /* Wine's order (safe search mode, its default) with the stand-ins after
     * the program's folder, where SetDllDirectory would put a folder. */
    _snwprintf(out, chars, L"%ls;%ls;%ls;%ls\\system;%ls;.;", program_folder, standin_dir, system, windows, windows);
    size_t used = wcslen(out);
    if (path_chars > 0 && GetEnvironmentVariableW(L"PATH", out + used, (DWORD)(chars - used)) == 0)
        out[used] = L'\0';
    return out;
}

bool standin_give_dll_path(HANDLE process, const WCHAR *standin_dir)
{
    if (!dllpath_same_architecture(process))
        return false;
    PROCESS_BASIC_INFORMATION basic;
    ULONG got_basic = 0;
    if (NtQueryInformationProcess(process, ProcessBasicInformation, &basic, sizeof basic, &got_basic) != 0)
        return false;
    BYTE *remote = NULL;
    dllpath_params params;
    SIZE_T got = 0;
    if (!ReadProcessMemory(process, (BYTE *)basic.PebBaseAddress + offsetof(PEB, ProcessParameters), &remote,
                           sizeof remote, &got) ||
        got != sizeof remote || remote == NULL || !ReadProcessMemory(process, remote, &params, sizeof params, &got) ||
        got != sizeof params)
        return false;

    WCHAR *folder = dllpath_program_folder(process, remote, &params);
    WCHAR *path = folder != NULL ? dllpath_build(folder, standin_dir) : NULL;
    free(folder);
    if (path == NULL)
        return false;
    size_t bytes = (wcslen(path) + 1) * sizeof(WCHAR);
    bool done = false;
    BYTE *copy =
        bytes <= 0xfffe ? VirtualAllocEx(process, NULL, bytes, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE) : NULL;
    if (copy != NULL && WriteProcessMemory(process, copy, path, bytes, &got) && got == bytes) {
        UNICODE_STRING dll_path;
        dll_path.Length = (USHORT)(bytes - sizeof(WCHAR));
        dll_path.MaximumLength = (USHORT)bytes;
        /* The loader reads it as a NUL-terminated string. */
        dll_path.Buffer = (PWSTR)((params.flags & DLLPATH_NORMALIZED) ? copy : (BYTE *)(copy - remote));
        done = WriteProcessMemory(process, remote + offsetof(dllpath_params, dll_path), &dll_path, sizeof dll_path,
                                  &got) &&
               got == sizeof dll_path;
    }
    if (!done && copy != NULL)
        VirtualFreeEx(process, copy, 0, MEM_RELEASE);
    free(path);
    return done;
}

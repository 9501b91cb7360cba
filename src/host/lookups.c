/* Run-time look-ups of ws2_32's names. A program linked to the host finds
 * the host's functions through its imports, but one that asks at run time —
 * GetProcAddress(GetModuleHandle("ws2_32.dll") or LoadLibrary("ws2_32.dll"),
 * "WSAPoll"), as Wine's own tests and Microsoft's LSP installer do — would
 * get Wine's function, which knows none of the providers' sockets. So the
 * GetProcAddress imports of the program and of every module it loads are
 * bound to host_program_get_proc_address, which answers a look-up in ws2_32
 * with the host's export wherever the host exports that name (by ordinal
 * too: the ordinal is ws2_32's, so its name decides).
 *
 * Modules are bound when the host is loaded (the program and what is loaded
 * with it) and, through the loader's DLL notification, as each later module
 * loads, however it is loaded (LoadLibrary, a dependency, COM). The
 * platform's own DLLs (in the Windows folder) are left alone: they work on
 * the platform's sockets. The host stays loaded from then on, since the
 * bound modules call into it. */
#include "host.h"

#include <psapi.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static HMODULE lookups_self(void)
{
    HMODULE self = NULL;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCWSTR)(void *)lookups_self, &self);
    return self;
}

FARPROC host_export_for(const char *name)
{
    /* wsphost_* names are the host's own, for its tests: not ws2_32's. */
    if (strncmp(name, "wsphost_", 8) == 0)
        return NULL;
    HMODULE self = lookups_self();
    return self != NULL ? GetProcAddress(self, name) : NULL;
}

const char *host_ws2_32_name_of_ordinal(WORD ordinal)
{
    HMODULE ws2_32 = GetModuleHandleW(L"ws2_32.dll");
    if (ws2_32 == NULL)
        return NULL;
    const BYTE *base = (const BYTE *)ws2_32;
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
    const IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    if (dir->VirtualAddress == 0)
        return NULL;
    const IMAGE_EXPORT_DIRECTORY *exports = (const IMAGE_EXPORT_DIRECTORY *)(base + dir->VirtualAddress);
    if (ordinal < exports->Base || ordinal - exports->Base >= exports->NumberOfFunctions)
        return NULL;
    const DWORD *names = (const DWORD *)(base + exports->AddressOfNames);
    const WORD *indexes = (const WORD *)(base + exports->AddressOfNameOrdinals);
    for (DWORD i = 0; i < exports->NumberOfNames; i++) {
        if (indexes[i] == ordinal - exports->Base)
            return (const char *)(base + names[i]);
    }
    return NULL;
}

/* The host's answer to a look-up in module, or NULL to let the platform's
 * GetProcAddress answer. */
static FARPROC lookups_answer(HMODULE module, LPCSTR name, FARPROC (*export_for)(const char *))
{
    /* Every handle of the loaded ws2_32 is its base address, however it was
     * had; a data-file mapping's is not, and exports no code anyway. */
    if (module == NULL || module != GetModuleHandleW(L"ws2_32.dll"))
        return NULL;
    const char *by_name = IS_INTRESOURCE(name) ? host_ws2_32_name_of_ordinal(LOWORD((ULONG_PTR)name)) : name;
    return by_name != NULL ? export_for(by_name) : NULL;
}

FARPROC WINAPI host_program_get_proc_address(HMODULE module, LPCSTR name)
{
    FARPROC ours = lookups_answer(module, name, host_export_for);
    return ours != NULL ? ours : GetProcAddress(module, name);
}

FARPROC WINAPI host_provider_get_proc_address(HMODULE module, LPCSTR name)
{
    FARPROC ours = lookups_answer(module, name, host_provider_export_for);
    /* Any other name of ws2_32 is the platform's: under the stand-in, which
     * is ws2_32, Wine's builtin (a provider asking for "send" must not get
     * the stand-in's, which would call the provider again). */
    if (ours == NULL && module != NULL && module == GetModuleHandleW(L"ws2_32.dll"))
        ours = host_platform_export(name);
    return ours != NULL ? ours : GetProcAddress(module, name);
}

/* A module of the program: not the host, not one of the platform's. */
static bool lookups_is_program_module(HMODULE module)
{
    if (module == lookups_self())
        return false;
    WCHAR path[MAX_PATH], windows[MAX_PATH];
    DWORD n = GetModuleFileNameW(module, path, MAX_PATH);
    UINT w = GetWindowsDirectoryW(windows, MAX_PATH);
    if (n == 0 || n >= MAX_PATH || w == 0 || w >= MAX_PATH)
        return false;
    return !(_wcsnicmp(path, windows, w) == 0 && path[w] == L'\\');
}

static void lookups_bind(HMODULE module)
{
    if (lookups_is_program_module(module))
        host_bind_program_imports(module);
}

/* ntdll's LDR_DLL_NOTIFICATION_DATA (its Loaded and Unloaded members share
 * this layout). */
typedef struct lookups_dll_notification {
    ULONG flags;
    const void *full_name;
    const void *base_name;
    void *base;
    ULONG size;
} lookups_dll_notification;

enum { LOOKUPS_DLL_LOADED = 1 };

typedef VOID(CALLBACK *lookups_notify_fn)(ULONG reason, const lookups_dll_notification *data, void *context);
typedef LONG(NTAPI *lookups_register_fn)(ULONG flags, lookups_notify_fn notify, void *context, void **cookie);

static VOID CALLBACK lookups_module_loaded(ULONG reason, const lookups_dll_notification *data, void *context)
{
    (void)context;
    /* A provider's modules are bound as providers once loaded. */
    if (reason == LOOKUPS_DLL_LOADED && !host_provider_load_running())
        lookups_bind((HMODULE)data->base);
}

static void lookups_bind_loaded(void)
{
    DWORD needed = 0;
    if (!K32EnumProcessModules(GetCurrentProcess(), NULL, 0, &needed) || needed == 0)
        return;
    HMODULE *modules = malloc(needed);
    if (modules != NULL && K32EnumProcessModules(GetCurrentProcess(), modules, needed, &needed)) {
        for (DWORD i = 0; i < needed / sizeof *modules; i++)
            lookups_bind(modules[i]);
    }
    free(modules);
}

/* Run with the host's DLL_PROCESS_ATTACH, before the program's code: the
 * program's imports are resolved by then, so its GetProcAddress can be
 * bound. */
__attribute__((constructor)) static void lookups_watch_program(void)
{
    HMODULE pinned = NULL;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                            (LPCWSTR)(void *)lookups_watch_program, &pinned))
        return; /* the host could be unloaded: bind nothing that would call into it */
    /* Watch first, then bind what is loaded already: a module loaded in
     * between is bound twice, which changes nothing. */
    lookups_register_fn watch = (lookups_register_fn)(void (*)(void))GetProcAddress(
        GetModuleHandleW(L"ntdll.dll"), "LdrRegisterDllNotification");
    void *cookie = NULL;
    if (watch != NULL)
        watch(0, lookups_module_loaded, NULL, &cookie);
    lookups_bind_loaded();
}

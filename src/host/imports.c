/* Rewriting modules' import address tables so they find the host where they
 * expect ws2_32.
 *
 * A provider built for Windows imports a few functions straight from ws2_32
 * rather than through the upcall table: WPUCompleteOverlappedRequest above
 * all, and WSCEnumProtocols / WSCGetProviderPath in installers and LSPs.
 * Under Wine those resolve to Wine's stubs. So, once a provider is loaded,
 * its import address table entries for ws2_32's names that the host
 * implements for providers are pointed at the host's own exports. Socket
 * functions (send, recv, ...) are left alone: a base provider calls the
 * platform's. Its GetProcAddress answers the same names the same way.
 *
 * Under the stand-in ws2_32.dll a provider's other ws2_32 imports would be
 * the stand-in itself: they are bound to Wine's builtin (host_platform_
 * export), by name or by ordinal, so wspbase works on Wine's sockets.
 *
 * An LSP loads the provider below it itself. So a provider's LoadLibrary*
 * imports from kernel32 are bound too, to wrappers that bind each module
 * they load in the same way: a whole stack of providers finds the host.
 *
 * The program and the other modules it loads get only their GetProcAddress
 * bound (lookups.c): their ws2_32 imports are the host's already, since they
 * link it first. */
#include "host.h"

#include <string.h>

/* Modules being loaded on this thread for a provider: lookups.c leaves them
 * alone, since they are bound as providers once loaded. */
static __thread LONG provider_loads;

bool host_provider_load_running(void) { return provider_loads > 0; }

FARPROC host_provider_export_for(const char *name)
{
    static const char *const provider_facing[] = {
        "WPUCompleteOverlappedRequest", "WSCEnumProtocols", "WSCEnumProtocols32", "WSCGetProviderPath",
        "WSCGetProviderPath32", "WSCInstallProvider", "WSCInstallProvider64_32", "WSCInstallProviderAndChains",
        "WSCInstallProviderAndChains64_32", "WSCDeinstallProvider", "WSCDeinstallProvider32",
        "WSCWriteProviderOrder", "WSCWriteProviderOrder32", "WSCUpdateProvider", "WSCUpdateProvider32",
        "WSCSetProviderInfo", "WSCSetProviderInfo32", "WSCGetProviderInfo", "WSCGetProviderInfo32"};
    for (size_t i = 0; i < sizeof provider_facing / sizeof provider_facing[0]; i++) {
        if (strcmp(name, provider_facing[i]) == 0)
            return host_export_for(name);
    }
    return NULL;
}

HMODULE WINAPI host_provider_load_library_w(LPCWSTR name)
{
    provider_loads++;
    HMODULE m = LoadLibraryW(name);
    provider_loads--;
    if (m != NULL)
        host_bind_provider_imports(m);
    return m;
}

static HMODULE WINAPI host_load_library_a(LPCSTR name)
{
    provider_loads++;
    HMODULE m = LoadLibraryA(name);
    provider_loads--;
    if (m != NULL)
        host_bind_provider_imports(m);
    return m;
}

static HMODULE WINAPI host_load_library_ex_w(LPCWSTR name, HANDLE file, DWORD flags)
{
    provider_loads++;
    HMODULE m = LoadLibraryExW(name, file, flags);
    provider_loads--;
    if (m != NULL && (flags & (LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE)) == 0)
        host_bind_provider_imports(m);
    return m;
}

static HMODULE WINAPI host_load_library_ex_a(LPCSTR name, HANDLE file, DWORD flags)
{
    provider_loads++;
    HMODULE m = LoadLibraryExA(name, file, flags);
    provider_loads--;
    if (m != NULL && (flags & (LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE)) == 0)
        host_bind_provider_imports(m);
    return m;
}

static FARPROC provider_loader_for(const char *name)
{
    if (strcmp(name, "LoadLibraryW") == 0)
        return (FARPROC)(void (*)(void))host_provider_load_library_w;
    if (strcmp(name, "LoadLibraryA") == 0)
        return (FARPROC)(void (*)(void))host_load_library_a;
    if (strcmp(name, "LoadLibraryExW") == 0)
        return (FARPROC)(void (*)(void))host_load_library_ex_w;
    if (strcmp(name, "LoadLibraryExA") == 0)
        return (FARPROC)(void (*)(void))host_load_library_ex_a;
    if (strcmp(name, "GetProcAddress") == 0)
        return (FARPROC)(void (*)(void))host_provider_get_proc_address;
    return NULL;
}

static FARPROC program_loader_for(const char *name)
{
    if (strcmp(name, "GetProcAddress") == 0)
        return (FARPROC)(void (*)(void))host_program_get_proc_address;
    return host_platform_program_import(name);
}

/* A provider's ws2_32 import, by name or ordinal (the ordinal is ws2_32's,
 * so its name decides): the host's for the provider-facing names, else the
 * platform's where the loader does not bind it there already. */
static FARPROC provider_ws2_32_for(LPCSTR import)
{
    const char *name = IS_INTRESOURCE(import) ? host_ws2_32_name_of_ordinal(LOWORD((ULONG_PTR)import)) : import;
    FARPROC ours = name != NULL ? host_provider_export_for(name) : NULL;
    return ours != NULL ? ours : host_platform_export(import);
}

static void rebind_thunks(BYTE *base, const IMAGE_IMPORT_DESCRIPTOR *imports, FARPROC (*replacement)(const char *),
                          FARPROC (*by_ordinal)(LPCSTR))
{
    const IMAGE_THUNK_DATA *names =
        (const IMAGE_THUNK_DATA *)(base + (imports->OriginalFirstThunk ? imports->OriginalFirstThunk
                                                                       : imports->FirstThunk));
    IMAGE_THUNK_DATA *addresses = (IMAGE_THUNK_DATA *)(base + imports->FirstThunk);
    for (; names->u1.AddressOfData != 0; names++, addresses++) {
        FARPROC ours = NULL;
        if (IMAGE_SNAP_BY_ORDINAL(names->u1.Ordinal)) {
            if (by_ordinal != NULL)
                ours = by_ordinal(MAKEINTRESOURCEA(IMAGE_ORDINAL(names->u1.Ordinal)));
        } else {
            const IMAGE_IMPORT_BY_NAME *by_name = (const IMAGE_IMPORT_BY_NAME *)(base + names->u1.AddressOfData);
            ours = replacement((const char *)by_name->Name);
        }
        if (ours == NULL)
            continue;
        DWORD old = 0;
        if (VirtualProtect(&addresses->u1.Function, sizeof addresses->u1.Function, PAGE_READWRITE, &old)) {
            addresses->u1.Function = (ULONG_PTR)ours;
            VirtualProtect(&addresses->u1.Function, sizeof addresses->u1.Function, old, &old);
        }
    }
}

/* Where a module imports the loader's functions from: kernel32, kernelbase
 * (where kernel32's are forwarded), or an API set of the library loader. */
static bool imports_loader(const char *dll)
{
    return _stricmp(dll, "kernel32.dll") == 0 || _stricmp(dll, "kernelbase.dll") == 0 ||
           _strnicmp(dll, "api-ms-win-core-libraryloader-", 30) == 0;
}

static void bind_imports(HMODULE module, FARPROC (*ws2_32_names)(LPCSTR), FARPROC (*loader_names)(const char *))
{
    BYTE *base = (BYTE *)module;
    HMODULE self = NULL;
    /* Never the host itself: its own LoadLibrary and GetProcAddress calls
     * are the real ones. */
    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                           (LPCWSTR)(void *)bind_imports, &self) &&
        self == module)
        return;
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
    if (dos->e_magic != IMAGE_DOS_SIGNATURE)
        return;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
    const IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    if (dir->VirtualAddress == 0)
        return;
    for (const IMAGE_IMPORT_DESCRIPTOR *imp = (const IMAGE_IMPORT_DESCRIPTOR *)(base + dir->VirtualAddress);
         imp->Name != 0; imp++) {
        const char *dll = (const char *)(base + imp->Name);
        if (ws2_32_names != NULL && _stricmp(dll, "ws2_32.dll") == 0)
            rebind_thunks(base, imp, ws2_32_names, ws2_32_names);
        else if (imports_loader(dll))
            rebind_thunks(base, imp, loader_names, NULL);
    }
}

void host_bind_provider_imports(HMODULE provider)
{
    bind_imports(provider, provider_ws2_32_for, provider_loader_for);
}

void host_bind_program_imports(HMODULE module) { bind_imports(module, NULL, program_loader_for); }

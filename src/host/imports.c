/* A provider built for Windows imports a few functions straight from ws2_32
 * rather than through the upcall table: WPUCompleteOverlappedRequest above
 * all, and WSCEnumProtocols / WSCGetProviderPath in installers and LSPs.
 * Under Wine those resolve to Wine's stubs. So, once a provider is loaded,
 * its import address table entries for ws2_32's names that the host
 * implements for providers are pointed at the host's own exports. Socket
 * functions (send, recv, ...) are left alone: a base provider calls the
 * platform's.
 *
 * An LSP loads the provider below it itself. So a provider's LoadLibrary*
 * imports from kernel32 are bound too, to wrappers that bind each module
 * they load in the same way: a whole stack of providers finds the host. */
#include "host.h"

#include <string.h>

/* The host's exports a provider may import from ws2_32. */
static FARPROC host_export_for(const char *name)
{
    static const char *const provider_facing[] = {
        "WPUCompleteOverlappedRequest", "WSCEnumProtocols", "WSCEnumProtocols32", "WSCGetProviderPath",
        "WSCGetProviderPath32", "WSCInstallProvider", "WSCInstallProvider64_32", "WSCInstallProviderAndChains",
        "WSCInstallProviderAndChains64_32", "WSCDeinstallProvider", "WSCDeinstallProvider32",
        "WSCWriteProviderOrder", "WSCWriteProviderOrder32", "WSCUpdateProvider", "WSCUpdateProvider32",
        "WSCSetProviderInfo", "WSCSetProviderInfo32", "WSCGetProviderInfo", "WSCGetProviderInfo32"};
    HMODULE self = NULL;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)host_export_for, &self))
        return NULL;
    for (size_t i = 0; i < sizeof provider_facing / sizeof provider_facing[0]; i++) {
        if (strcmp(name, provider_facing[i]) == 0)
            return GetProcAddress(self, name);
    }
    return NULL;
}

static HMODULE WINAPI host_load_library_w(LPCWSTR name)
{
    HMODULE m = LoadLibraryW(name);
    if (m != NULL)
        host_bind_provider_imports(m);
    return m;
}

static HMODULE WINAPI host_load_library_a(LPCSTR name)
{
    HMODULE m = LoadLibraryA(name);
    if (m != NULL)
        host_bind_provider_imports(m);
    return m;
}

static HMODULE WINAPI host_load_library_ex_w(LPCWSTR name, HANDLE file, DWORD flags)
{
    HMODULE m = LoadLibraryExW(name, file, flags);
    if (m != NULL && (flags & (LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE)) == 0)
        host_bind_provider_imports(m);
    return m;
}

static HMODULE WINAPI host_load_library_ex_a(LPCSTR name, HANDLE file, DWORD flags)
{
    HMODULE m = LoadLibraryExA(name, file, flags);
    if (m != NULL && (flags & (LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE)) == 0)
        host_bind_provider_imports(m);
    return m;
}

static FARPROC host_loader_for(const char *name)
{
    if (strcmp(name, "LoadLibraryW") == 0)
        return (FARPROC)(void (*)(void))host_load_library_w;
    if (strcmp(name, "LoadLibraryA") == 0)
        return (FARPROC)(void (*)(void))host_load_library_a;
    if (strcmp(name, "LoadLibraryExW") == 0)
        return (FARPROC)(void (*)(void))host_load_library_ex_w;
    if (strcmp(name, "LoadLibraryExA") == 0)
        return (FARPROC)(void (*)(void))host_load_library_ex_a;
    return NULL;
}

static void rebind_thunks(BYTE *base, const IMAGE_IMPORT_DESCRIPTOR *imports, FARPROC (*replacement)(const char *))
{
    const IMAGE_THUNK_DATA *names =
        (const IMAGE_THUNK_DATA *)(base + (imports->OriginalFirstThunk ? imports->OriginalFirstThunk
                                                                       : imports->FirstThunk));
    IMAGE_THUNK_DATA *addresses = (IMAGE_THUNK_DATA *)(base + imports->FirstThunk);
    for (; names->u1.AddressOfData != 0; names++, addresses++) {
        if (IMAGE_SNAP_BY_ORDINAL(names->u1.Ordinal))
            continue;
        const IMAGE_IMPORT_BY_NAME *by_name = (const IMAGE_IMPORT_BY_NAME *)(base + names->u1.AddressOfData);
        FARPROC ours = replacement((const char *)by_name->Name);
        if (ours == NULL)
            continue;
        DWORD old = 0;
        if (VirtualProtect(&addresses->u1.Function, sizeof addresses->u1.Function, PAGE_READWRITE, &old)) {
            addresses->u1.Function = (ULONG_PTR)ours;
            VirtualProtect(&addresses->u1.Function, sizeof addresses->u1.Function, old, &old);
        }
    }
}

void host_bind_provider_imports(HMODULE provider)
{
    BYTE *base = (BYTE *)provider;
    HMODULE self = NULL;
    /* Never the host itself: its own LoadLibrary calls are the real ones. */
    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                           (LPCWSTR)(void *)host_bind_provider_imports, &self) &&
        self == provider)
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
        if (_stricmp(dll, "ws2_32.dll") == 0)
            rebind_thunks(base, imp, host_export_for);
        else if (_stricmp(dll, "kernel32.dll") == 0)
            rebind_thunks(base, imp, host_loader_for);
    }
}

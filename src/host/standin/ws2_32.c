/* The stand-in ws2_32.dll's side of the platform: Wine's builtin ws2_32,
 * loaded by full path beside the stand-in, is where the host's own calls to
 * the platform go (platform_WSAStartup / platform_WSACleanup, which wsphost
 * imports from ws2_32 under names of its own: here that import would be the
 * stand-in itself), where every export the host does not implement jumps
 * (ws2_32_forwards.h), and where a provider's ws2_32 imports go
 * (host_platform_export): wspbase and any base provider work on Wine's
 * sockets, never on the stand-in's, so nothing recurses. */
#include "../host.h"
#include "../platform.h"
#include "thunks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STANDIN_FORWARD(name) STANDIN_THUNK(name)
#include "ws2_32_forwards.h"
#undef STANDIN_FORWARD

static const standin_forward ws2_32_forwards[] = {
#define STANDIN_FORWARD(name) {#name, &standin_ptr_##name},
#include "ws2_32_forwards.h"
#undef STANDIN_FORWARD
};

typedef int(WSAAPI *startup_fn)(WORD, LPWSADATA);
typedef int(WSAAPI *cleanup_fn)(void);

static HMODULE builtin;
static startup_fn builtin_startup;
static cleanup_fn builtin_cleanup;
/* Every export of the builtin, by ordinal less its base: found once, when
 * the stand-in loads. */
static FARPROC *builtin_exports;
static DWORD builtin_export_base, builtin_export_count;

static const IMAGE_EXPORT_DIRECTORY *ws2_32_export_directory(HMODULE module)
{
    const BYTE *base = (const BYTE *)module;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + ((const IMAGE_DOS_HEADER *)base)->e_lfanew);
    const IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    return dir->VirtualAddress != 0 ? (const IMAGE_EXPORT_DIRECTORY *)(base + dir->VirtualAddress) : NULL;
}

static void ws2_32_find_exports(void)
{
    const IMAGE_EXPORT_DIRECTORY *exports = ws2_32_export_directory(builtin);
    if (exports == NULL)
        return;
    builtin_exports = calloc(exports->NumberOfFunctions, sizeof *builtin_exports);
    if (builtin_exports == NULL)
        return;
    builtin_export_base = exports->Base;
    builtin_export_count = exports->NumberOfFunctions;
    for (DWORD i = 0; i < builtin_export_count; i++)
        builtin_exports[i] = GetProcAddress(builtin, MAKEINTRESOURCEA(builtin_export_base + i));
}

/* Run with the stand-in's DLL_PROCESS_ATTACH, under the loader lock. */
__attribute__((constructor)) static void ws2_32_bind_builtin(void)
{
    if (!standin_bind_builtin(L"ws2_32.dll", L"ws2_32 (Wine builtin).dll", ws2_32_forwards,
                              sizeof ws2_32_forwards / sizeof ws2_32_forwards[0], &builtin))
        return;
    builtin_startup = (startup_fn)(void (*)(void))GetProcAddress(builtin, "WSAStartup");
    builtin_cleanup = (cleanup_fn)(void (*)(void))GetProcAddress(builtin, "WSACleanup");
    ws2_32_find_exports();
}

int WSAAPI platform_WSAStartup(WORD version, LPWSADATA data)
{
    return builtin_startup != NULL ? builtin_startup(version, data) : WSASYSNOTREADY;
}

int WSAAPI platform_WSACleanup(void)
{
    if (builtin_cleanup != NULL)
        return builtin_cleanup();
    SetLastError(WSANOTINITIALISED);
    return SOCKET_ERROR;
}

FARPROC host_platform_export(LPCSTR name)
{
    if (builtin_exports == NULL)
        return NULL;
    if (IS_INTRESOURCE(name)) {
        WORD ordinal = LOWORD((ULONG_PTR)name);
        return ordinal >= builtin_export_base && ordinal - builtin_export_base < builtin_export_count
                   ? builtin_exports[ordinal - builtin_export_base]
                   : NULL;
    }
    /* By name: the builtin's own table in memory, not its GetProcAddress. */
    const BYTE *base = (const BYTE *)builtin;
    const IMAGE_EXPORT_DIRECTORY *exports = ws2_32_export_directory(builtin);
    const DWORD *names = (const DWORD *)(base + exports->AddressOfNames);
    const WORD *indexes = (const WORD *)(base + exports->AddressOfNameOrdinals);
    for (DWORD i = 0; i < exports->NumberOfNames; i++) {
        if (strcmp((const char *)(base + names[i]), name) == 0)
            return indexes[i] < builtin_export_count ? builtin_exports[indexes[i]] : NULL;
    }
    return NULL;
}

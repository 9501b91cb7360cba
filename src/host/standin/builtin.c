/* Loading Wine's builtin DLL beside a stand-in of the same name.
 *
 * A program run by wsphost-run binds to the stand-in, found first on its
 * DLL path. Loaded by its full path in the system folder, the builtin
 * becomes a second module of the same base name at another address, with
 * its unix side as usual (issue 17 tried it on Wine 8.0).
 *
 * Two modules of one base name confuse Wine's loader, though: a look-up by
 * base name ("ws2_32.dll": a program's LoadLibrary or GetModuleHandle,
 * another DLL's import or forwarder) answers with the module the loader
 * last touched if it has that name (a one-entry cache in ntdll's
 * find_basename_module), else the first loaded. So after anything touches
 * the builtin (a GetProcAddress on it, a GetModuleHandle of its full path)
 * the next such look-up would find the builtin, and the program would
 * bypass the catalog. The builtin's loader entry is therefore renamed
 * (its BaseDllName, not its file or full name): a look-up by base name
 * only ever finds the stand-in, and a program listing its modules sees one
 * ws2_32.dll. A look-up by full path still finds the builtin. */
#include <stdbool.h>
#include <stdio.h>
#include <wchar.h>
#include <winternl.h>

#include "thunks.h"

/* The head of a loader entry (LDR_DATA_TABLE_ENTRY), as Windows and Wine
 * lay it out; winternl.h hides its names. */
typedef struct builtin_ldr_entry {
    LIST_ENTRY in_load_order;
    LIST_ENTRY in_memory_order;
    LIST_ENTRY in_initialization_order;
    void *base;
    void *entry_point;
    ULONG size;
    UNICODE_STRING full_name;
    UNICODE_STRING base_name;
} builtin_ldr_entry;

/* ntdll's own look-up of a module's loader entry. */
NTSTATUS NTAPI LdrFindEntryForAddress(const void *address, builtin_ldr_entry **entry);

/* With the loader lock held (the stand-in's DLL_PROCESS_ATTACH). The name
 * is static: it outlives the entry, which the stand-in never unloads. */
static bool builtin_rename(HMODULE module, const WCHAR *name)
{
    builtin_ldr_entry *entry = NULL;
    if (LdrFindEntryForAddress(module, &entry) != 0 || entry == NULL || entry->base != (void *)module)
        return false;
    entry->base_name.Buffer = (PWSTR)name;
    entry->base_name.Length = (USHORT)(wcslen(name) * sizeof(WCHAR));
    entry->base_name.MaximumLength = (USHORT)(entry->base_name.Length + sizeof(WCHAR));
    return true;
}

void standin_unresolved(void)
{
    fputs("wsphost stand-in: a function of Wine's builtin was called before it "
          "was found\n",
          stderr);
    RaiseException(EXCEPTION_NONCONTINUABLE_EXCEPTION, EXCEPTION_NONCONTINUABLE, 0, NULL);
}

bool standin_bind_builtin(const WCHAR *dll, const WCHAR *renamed, const standin_forward *forwards, size_t count,
                          HMODULE *builtin)
{
    WCHAR path[MAX_PATH];
    UINT n = GetSystemDirectoryW(path, MAX_PATH);
    if (n == 0 || n + wcslen(dll) + 2 > MAX_PATH)
        return false;
    path[n] = L'\\';
    wcscpy(path + n + 1, dll);
    *builtin = LoadLibraryW(path);
    if (*builtin == NULL) {
        fprintf(stderr, "wsphost stand-in: cannot load Wine's %ls (error %lu)\n", path, GetLastError());
        return false;
    }
    bool all = builtin_rename(*builtin, renamed);
    if (!all)
        fprintf(stderr, "wsphost stand-in: no loader entry for %ls\n", path);
    for (size_t i = 0; i < count; i++) {
        FARPROC f = GetProcAddress(*builtin, forwards[i].name);
        if (f != NULL) {
            *forwards[i].target = (void *)f;
        } else {
            fprintf(stderr, "wsphost stand-in: Wine's %ls exports no %s\n", path, forwards[i].name);
            all = false;
        }
    }
    return all;
}

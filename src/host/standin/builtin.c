/* Loading Wine's builtin DLL beside a stand-in of the same name.
 *
 * A program run by wsphost-run binds to the stand-in, found first on its
 * DLL path. Loaded by its full path in the system folder, the builtin
 * becomes a second module of the same base name at another address, with
 * its unix side as usual (issue 17 tried it on Wine 8.0). */
#include <stdbool.h>
#include <stdio.h>
#include <wchar.h>

#include "thunks.h"

void standin_unresolved(void)
{
    fputs("wsphost stand-in: a function of Wine's builtin was called before it was found\n", stderr);
    RaiseException(EXCEPTION_NONCONTINUABLE_EXCEPTION, EXCEPTION_NONCONTINUABLE, 0, NULL);
}

bool standin_bind_builtin(const WCHAR *dll, const standin_forward *forwards, size_t count, HMODULE *builtin)
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
    bool all = true;
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

/* The files of a wsphost catalog: its 64-bit half, named by WSPHOST_CATALOG,
 * and its 32-bit half beside it (".32"). A test that starts from a fresh
 * catalog deletes both, whatever its own bitness (docs/host.md). */
#ifndef SHARELSP_TESTS_CATALOG_FILES_H
#define SHARELSP_TESTS_CATALOG_FILES_H

#include <stdio.h>
#include <windows.h>

static inline void catalog_files_delete(const WCHAR *path)
{
    WCHAR half32[MAX_PATH + 4];
    DeleteFileW(path);
    if (_snwprintf(half32, MAX_PATH + 4, L"%ls.32", path) > 0)
        DeleteFileW(half32);
}

#endif

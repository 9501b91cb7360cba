#include "catalog_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

/* wsphost's folder: the base provider and the default catalog sit beside
 * the host. The stand-in ws2_32.dll (WSPHOST_STANDIN) lives in a folder of
 * its own below it (bin/standin), so that the DLL path wsphost-run gives a
 * program holds nothing else: its wsphost folder is the one above. */
static bool module_folder(WCHAR *path, size_t capacity)
{
    HMODULE self = NULL;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)module_folder, &self))
        return false;
    DWORD n = GetModuleFileNameW(self, path, (DWORD)capacity);
    if (n == 0 || n >= capacity)
        return false;
    WCHAR *slash = wcsrchr(path, L'\\');
    if (slash == NULL)
        return false;
    slash[1] = L'\0';
#ifdef WSPHOST_STANDIN
    slash[0] = L'\0';
    slash = wcsrchr(path, L'\\');
    if (slash == NULL)
        return false;
    slash[1] = L'\0';
#endif
    return true;
}

static bool beside_module(WCHAR *path, size_t capacity, const WCHAR *name)
{
    if (!module_folder(path, capacity) || wcslen(path) + wcslen(name) + 1 > capacity)
        return false;
    wcscat(path, name);
    return true;
}

static bool catalog_file_path_64(WCHAR *path, size_t capacity)
{
    DWORD n = GetEnvironmentVariableW(L"WSPHOST_CATALOG", path, (DWORD)capacity);
    if (n > 0 && n < capacity)
        return true;
    return beside_module(path, capacity, L"wsphost-catalog.txt");
}

bool catalog_file_path_of(catalog_half half, WCHAR *path, size_t capacity)
{
    if (!catalog_file_path_64(path, capacity))
        return false;
    if (half == CATALOG_HALF_64)
        return true;
    if (wcslen(path) + 4 > capacity)
        return false;
    wcscat(path, L".32");
    return true;
}

bool catalog_file_path(WCHAR *path, size_t capacity) { return catalog_file_path_of(CATALOG_HALF_OWN, path, capacity); }

bool catalog_file_lock_path(WCHAR *path, size_t capacity) { return catalog_file_path_64(path, capacity); }

bool catalog_base_provider_path(WCHAR *path, size_t capacity)
{
    return beside_module(path, capacity, L"wspbase.dll");
}

bool catalog_base_provider_path_of(catalog_half half, WCHAR *path, size_t capacity)
{
    /* Only a 64-bit process makes the other half (the 64_32 and 32 forms). */
    if (half != CATALOG_HALF_OWN) {
        DWORD n = GetEnvironmentVariableW(L"WSPHOST_BASE32", path, (DWORD)capacity);
        if (n > 0 && n < capacity)
            return true;
    }
    return catalog_base_provider_path(path, capacity);
}

static int catalog_file_create(const WCHAR *path, const WCHAR *base, catalog *cat)
{
    catalog_init(cat);
    if (!catalog_add_base_entries(cat, base)) {
        catalog_free(cat);
        return WSAENOBUFS;
    }
    int err = catalog_file_store(path, cat);
    if (err != 0)
        catalog_free(cat);
    return err;
}

static int catalog_file_load_or_make(const WCHAR *path, const WCHAR *base, catalog *cat, catalog_error *err);

int catalog_file_load(const WCHAR *path, catalog *cat, catalog_error *err)
{
    WCHAR base[MAX_PATH];
    if (!catalog_base_provider_path(base, MAX_PATH)) {
        memset(err, 0, sizeof *err);
        catalog_init(cat);
        return WSAENOBUFS;
    }
    return catalog_file_load_or_make(path, base, cat, err);
}

int catalog_file_load_half(catalog_half half, catalog *cat, catalog_error *err)
{
    WCHAR path[MAX_PATH], base[MAX_PATH];
    memset(err, 0, sizeof *err);
    catalog_init(cat);
    if (!catalog_file_path_of(half, path, MAX_PATH))
        return WSASYSCALLFAILURE;
    if (!catalog_base_provider_path_of(half, base, MAX_PATH))
        return WSAENOBUFS;
    return catalog_file_load_or_make(path, base, cat, err);
}

static int catalog_file_load_or_make(const WCHAR *path, const WCHAR *base, catalog *cat, catalog_error *err)
{
    memset(err, 0, sizeof *err);
    catalog_init(cat);
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        if (GetLastError() == ERROR_FILE_NOT_FOUND)
            return catalog_file_create(path, base, cat);
        snprintf(err->text, sizeof err->text, "cannot open the catalog (error %lu)", GetLastError());
        fprintf(stderr, "wsphost: catalog %ls: %s\n", path, err->text);
        return WSASYSCALLFAILURE;
    }
    LARGE_INTEGER size;
    char *text = NULL;
    DWORD got = 0;
    bool read_ok = GetFileSizeEx(file, &size) && size.QuadPart < 16 * 1024 * 1024 &&
                   (text = malloc((size_t)size.QuadPart + 1)) != NULL &&
                   ReadFile(file, text, (DWORD)size.QuadPart, &got, NULL) && got == (DWORD)size.QuadPart;
    CloseHandle(file);
    if (!read_ok) {
        free(text);
        snprintf(err->text, sizeof err->text, "cannot read the catalog");
        fprintf(stderr, "wsphost: catalog %ls: %s\n", path, err->text);
        return WSASYSCALLFAILURE;
    }
    bool parsed = catalog_parse(cat, text, got, err);
    free(text);
    if (!parsed) {
        if (err->line != 0)
            fprintf(stderr, "wsphost: catalog %ls line %u: %s\n", path, err->line, err->text);
        else
            fprintf(stderr, "wsphost: catalog %ls: %s\n", path, err->text);
        return WSASYSCALLFAILURE;
    }
    return 0;
}

int catalog_file_store(const WCHAR *path, const catalog *cat)
{
    size_t length = 0;
    char *text = catalog_format(cat, &length);
    if (text == NULL)
        return WSAENOBUFS;
    WCHAR temp[MAX_PATH + 32];
    if (swprintf(temp, MAX_PATH + 32, L"%ls.new%lu", path, GetCurrentProcessId()) < 0) {
        free(text);
        return WSAEINVAL;
    }
    HANDLE file = CreateFileW(temp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        free(text);
        return WSASYSCALLFAILURE;
    }
    DWORD wrote = 0;
    bool ok = WriteFile(file, text, (DWORD)length, &wrote, NULL) && wrote == length && FlushFileBuffers(file);
    CloseHandle(file);
    free(text);
    /* The rename is the commit: readers see the old file or the new one. */
    if (!ok || !MoveFileExW(temp, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        DeleteFileW(temp);
        return WSASYSCALLFAILURE;
    }
    return 0;
}

HANDLE catalog_file_lock(const WCHAR *path)
{
    WCHAR name[MAX_PATH + 8];
    if (swprintf(name, MAX_PATH + 8, L"%ls.lock", path) < 0)
        return INVALID_HANDLE_VALUE;
    for (int tries = 0; tries < 1000; tries++) {
        HANDLE lock = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_ALWAYS,
                                  FILE_ATTRIBUTE_NORMAL | FILE_FLAG_DELETE_ON_CLOSE, NULL);
        if (lock != INVALID_HANDLE_VALUE)
            return lock;
        DWORD e = GetLastError();
        if (e != ERROR_SHARING_VIOLATION && e != ERROR_ACCESS_DENIED)
            return INVALID_HANDLE_VALUE;
        Sleep(10);
    }
    return INVALID_HANDLE_VALUE;
}

void catalog_file_unlock(HANDLE lock)
{
    if (lock != INVALID_HANDLE_VALUE)
        CloseHandle(lock);
}

/* The catalog file: where it is, reading it, replacing it atomically, and a
 * lock that serialises changes across processes. */
#ifndef SHARELSP_HOST_CATALOG_FILE_H
#define SHARELSP_HOST_CATALOG_FILE_H

#include "catalog.h"

/* Two catalogs, as 64-bit Windows keeps them: one for 64-bit processes and
 * one for 32-bit ones. A process enumerates and loads from its own half. */
typedef enum catalog_half { CATALOG_HALF_64, CATALOG_HALF_32 } catalog_half;

#ifdef _WIN64
#define CATALOG_HALF_OWN CATALOG_HALF_64
#else
#define CATALOG_HALF_OWN CATALOG_HALF_32
#endif

/* The 64-bit half: WSPHOST_CATALOG, or wsphost-catalog.txt beside
 * wsphost.dll; the 32-bit half: the same name with ".32" appended. */
bool catalog_file_path_of(catalog_half half, WCHAR *path, size_t capacity);

/* This process's own half. */
bool catalog_file_path(WCHAR *path, size_t capacity);

/* The lock of both halves: the 64-bit half's (catalog_file_lock). */
bool catalog_file_lock_path(WCHAR *path, size_t capacity);

/* Reads and parses the file. A missing file is created holding the base
 * entries (the base provider beside the host). 0 or a WSA error; on a
 * malformed file, WSASYSCALLFAILURE with err naming the line, and a line on
 * stderr. */
int catalog_file_load(const WCHAR *path, catalog *cat, catalog_error *err);

/* The same for a half: a missing 32-bit half made by a 64-bit process names
 * the 32-bit base provider WSPHOST_BASE32 names (else its own, which a
 * 32-bit process cannot load). */
int catalog_file_load_half(catalog_half half, catalog *cat, catalog_error *err);

/* Writes a new file beside the old one, then renames it over the old one. */
int catalog_file_store(const WCHAR *path, const catalog *cat);

/* Exclusive across processes (a lock file opened with no sharing); waits up
 * to 10 s. INVALID_HANDLE_VALUE on time-out. */
HANDLE catalog_file_lock(const WCHAR *path);
void catalog_file_unlock(HANDLE lock);

/* The base provider's path: wspbase.dll beside wsphost.dll. */
bool catalog_base_provider_path(WCHAR *path, size_t capacity);

/* The base provider the half's base entries name when the file is made. */
bool catalog_base_provider_path_of(catalog_half half, WCHAR *path, size_t capacity);

#endif

/* The catalog file: where it is, reading it, replacing it atomically, and a
 * lock that serialises changes across processes. */
#ifndef SHARELSP_HOST_CATALOG_FILE_H
#define SHARELSP_HOST_CATALOG_FILE_H

#include "catalog.h"

/* WSPHOST_CATALOG, or wsphost-catalog.txt beside wsphost.dll. */
bool catalog_file_path(WCHAR *path, size_t capacity);

/* Reads and parses the file. A missing file is created holding the base
 * entries (the base provider beside the host). 0 or a WSA error; on a
 * malformed file, WSASYSCALLFAILURE with err naming the line, and a line on
 * stderr. */
int catalog_file_load(const WCHAR *path, catalog *cat, catalog_error *err);

/* Writes a new file beside the old one, then renames it over the old one. */
int catalog_file_store(const WCHAR *path, const catalog *cat);

/* Exclusive across processes (a lock file opened with no sharing); waits up
 * to 10 s. INVALID_HANDLE_VALUE on time-out. */
HANDLE catalog_file_lock(const WCHAR *path);
void catalog_file_unlock(HANDLE lock);

/* The base provider's path: wspbase.dll beside wsphost.dll. */
bool catalog_base_provider_path(WCHAR *path, size_t capacity);

#endif

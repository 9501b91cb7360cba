/* The catalog wsphost keeps in place of the registry's Winsock catalog: the
 * protocol entries in catalog order, each a WSAPROTOCOL_INFOW plus its
 * provider's DLL path and LSP categories. Stored as a UTF-8 text file (see
 * docs/host.md), named by the WSPHOST_CATALOG environment variable. */
#ifndef SHARELSP_HOST_CATALOG_H
#define SHARELSP_HOST_CATALOG_H

#include <winsock2.h>
#include <ws2spi.h>
#include <ws2tcpip.h>

#include <stdbool.h>
#include <stddef.h>

#define CATALOG_FIRST_ID 1001u
#define CATALOG_MAX_ENTRIES 512u

typedef struct catalog_entry {
    WSAPROTOCOL_INFOW info;
    WCHAR path[MAX_PATH]; /* as installed: environment strings unexpanded */
    DWORD categories;     /* WSCSetProviderInfo(ProviderInfoLspCategories) */
} catalog_entry;

typedef struct catalog {
    catalog_entry *entries;
    size_t count;
    size_t capacity;
    DWORD next_id; /* ids are never reused, as on Windows */
} catalog;

typedef struct catalog_error {
    unsigned line; /* 0 when the error is not about one line */
    char text[200];
} catalog_error;

void catalog_init(catalog *cat);
void catalog_free(catalog *cat);
/* A deep copy; false when out of memory. */
bool catalog_copy(catalog *to, const catalog *from);

/* Parses the text form. On failure the catalog is left empty and err says
 * which line and what is wrong. */
bool catalog_parse(catalog *cat, const char *text, size_t length, catalog_error *err);
/* The text form, malloc'd and NUL-terminated; NULL when out of memory. */
char *catalog_format(const catalog *cat, size_t *length);

/* The base entries a fresh catalog holds: TCP and UDP over IPv4 and IPv6,
 * served by the base provider at base_path. */
bool catalog_add_base_entries(catalog *cat, const WCHAR *base_path);

catalog_entry *catalog_find_id(const catalog *cat, DWORD id);
/* Index of the first entry with that id, or -1. */
int catalog_index_of(const catalog *cat, DWORD id);
bool catalog_has_provider(const catalog *cat, const GUID *provider);

/* Appends an entry with a new catalog id (returned in *id); 0 or a WSA error. */
int catalog_append(catalog *cat, const WSAPROTOCOL_INFOW *info, const WCHAR *path, DWORD *id);
void catalog_remove_at(catalog *cat, size_t index);
/* Moves entry index to position 0, keeping the others' order. */
void catalog_move_to_front(catalog *cat, size_t index, size_t position);

/* Visible to applications: not a layered entry and not hidden. */
bool catalog_entry_visible(const catalog_entry *entry);

#endif

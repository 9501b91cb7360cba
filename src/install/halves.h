/* The catalogs sharelsp-install manages (Windows only: the native build of
 * catalog_io.c does without it). */
#ifndef SHARELSP_INSTALL_HALVES_H
#define SHARELSP_INSTALL_HALVES_H

#include "install.h"

typedef int(WSPAPI *deinstall_fn)(LPGUID, LPINT);
typedef int(WSPAPI *write_order_fn)(LPDWORD, DWORD);
typedef int(WSPAPI *get_path_fn)(LPGUID, WCHAR *, LPINT, LPINT);
typedef int(WSPAPI *set_info_fn)(LPGUID, WSC_PROVIDER_INFO_TYPE, PBYTE, size_t, DWORD, LPINT);
typedef int(WSPAPI *update_fn)(LPGUID, const WCHAR *, const LPWSAPROTOCOL_INFOW, DWORD, LPINT);

/* One of the catalogs the tool manages: a 64-bit Windows keeps one for
 * 64-bit and one for 32-bit processes, each changed by its own forms of the
 * WSC functions (the plain ones for the caller's own, the 32 forms for the
 * 32-bit one); a 32-bit Windows has one. */
typedef struct install_half {
    const char *name; /* "64-bit catalog", "32-bit catalog", or "catalog" */
    WORD machine;     /* what the half's processes load: IMAGE_FILE_MACHINE_AMD64 or _I386 */
    enum_protocols_fn enumerate;
    deinstall_fn deinstall;
    write_order_fn write_order;
    get_path_fn get_path;
    update_fn update;     /* NULL where the platform has none */
    set_info_fn set_info; /* NULL where the platform has none */
} install_half;

/* The halves to manage, the tool's own first: two for the 64-bit tool where
 * the platform has the 32 forms, else one. */
int install_halves(install_half halves[2]);

/* Is the file a PE image for this machine? The path is expanded, and for the
 * 32-bit half a path in the 64-bit system folder is looked up where file
 * system redirection sends 32-bit processes (SysWOW64). */
bool install_dll_is(const WCHAR *path, WORD machine, char *why, size_t why_size);

#endif

/* sharelsp-install: the catalog as the WSC API shows it, and the commands. */
#ifndef SHARELSP_INSTALL_H
#define SHARELSP_INSTALL_H

#define UNICODE
#include <winsock2.h>
#include <ws2spi.h>
/* after ws2spi.h, which defines WSPAPI */
#include <sporder.h>

#include <stdbool.h>

#include "planner.h"

/* The catalog read through WSCEnumProtocols, in order. */
typedef struct install_catalog {
    WSAPROTOCOL_INFOW *infos;
    plan_entry *entries; /* the same, for the planner */
    int count;
} install_catalog;

typedef int(WSPAPI *enum_protocols_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);

/* The process's own catalog (WSCEnumProtocols), or the one enumerate lists. */
int catalog_read(install_catalog *cat);
int catalog_read_by(enum_protocols_fn enumerate, install_catalog *cat);
void catalog_release(install_catalog *cat);
/* Do two reads list the same entries, field for field, in the same order? */
bool catalog_same(const install_catalog *a, const install_catalog *b);
const WSAPROTOCOL_INFOW *catalog_info(const install_catalog *cat, DWORD id);

/* A WSC function the platform may or may not export, looked up at run time
 * in the Winsock DLL of this build (SHARELSP_WINSOCK_DLL). */
FARPROC wsc_optional(const char *name);

/* What is installed: ShareLSP, or a layer's DLL built on it with a GUID and
 * a name of its own (--guid, --name). The chain entries' GUID is the layered
 * one with its last byte plus one, as ShareLSP's own are. */
enum { INSTALL_NAME_MAX = 40 };
extern GUID install_layered_guid;
extern GUID install_chain_guid;
extern WCHAR install_name[INSTALL_NAME_MAX + 1];
/* Sets them from --guid {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} (NULL: keep)
 * and --name (NULL: keep); false for a malformed GUID or a name that is
 * empty or longer than INSTALL_NAME_MAX. */
bool install_identity_set(const char *guid, const char *name);
/* The planner's names for the layered and chain entries with ShareLSP's
 * name replaced by install_name. */
void install_identity_rename(char *plan_name, size_t capacity);

typedef struct install_options {
    unsigned protocols;     /* plan_protocol bits */
    WCHAR path[MAX_PATH];   /* the provider DLL */
    WCHAR path32[MAX_PATH]; /* the 32-bit one, for the 32-bit catalog of a 64-bit Windows */
    bool legacy_api;        /* WSCInstallProvider + WSCWriteProviderOrder even where the chains API exists */
} install_options;

int command_install(const install_options *options);
int command_remove(void);
int command_list(void);
/* installer32: the 32-bit sharelsp-install that verifies the 32-bit catalog. */
int command_verify(const WCHAR *installer32);

/* Exit codes (documented in --help and docs/install.md). */
enum {
    EXIT_OK = 0,
    EXIT_USAGE = 2,
    EXIT_CATALOG = 3,  /* the catalog could not be read */
    EXIT_REFUSED = 4,  /* the plan was refused (missing base entry, partial install) */
    EXIT_FAILED = 5,   /* a WSC step failed; the catalog was restored */
    EXIT_BROKEN = 6,   /* a WSC step failed and the catalog could not be restored */
    EXIT_NOT_KEPT = 7, /* the platform reported success but kept nothing */
    EXIT_INVALID = 8   /* verify: ShareLSP's entries are not consistent */
};

/* A WSC call reported success and the catalog does not show its effect. */
#define INSTALL_NOT_KEPT (-1)

#endif

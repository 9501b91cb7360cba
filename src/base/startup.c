/* WSPStartup and WSPCleanup of wspbase, and the catalog entries it serves.
 * Each WSPStartup (one per catalog entry the host starts) starts the
 * platform's Winsock once; each WSPCleanup stops it once. */
#include "base.h"

#include <string.h>

#include "wsversion.h"

enum { BASE_MAX_ENTRIES = 16 };

/* The catalog entries this provider was started with: a duplicate info must
 * name the entry (id and GUID) the socket came from. */
typedef struct base_entry {
    DWORD catalog_id;
    GUID provider_id;
    int family;
    int type;
} base_entry;

static SRWLOCK base_lock = SRWLOCK_INIT;
static base_entry base_entries[BASE_MAX_ENTRIES];
static size_t base_entry_count;

static const WCHAR base_description[] = L"wspbase: Winsock over the platform's sockets";
_Static_assert(sizeof base_description <= sizeof(((WSPDATA *)0)->szDescription), "description fits");

int base_result(int result, LPINT lpErrno)
{
    if (result == SOCKET_ERROR)
        *lpErrno = WSAGetLastError();
    return result;
}

SOCKET base_socket_result(SOCKET result, LPINT lpErrno)
{
    if (result == INVALID_SOCKET)
        *lpErrno = WSAGetLastError();
    return result;
}

BOOL base_is_socket(SOCKET s)
{
    int type = 0, length = sizeof type;
    int saved = WSAGetLastError();
    BOOL ok = getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &length) == 0;
    WSASetLastError(saved);
    return ok;
}

DWORD base_catalog_entry_for(SOCKET s, GUID *provider_id)
{
    WSAPROTOCOL_INFOW info;
    int length = sizeof info;
    if (getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &length) != 0)
        return 0;
    DWORD id = 0;
    AcquireSRWLockShared(&base_lock);
    for (size_t i = 0; i < base_entry_count && id == 0; i++) {
        if (base_entries[i].family == info.iAddressFamily && base_entries[i].type == info.iSocketType) {
            id = base_entries[i].catalog_id;
            *provider_id = base_entries[i].provider_id;
        }
    }
    ReleaseSRWLockShared(&base_lock);
    return id;
}

/* Only what this provider can serve: TCP, UDP and raw IP over IPv4 and
 * IPv6. */
static BOOL base_entry_supported(const WSAPROTOCOL_INFOW *info)
{
    if (info->ProtocolChain.ChainLen != BASE_PROTOCOL)
        return FALSE;
    if (info->iAddressFamily != AF_INET && info->iAddressFamily != AF_INET6)
        return FALSE;
    return (info->iSocketType == SOCK_STREAM && info->iProtocol == IPPROTO_TCP) ||
           (info->iSocketType == SOCK_DGRAM && info->iProtocol == IPPROTO_UDP) || info->iSocketType == SOCK_RAW;
}

static void base_remember_entry(const WSAPROTOCOL_INFOW *info)
{
    AcquireSRWLockExclusive(&base_lock);
    BOOL known = FALSE;
    for (size_t i = 0; i < base_entry_count; i++)
        known = known || base_entries[i].catalog_id == info->dwCatalogEntryId;
    if (!known && base_entry_count < BASE_MAX_ENTRIES) {
        base_entries[base_entry_count].catalog_id = info->dwCatalogEntryId;
        base_entries[base_entry_count].provider_id = info->ProviderId;
        base_entries[base_entry_count].family = info->iAddressFamily;
        base_entries[base_entry_count].type = info->iSocketType;
        base_entry_count++;
    }
    ReleaseSRWLockExclusive(&base_lock);
}

static int WSPAPI base_cleanup(LPINT lpErrno) { return base_result(WSACleanup(), lpErrno); }

static int WSPAPI base_cancel_blocking_call(LPINT lpErrno)
{
    /* Winsock 2.2 has no blocking hooks to cancel. */
    *lpErrno = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                      WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    (void)UpcallTable; /* IFS handles: nothing to ask the host for */
    if (lpWSPData == NULL || lpProcTable == NULL || lpProtocolInfo == NULL)
        return WSAEFAULT;
    lpWSPData->wHighVersion = WSVERSION(2, 2);
    memcpy(lpWSPData->szDescription, base_description, sizeof base_description);
    if (!wsversion_negotiate(wVersionRequested, WSVERSION(2, 0), WSVERSION(2, 2), &lpWSPData->wVersion))
        return WSAVERNOTSUPPORTED;
    if (!base_entry_supported(lpProtocolInfo))
        return WSAEPROVIDERFAILEDINIT;
    WSADATA data;
    int err = WSAStartup(WSVERSION(2, 2), &data);
    if (err != 0)
        return err;
    base_remember_entry(lpProtocolInfo);
    memset(lpProcTable, 0, sizeof *lpProcTable);
    base_fill_socket_procs(lpProcTable);
    base_fill_data_procs(lpProcTable);
    base_fill_option_procs(lpProcTable);
    base_fill_notify_procs(lpProcTable);
    lpProcTable->lpWSPCleanup = base_cleanup;
    lpProcTable->lpWSPCancelBlockingCall = base_cancel_blocking_call;
    return 0;
}

/* WSAEnumProtocols and the address string conversions. */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "enumerate.h"

int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength)
{
    if (!host_is_started()) {
        WSASetLastError(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    catalog cat;
    int err = host_catalog_snapshot(&cat);
    if (err != 0) {
        WSASetLastError(err);
        return SOCKET_ERROR;
    }
    int n = enumerate_entries(&cat, true, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, &err);
    catalog_free(&cat);
    return host_finish(n, &err);
}

int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols, LPWSAPROTOCOL_INFOA lpProtocolBuffer, LPDWORD lpdwBufferLength)
{
    if (lpdwBufferLength == NULL) {
        WSASetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    DWORD wide_length = 0;
    int n = WSAEnumProtocolsW(lpiProtocols, NULL, &wide_length);
    if (n == SOCKET_ERROR && WSAGetLastError() != WSAENOBUFS)
        return SOCKET_ERROR;
    DWORD count = wide_length / sizeof(WSAPROTOCOL_INFOW);
    DWORD needed = count * (DWORD)sizeof(WSAPROTOCOL_INFOA);
    if (lpProtocolBuffer == NULL || *lpdwBufferLength < needed) {
        *lpdwBufferLength = needed;
        WSASetLastError(WSAENOBUFS);
        return SOCKET_ERROR;
    }
    WSAPROTOCOL_INFOW *wide = malloc(wide_length ? wide_length : 1);
    if (wide == NULL) {
        WSASetLastError(WSAENOBUFS);
        return SOCKET_ERROR;
    }
    n = WSAEnumProtocolsW(lpiProtocols, wide, &wide_length);
    for (int i = 0; i < n; i++)
        protocol_info_w_to_a(&wide[i], &lpProtocolBuffer[i]);
    free(wide);
    *lpdwBufferLength = needed;
    return n;
}

/* The provider for an address string call: the info's entry, or the first
 * visible entry of the family. */
static host_provider *address_provider(LPWSAPROTOCOL_INFOW info, int family, int *err)
{
    if (!host_is_started()) {
        *err = WSANOTINITIALISED;
        return NULL;
    }
    WSAPROTOCOL_INFOW chosen;
    if (info != NULL)
        chosen = *info;
    else if ((*err = host_pick_family(family, &chosen)) != 0)
        return NULL;
    host_provider *p = NULL;
    if ((*err = host_provider_for(chosen.dwCatalogEntryId, &p)) != 0)
        return NULL;
    return p;
}

INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                               LPWSTR lpszAddressString, LPDWORD lpdwAddressStringLength)
{
    int err = 0;
    if (lpsaAddress == NULL || dwAddressLength < sizeof(lpsaAddress->sa_family)) {
        WSASetLastError(lpsaAddress == NULL ? WSAEFAULT : WSAEINVAL);
        return SOCKET_ERROR;
    }
    host_provider *p = address_provider(lpProtocolInfo, lpsaAddress->sa_family, &err);
    if (p == NULL) {
        WSASetLastError(err);
        return SOCKET_ERROR;
    }
    WSAPROTOCOL_INFOW info = p->info;
    return host_finish(p->procs.lpWSPAddressToString(lpsaAddress, dwAddressLength, &info, lpszAddressString,
                                                     lpdwAddressStringLength, &err), &err);
}

INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                               LPSOCKADDR lpAddress, LPINT lpAddressLength)
{
    int err = 0;
    host_provider *p = address_provider(lpProtocolInfo, AddressFamily, &err);
    if (p == NULL) {
        WSASetLastError(err);
        return SOCKET_ERROR;
    }
    WSAPROTOCOL_INFOW info = p->info;
    return host_finish(
        p->procs.lpWSPStringToAddress(AddressString, AddressFamily, &info, lpAddress, lpAddressLength, &err), &err);
}

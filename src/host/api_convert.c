/* The A and W forms of WSAPROTOCOL_INFO differ only in szProtocol: every
 * other field is copied as it is (a provider's dwProviderReserved included). */
#include "api.h"

#include <string.h>

void protocol_info_a_to_w(const WSAPROTOCOL_INFOA *a, WSAPROTOCOL_INFOW *w)
{
    memcpy(w, a, offsetof(WSAPROTOCOL_INFOW, szProtocol));
    MultiByteToWideChar(CP_ACP, 0, a->szProtocol, -1, w->szProtocol, WSAPROTOCOL_LEN + 1);
    w->szProtocol[WSAPROTOCOL_LEN] = L'\0';
}

void protocol_info_w_to_a(const WSAPROTOCOL_INFOW *w, WSAPROTOCOL_INFOA *a)
{
    memcpy(a, w, offsetof(WSAPROTOCOL_INFOA, szProtocol));
    WideCharToMultiByte(CP_ACP, 0, w->szProtocol, -1, a->szProtocol, WSAPROTOCOL_LEN + 1, NULL, NULL);
    a->szProtocol[WSAPROTOCOL_LEN] = '\0';
}

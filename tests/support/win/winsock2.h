/* The few Windows and Winsock declarations that src/host/catalog.c and
 * src/install/catalog_io.c use, so that those very files build natively for
 * fuzzing (tests/fuzz) and unit tests (tests/unit). Values and layouts are
 * Windows' own (DWORD is 32 bits wide, as there), except that WCHAR is the
 * native wchar_t: it holds one UTF-16 code unit, as a Windows WCHAR does, so
 * lengths counted in WCHARs mean what they mean on Windows. Only what those
 * files use is here: a file that starts using more fails to build, not to
 * behave. */
#ifndef SHARELSP_TESTS_WINSOCK2_H
#define SHARELSP_TESTS_WINSOCK2_H

#include <stdint.h>
#include <string.h>
#include <wchar.h>

typedef uint32_t DWORD;
typedef uint16_t WORD;
typedef int BOOL;
typedef wchar_t WCHAR;
typedef const WCHAR *LPCWSTR;
typedef const char *LPCSTR;
typedef int *LPINT;
typedef DWORD *LPDWORD;
typedef struct win_module *HMODULE;
typedef void (*FARPROC)(void);

typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID, *LPGUID;
#define IsEqualGUID(a, b) (memcmp((a), (b), sizeof(GUID)) == 0)

#define MAX_PATH 260
#define CP_UTF8 65001u
#define MB_ERR_INVALID_CHARS 0x8u

#define AF_INET 2
#define AF_INET6 23
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
struct sockaddr_in { uint8_t bytes[16]; };
struct sockaddr_in6 { uint8_t bytes[28]; };

#define SOCKET_ERROR (-1)
#define WSAEINVAL 10022
#define WSAENOBUFS 10055
#define WSASYSCALLFAILURE 10107

#define MAX_PROTOCOL_CHAIN 7
#define LAYERED_PROTOCOL 0
#define BASE_PROTOCOL 1
#define WSAPROTOCOL_LEN 255
#define BIGENDIAN 0x0000

#define XP1_CONNECTIONLESS 0x00000001u
#define XP1_GUARANTEED_DELIVERY 0x00000002u
#define XP1_GUARANTEED_ORDER 0x00000004u
#define XP1_MESSAGE_ORIENTED 0x00000008u
#define XP1_GRACEFUL_CLOSE 0x00000020u
#define XP1_EXPEDITED_DATA 0x00000040u
#define XP1_SUPPORT_BROADCAST 0x00000200u
#define XP1_SUPPORT_MULTIPOINT 0x00000400u
#define XP1_IFS_HANDLES 0x00020000u
#define PFL_HIDDEN 0x00000004u
#define PFL_MATCHES_PROTOCOL_ZERO 0x00000008u

typedef struct _WSAPROTOCOLCHAIN {
    int ChainLen;
    DWORD ChainEntries[MAX_PROTOCOL_CHAIN];
} WSAPROTOCOLCHAIN;

typedef struct _WSAPROTOCOL_INFOW {
    DWORD dwServiceFlags1;
    DWORD dwServiceFlags2;
    DWORD dwServiceFlags3;
    DWORD dwServiceFlags4;
    DWORD dwProviderFlags;
    GUID ProviderId;
    DWORD dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int iVersion;
    int iAddressFamily;
    int iMaxSockAddr;
    int iMinSockAddr;
    int iSocketType;
    int iProtocol;
    int iProtocolMaxOffset;
    int iNetworkByteOrder;
    int iSecurityScheme;
    DWORD dwMessageSize;
    DWORD dwProviderReserved;
    WCHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOW, *LPWSAPROTOCOL_INFOW;

/* As Windows documents them (win_shim.c): UTF-8 only, a length of -1 means
 * up to and including the NUL, a capacity of 0 asks for the length needed,
 * and a short output buffer fails with 0 after filling it. */
int MultiByteToWideChar(unsigned code_page, DWORD flags, const char *in, int in_length, WCHAR *out, int capacity);
int WideCharToMultiByte(unsigned code_page, DWORD flags, const WCHAR *in, int in_length, char *out, int capacity,
                        const char *default_char, BOOL *used_default);

/* A calling convention on x86 Windows: nothing here. */
#define WSPAPI

/* The catalog a fuzz target hands to win_shim_set_catalog (win_shim.h). */
int WSCEnumProtocols(LPINT protocols, LPWSAPROTOCOL_INFOW buffer, LPDWORD length, LPINT error);
/* No module is loaded: NULL. */
HMODULE GetModuleHandleW(LPCWSTR name);
FARPROC GetProcAddress(HMODULE module, LPCSTR name);

#endif

/* SO_OPENTYPE: ws2_32's own option, no provider's. It is the calling
 * thread's (any socket handle names it, even none) and says whether
 * socket() makes overlapped sockets: 0, the default of every thread, gives
 * WSA_FLAG_OVERLAPPED, any other value (SO_SYNCHRONOUS_ALERT,
 * SO_SYNCHRONOUS_NONALERT) none. Kept in a TLS slot as the value itself, so
 * a thread that ends leaves nothing behind. */
#include "host.h"

static DWORD opentype_slot = TLS_OUT_OF_INDEXES;
static INIT_ONCE opentype_slot_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK opentype_slot_make(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    opentype_slot = TlsAlloc();
    return opentype_slot != TLS_OUT_OF_INDEXES;
}

static bool opentype_slot_ready(void)
{
    return InitOnceExecuteOnce(&opentype_slot_once, opentype_slot_make, NULL, NULL) != FALSE;
}

int host_opentype(void)
{
    /* Without a slot (TlsAlloc failed) no thread can have set it. */
    return opentype_slot_ready() ? (int)(INT_PTR)TlsGetValue(opentype_slot) : 0;
}

/* The lengths are compared as ws2_32 compares them, unsigned: a negative
 * one reads as large enough (Wine's sock.c test_set_getsockopt checks it
 * against Windows). */
int host_opentype_get(char *optval, int *optlen)
{
    if (optval == NULL || optlen == NULL || (unsigned)*optlen < sizeof(int))
        return WSAEFAULT;
    *(int *)optval = host_opentype();
    *optlen = sizeof(int);
    return 0;
}

int host_opentype_set(const char *optval, int optlen)
{
    /* A small integer passed for the pointer is refused, not read. */
    if (IS_INTRESOURCE(optval) || (unsigned)optlen < sizeof(int))
        return WSAEFAULT;
    if (!opentype_slot_ready() || !TlsSetValue(opentype_slot, (LPVOID)(INT_PTR) * (const int *)optval))
        return WSAENOBUFS;
    return 0;
}

/* A packet to the port a Wine socket is bound to, as the wineserver posts
 * one for a request that pended (server/async.c, async_set_result:
 * add_async_completion whatever FILE_SKIP_COMPLETION_PORT_ON_SUCCESS says).
 * No API does that for a request the caller completes itself: Wine's own
 * completion ioctl (IOCTL_AFD_WINE_COMPLETE_ASYNC) posts as for a request
 * done at once, which a socket that skips the port on success suppresses.
 * So this sends the wineserver request add_fd_completion with its async
 * flag, as wsphost does for its upcall handles (docs/host.md, "Completion
 * ports"): Wine 8.0 only, whose request number is known. */
#include "faulty.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Wine 8.0's include/wine/server_protocol.h: REQ_add_fd_completion, and
 * the request and header structures. */
#define FAULTY_WINE_VERSION "8.0"
#define FAULTY_WINE80_REQ_ADD_FD_COMPLETION 254

typedef struct {
    int req;
    unsigned int request_size;
    unsigned int reply_size;
    unsigned int handle;
    uint64_t cvalue;
    uint64_t information;
    unsigned int status;
    int async;
} faulty_add_fd_completion;

_Static_assert(offsetof(faulty_add_fd_completion, handle) == 12, "Wine 8.0's layout");
_Static_assert(offsetof(faulty_add_fd_completion, async) == 36, "Wine 8.0's layout");

/* include/wine/server.h: struct __server_request_info (the request in a
 * union 64 bytes long, then the variable data, none here). */
typedef struct {
    union {
        int pad[16];
        faulty_add_fd_completion add;
    } u;
    unsigned int data_count;
    void *reply_data;
    struct {
        const void *ptr;
        unsigned int size;
    } data[5];
} faulty_request_info;

typedef const char *(__cdecl *faulty_wine_get_version)(void);
typedef unsigned int(__cdecl *faulty_wine_server_call)(void *request);

static INIT_ONCE port_once = INIT_ONCE_STATIC_INIT;
static faulty_wine_server_call server_call; /* NULL: not Wine 8.0 */

static BOOL CALLBACK port_find(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once, (void)parameter, (void)context;
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    faulty_wine_get_version version = (faulty_wine_get_version)(void *)GetProcAddress(ntdll, "wine_get_version");
    faulty_wine_server_call call = (faulty_wine_server_call)(void *)GetProcAddress(ntdll, "wine_server_call");
    if (version != NULL && call != NULL && strcmp(version(), FAULTY_WINE_VERSION) == 0)
        server_call = call;
    return TRUE;
}

bool faulty_port_available(void)
{
    InitOnceExecuteOnce(&port_once, port_find, NULL, NULL);
    return server_call != NULL;
}

void faulty_port_post(SOCKET s, LPWSAOVERLAPPED overlapped, LONG status)
{
    faulty_request_info request;
    memset(&request, 0, sizeof request); /* as SERVER_START_REQ does */
    request.u.add.req = FAULTY_WINE80_REQ_ADD_FD_COMPLETION;
    request.u.add.handle = (unsigned int)(uintptr_t)s;
    request.u.add.cvalue = (uint64_t)(uintptr_t)overlapped;
    request.u.add.status = (unsigned int)status;
    request.u.add.async = 1; /* it pended */
    server_call(&request);
}

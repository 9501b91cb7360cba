/* add_fd_completion, the wineserver request Wine's own NtReadFile and
 * NtWriteFile send for a request that finished at once
 * (dlls/ntdll/unix/file.c, add_completion). It is not an API: its number is
 * private to each Wine version's server protocol, so it is sent only under
 * the one version whose number is known (docs/host.md, "Completion
 * ports"). */
#include "wine_completion.h"

#include <stddef.h>
#include <string.h>

/* --- The wineserver request, as Wine 8.0 defines it ---
 * From Wine 8.0's server/protocol.def, through tools/make_requests into
 * include/wine/server_protocol.h: add_fd_completion is entry 254 of
 * enum request (REQ_add_fd_completion), and its request structure is
 * below. The Wine version must match exactly: the number moves whenever a
 * request is added before it, and a wrong number would run another request. */
#define WINE_VERSION_KNOWN "8.0"
#define WINE80_REQ_ADD_FD_COMPLETION 254

/* include/wine/server_protocol.h: struct request_header. */
typedef struct {
    int req;
    unsigned int request_size;
    unsigned int reply_size;
} wine_request_header;

/* include/wine/server_protocol.h: struct add_fd_completion_request. */
typedef struct {
    wine_request_header header;
    unsigned int handle;  /* obj_handle_t */
    uint64_t cvalue;      /* apc_param_t: the packet's OVERLAPPED pointer */
    uint64_t information; /* apc_param_t: the packet's byte count */
    unsigned int status;  /* the packet's NTSTATUS */
    int async;            /* nonzero: the request was pending */
} wine_add_fd_completion_request;

_Static_assert(offsetof(wine_add_fd_completion_request, handle) == 12, "Wine 8.0's layout");
_Static_assert(offsetof(wine_add_fd_completion_request, cvalue) == 16, "Wine 8.0's layout");
_Static_assert(offsetof(wine_add_fd_completion_request, information) == 24, "Wine 8.0's layout");
_Static_assert(offsetof(wine_add_fd_completion_request, status) == 32, "Wine 8.0's layout");
_Static_assert(offsetof(wine_add_fd_completion_request, async) == 36, "Wine 8.0's layout");

/* include/wine/server.h: struct __server_request_info, what
 * wine_server_call takes. The request travels in a union of every request
 * and reply, struct request_max_size (int pad[16]) long; the variable data
 * (none here) follows. */
#define WINE_SERVER_MAX_DATA 5 /* __SERVER_MAX_DATA */
typedef struct {
    union {
        int pad[16]; /* struct request_max_size */
        wine_add_fd_completion_request add_fd_completion;
    } u;
    unsigned int data_count;
    void *reply_data;
    struct {
        const void *ptr;
        unsigned int size;
    } data[WINE_SERVER_MAX_DATA];
} wine_request_info;

_Static_assert(sizeof(((wine_request_info *)0)->u) == 64, "struct request_max_size");

/* ntdll's own exports, which mingw's import library lacks. */
typedef const char *(__cdecl *wine_get_version_fn)(void);
typedef unsigned int(__cdecl *wine_server_call_fn)(void *request);

static INIT_ONCE known_once = INIT_ONCE_STATIC_INIT;
static wine_server_call_fn server_call; /* NULL: not the Wine version known */

static BOOL CALLBACK wine_completion_find(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    wine_get_version_fn version = (wine_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_version");
    wine_server_call_fn call = (wine_server_call_fn)(void (*)(void))GetProcAddress(ntdll, "wine_server_call");
    /* Not Wine, or a Wine whose request numbers we do not know: the request
     * is never sent there. */
    if (version != NULL && call != NULL && strcmp(version(), WINE_VERSION_KNOWN) == 0)
        server_call = call;
    return TRUE;
}

bool wine_completion_known(void)
{
    InitOnceExecuteOnce(&known_once, wine_completion_find, NULL, NULL);
    return server_call != NULL;
}

unsigned int wine_completion_post(HANDLE handle, const void *overlapped, uint32_t status, uintptr_t bytes)
{
    wine_request_info request;
    memset(&request, 0, sizeof request); /* as SERVER_START_REQ does */
    request.u.add_fd_completion.header.req = WINE80_REQ_ADD_FD_COMPLETION;
    /* wine_server_obj_handle: handles are 32-bit values to the server. */
    request.u.add_fd_completion.handle = (unsigned int)(uintptr_t)handle;
    request.u.add_fd_completion.cvalue = (uint64_t)(uintptr_t)overlapped;
    request.u.add_fd_completion.information = bytes;
    request.u.add_fd_completion.status = status;
    request.u.add_fd_completion.async = 1;
    return server_call(&request);
}

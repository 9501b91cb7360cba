/* The fault sweep of test_faults.c: ShareLSP over faulty.dll, each entry
 * point ShareLSP forwards made to fail once, and what the application and
 * ShareLSP's state must show afterwards. */
#ifndef SHARELSP_TESTS_FAULTS_H
#define SHARELSP_TESTS_FAULTS_H

#include "spi.h"

/* The errors the sweep injects: one the call reports at once, one a
 * pending request completes with. Neither arises in the sweep otherwise. */
#define FAULT_NOW WSAENETDOWN
#define FAULT_LATER WSAECONNRESET

/* The standing async registration's message. */
#define FAULT_MESSAGE (WM_APP + 7)

/* faulty.dll's controls (tests/spi/faulty/faulty.h). */
typedef struct faulty_controls {
    void (*arm)(const char *entry, LONG nth, int error, BOOL pend);
    void (*clear)(void);
    LONG (*fired)(void);
} faulty_controls;

/* faulty.dll's controls, once the process has loaded it; false before. */
static inline bool faulty_controls_find(faulty_controls *f)
{
    HMODULE m = GetModuleHandleW(L"faulty.dll");
    if (m == NULL)
        return false;
    f->arm = (void (*)(const char *, LONG, int, BOOL))(void (*)(void))GetProcAddress(m, "faulty_arm");
    f->clear = (void (*)(void))GetProcAddress(m, "faulty_clear");
    f->fired = (LONG(*)(void))(void (*)(void))GetProcAddress(m, "faulty_fired");
    return f->arm != NULL && f->clear != NULL && f->fired != NULL;
}

/* What every case works on: a connected pair whose s holds a registration
 * for FD_READ (event's, or FAULT_MESSAGE to window when event is NULL),
 * the chain entry, and another process to duplicate s into (ShareLSP
 * duplicates into its own process without the lower provider). */
typedef struct fault_sweep {
    SOCKET c, s;
    WSAEVENT event;
    DWORD other_process;
    HWND window;
    WSAPROTOCOL_INFOW chain;
    faulty_controls faulty;
} fault_sweep;

/* One entry point made to fail: provoke makes the application call that
 * reaches it (and cleans up what it made) and returns the error the
 * application got, 0 if the call succeeded. makes_sockets: it opens and
 * closes sockets of its own. */
typedef struct fault_case {
    const char *entry;
    bool pend;
    bool makes_sockets;
    int (*provoke)(fault_sweep *x);
} fault_case;

/* Every case (faults_cases.c), and how many. */
extern const fault_case fault_cases[];
extern const size_t fault_case_count;

/* A TCP listener through the chain on the loopback; its address. */
SOCKET faults_listener(struct sockaddr_in *addr);

#endif

/* faulty.dll's parts: the fault plan the test arms, and the requests it
 * pends and then fails. */
#ifndef SHARELSP_TESTS_FAULTY_H
#define SHARELSP_TESTS_FAULTY_H

#include <winsock2.h>
#include <ws2spi.h>

#include <stdbool.h>

/* The exports a test finds with GetProcAddress on the loaded faulty.dll.
 * The Nth call to the entry point named entry (WSPSend, ...), counted from
 * the arming, fails with error; with pend, an overlapped call (event, no
 * routine) returns WSA_IO_PENDING instead and completes later with error.
 * One plan at a time; it fires once. */
__declspec(dllexport) void faulty_arm(const char *entry, LONG nth, int error, BOOL pend);
/* No call fails from now on. */
__declspec(dllexport) void faulty_clear(void);
/* How many faults have fired since the DLL was loaded. */
__declspec(dllexport) LONG faulty_fired(void);

/* wspbase's entry points, which every call that does not fail goes to. */
extern WSPPROC_TABLE faulty_base;

/* Fill procs with the wrappers of calls.c and of io.c. */
void faulty_fill_calls(WSPPROC_TABLE *procs);
void faulty_fill_io(WSPPROC_TABLE *procs);

/* The error this call of entry must fail with (0: none); *pend says
 * whether to pend it first. */
int faulty_plan_take(const char *entry, bool *pend);

/* Fails an overlapped call with error: WSA_IO_PENDING now, error later;
 * SOCKET_ERROR either way. An overlapped call it cannot pend (no
 * WSAOVERLAPPED, a completion routine, no memory, no packet to be had:
 * wine_completion_known) fails at once. */
int faulty_pend_fail(SOCKET s, LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, int error,
                     LPINT lpErrno);

#endif

/* Shared by the tests that run against wsphost: a fresh catalog of their own. */
#ifndef SHARELSP_TESTS_HOST_TEST_H
#define SHARELSP_TESTS_HOST_TEST_H

#include <winsock2.h>
#include <ws2spi.h>
#include <windows.h>

/* Points WSPHOST_CATALOG at a new temporary file (none exists yet: the host
 * creates it with the base entries) and starts Winsock. */
int host_test_start(void **state);
/* Stops Winsock and removes the catalog. */
int host_test_stop(void **state);
/* A file in the folder of this program (bin/), for the test provider. */
void host_test_beside_exe(WCHAR *path, const WCHAR *name);
/* Installs one base-like TCP entry named name, served by the DLL at path,
 * with the provider GUID guid; returns its catalog entry as the host lists
 * it (all zero if it could not be installed). */
WSAPROTOCOL_INFOW host_test_install(const WCHAR *name, const WCHAR *path, const GUID *guid);

/* The handles this process holds of like's object type, counted by the
 * system: Wine 8.0's GetProcessHandleCount answers 0. ULONG_MAX when it
 * cannot say. */
ULONG host_test_handles_held(HANDLE like);
/* The count once it is expected, else the count after 5 s: wsphost closes
 * the socket handles given back to it on the thread pool, soon but not at
 * once, and makes a few ahead there. */
ULONG host_test_handles_settled(ULONG expected, HANDLE like);

#endif

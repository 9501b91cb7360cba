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

#endif

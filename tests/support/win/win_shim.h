/* What a test or fuzz target tells the Windows stand-ins of win_shim.c. */
#ifndef SHARELSP_TESTS_WIN_SHIM_H
#define SHARELSP_TESTS_WIN_SHIM_H

#include <stddef.h>

#include <winsock2.h>

/* WSCEnumProtocols lists these count entries (kept by the caller, not
 * copied); grow makes the catalog one entry longer after the first call
 * has reported its size, as when another program installs meanwhile. */
void win_shim_set_catalog(const WSAPROTOCOL_INFOW *infos, size_t count, int grow);

#endif

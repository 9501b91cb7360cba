/* ShareLSP's version: the one source for CMake, the C code and the DLL's
 * VERSIONINFO resource (so it holds only #defines that windres understands). */
#ifndef SHARELSP_VERSION_H
#define SHARELSP_VERSION_H

#define SHARELSP_VERSION_MAJOR 0
#define SHARELSP_VERSION_MINOR 1
#define SHARELSP_VERSION_PATCH 0
#define SHARELSP_VERSION_STRING "0.1.0"

#endif

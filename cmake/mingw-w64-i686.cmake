# Cross toolchain: Debian's gcc-mingw-w64-i686-win32 (Win32 threads, no winpthread DLL).
set(SHARELSP_MINGW_TRIPLE i686-w64-mingw32)
set(CMAKE_SYSTEM_PROCESSOR x86)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)

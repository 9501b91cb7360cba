# cmocka: Debian's libcmocka-dev natively; for Windows, the static library that
# scripts/setup.sh builds from Debian's cmocka source package into build/deps.
if(SHARELSP_WINDOWS)
    # One build per bitness: cmocka-win64 (x86_64) and cmocka-win32 (i686).
    if(CMAKE_SIZEOF_VOID_P EQUAL 8)
        set(_sharelsp_cmocka_dir cmocka-win64)
    else()
        set(_sharelsp_cmocka_dir cmocka-win32)
    endif()
    set(SHARELSP_CMOCKA_WIN "${CMAKE_SOURCE_DIR}/build/deps/${_sharelsp_cmocka_dir}"
        CACHE PATH "cmocka built for this preset's mingw triple (scripts/setup.sh makes it)")
    if(NOT EXISTS "${SHARELSP_CMOCKA_WIN}/lib/libcmocka.a")
        message(FATAL_ERROR "cmocka for Windows not found in ${SHARELSP_CMOCKA_WIN}: run scripts/setup.sh")
    endif()
    add_library(sharelsp_cmocka STATIC IMPORTED)
    set_target_properties(sharelsp_cmocka PROPERTIES
        IMPORTED_LOCATION "${SHARELSP_CMOCKA_WIN}/lib/libcmocka.a"
        INTERFACE_INCLUDE_DIRECTORIES "${SHARELSP_CMOCKA_WIN}/include")
else()
    find_path(SHARELSP_CMOCKA_INCLUDE cmocka.h REQUIRED)
    find_library(SHARELSP_CMOCKA_LIBRARY cmocka REQUIRED)
    add_library(sharelsp_cmocka UNKNOWN IMPORTED)
    set_target_properties(sharelsp_cmocka PROPERTIES
        IMPORTED_LOCATION "${SHARELSP_CMOCKA_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${SHARELSP_CMOCKA_INCLUDE}")
endif()

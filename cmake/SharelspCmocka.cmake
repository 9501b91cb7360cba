# cmocka: Debian's libcmocka-dev natively; for Windows, the static library that
# scripts/setup.sh builds from Debian's cmocka source package into build/deps.
if(SHARELSP_WINDOWS)
    set(SHARELSP_CMOCKA_WIN64 "${CMAKE_SOURCE_DIR}/build/deps/cmocka-win64"
        CACHE PATH "cmocka built for x86_64-w64-mingw32 (scripts/setup.sh makes it)")
    if(NOT EXISTS "${SHARELSP_CMOCKA_WIN64}/lib/libcmocka.a")
        message(FATAL_ERROR "cmocka for Windows not found in ${SHARELSP_CMOCKA_WIN64}: run scripts/setup.sh")
    endif()
    add_library(sharelsp_cmocka STATIC IMPORTED)
    set_target_properties(sharelsp_cmocka PROPERTIES
        IMPORTED_LOCATION "${SHARELSP_CMOCKA_WIN64}/lib/libcmocka.a"
        INTERFACE_INCLUDE_DIRECTORIES "${SHARELSP_CMOCKA_WIN64}/include")
else()
    find_path(SHARELSP_CMOCKA_INCLUDE cmocka.h REQUIRED)
    find_library(SHARELSP_CMOCKA_LIBRARY cmocka REQUIRED)
    add_library(sharelsp_cmocka UNKNOWN IMPORTED)
    set_target_properties(sharelsp_cmocka PROPERTIES
        IMPORTED_LOCATION "${SHARELSP_CMOCKA_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${SHARELSP_CMOCKA_INCLUDE}")
endif()

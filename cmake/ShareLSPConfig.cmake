# find_package(ShareLSP) in an author's project: the provider library
# (ShareLSP::sharelsp_lsp) and sharelsp_add_layer (SharelspLayer.cmake), for
# the Windows bitness of the folder it is found in. Written by hand rather
# than exported, so that it holds wherever its lib folder sits: an install
# tree (PREFIX/lib/cmake/ShareLSP, headers in PREFIX/include) and the release
# package (lib/x64 or lib/x86, headers in the package's include/).
get_filename_component(_sharelsp_lib "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(_sharelsp_include "")
foreach(_sharelsp_candidate "${_sharelsp_lib}/../include" "${_sharelsp_lib}/../../include")
    if(NOT _sharelsp_include AND EXISTS "${_sharelsp_candidate}/sharelsp/layer.h")
        get_filename_component(_sharelsp_include "${_sharelsp_candidate}" ABSOLUTE)
    endif()
endforeach()
if(NOT _sharelsp_include OR NOT EXISTS "${_sharelsp_lib}/libsharelsp_lsp.a"
   OR NOT EXISTS "${_sharelsp_lib}/libsharelsp_core.a")
    set(ShareLSP_FOUND FALSE)
    set(ShareLSP_NOT_FOUND_MESSAGE
        "no ShareLSP layer kit around ${CMAKE_CURRENT_LIST_DIR}: libsharelsp_lsp.a and libsharelsp_core.a in ${_sharelsp_lib}, include/sharelsp/layer.h above it")
    return()
endif()

if(NOT TARGET ShareLSP::sharelsp_core)
    add_library(ShareLSP::sharelsp_core STATIC IMPORTED)
    set_target_properties(ShareLSP::sharelsp_core PROPERTIES
        IMPORTED_LOCATION "${_sharelsp_lib}/libsharelsp_core.a"
        INTERFACE_INCLUDE_DIRECTORIES "${_sharelsp_include}")
    add_library(ShareLSP::sharelsp_lsp STATIC IMPORTED)
    set_target_properties(ShareLSP::sharelsp_lsp PROPERTIES
        IMPORTED_LOCATION "${_sharelsp_lib}/libsharelsp_lsp.a"
        INTERFACE_INCLUDE_DIRECTORIES "${_sharelsp_include}"
        INTERFACE_LINK_LIBRARIES "ShareLSP::sharelsp_core;ws2_32;user32;ntdll;advapi32")
endif()
set(SHARELSP_LAYER_LIBRARY ShareLSP::sharelsp_lsp)
set(SHARELSP_LAYER_DEF "${CMAKE_CURRENT_LIST_DIR}/layer.def")
include("${CMAKE_CURRENT_LIST_DIR}/SharelspLayer.cmake")

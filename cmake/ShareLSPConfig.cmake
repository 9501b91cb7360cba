# find_package(ShareLSP) in an author's project: the provider library
# (ShareLSP::sharelsp_lsp) and sharelsp_add_layer (SharelspLayer.cmake), from
# an install tree of ShareLSP built for the same Windows bitness.
include("${CMAKE_CURRENT_LIST_DIR}/ShareLSPTargets.cmake")
set(SHARELSP_LAYER_LIBRARY ShareLSP::sharelsp_lsp)
set(SHARELSP_LAYER_DEF "${CMAKE_CURRENT_LIST_DIR}/layer.def")
include("${CMAKE_CURRENT_LIST_DIR}/SharelspLayer.cmake")

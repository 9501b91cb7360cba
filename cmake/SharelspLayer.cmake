# sharelsp_add_layer(NAME SOURCES file... GUID {guid} [DESCRIPTION text])
#
# Builds NAME.dll: ShareLSP's provider code (the static library sharelsp_lsp)
# with the author's layer, the sources that define SHARELSP_LAYER
# (include/sharelsp/layer.h). GUID is the provider GUID the layer is installed
# under, DESCRIPTION its name in the catalog (default: NAME); beside the DLL
# the function writes NAME-install.cmd, the sharelsp-install command line
# that installs it (docs/writing-a-layer.md). Works in ShareLSP's own tree
# and, after find_package(ShareLSP), in an author's.
function(sharelsp_add_layer name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "GUID;DESCRIPTION" "SOURCES")
    if(NOT arg_SOURCES OR NOT arg_GUID)
        message(FATAL_ERROR "sharelsp_add_layer(${name}): SOURCES and GUID are required")
    endif()
    # CMake's regular expressions have no {n}: the hex digits are spelled out.
    string(REPEAT "[0-9a-fA-F]" 4 hex4)
    if(NOT arg_GUID MATCHES "^{${hex4}${hex4}-${hex4}-${hex4}-${hex4}-${hex4}${hex4}${hex4}}$")
        message(FATAL_ERROR "sharelsp_add_layer(${name}): GUID must read {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}")
    endif()
    if(NOT arg_DESCRIPTION)
        set(arg_DESCRIPTION "${name}")
    endif()
    add_library(${name} SHARED ${arg_SOURCES} "${SHARELSP_LAYER_DEF}")
    set_target_properties(${name} PROPERTIES PREFIX "" OUTPUT_NAME ${name})
    # Whole: only the .def asks for WSPStartup, and an export does not pull
    # an archive's member (CMake 3.24 or later).
    target_link_libraries(${name} PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${SHARELSP_LAYER_LIBRARY}>")
    # No libgcc DLL to ship beside it: ws2_32 loads it into every Winsock program.
    target_link_options(${name} PRIVATE -static-libgcc)
    if(CMAKE_SIZEOF_VOID_P EQUAL 4)
        # WSPStartup is __stdcall: the plain .def name finds _WSPStartup@N.
        target_link_options(${name} PRIVATE -Wl,--enable-stdcall-fixup)
    endif()
    # A 64-bit Windows needs both halves (docs/install.md): the 64-bit line
    # names the 32-bit DLL where the release package puts it, bin\x86.
    set(path32 "")
    if(CMAKE_SIZEOF_VOID_P EQUAL 8)
        set(path32 " --path32 \"%~dp0..\\x86\\${name}.dll\"")
    endif()
    # The installer beside the script (the release package puts both in
    # bin\x64 or bin\x86), else the one on PATH (an author's own build).
    set(lines
        "@rem Installs ${name}.dll (built by sharelsp_add_layer) in the Winsock catalog."
        "@setlocal"
        "@set \"installer=%~dp0sharelsp-install.exe\""
        "@if not exist \"%installer%\" set \"installer=sharelsp-install.exe\""
        "@\"%installer%\" install --path \"%~dp0${name}.dll\"${path32} --guid ${arg_GUID} --name \"${arg_DESCRIPTION}\" %*")
    list(JOIN lines "\n" content)
    file(GENERATE OUTPUT "$<TARGET_FILE_DIR:${name}>/${name}-install.cmd" CONTENT "${content}\n"
         NEWLINE_STYLE CRLF)
endfunction()

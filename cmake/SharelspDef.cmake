# .def files for both bitnesses. On x86_64 names are plain. On x86 the WSP and
# Winsock functions are __stdcall (WSPAPI, WSAAPI), so the linker sees
# _name@N: every DLL is linked with --enable-stdcall-fixup (a plain .def name
# finds its decorated function: ws2_32 looks providers' WSPStartup up by its
# plain name), and a DLL whose import library programs link against (wsphost)
# gets a decorated .def from sharelsp_def and --kill-at.
if(CMAKE_SIZEOF_VOID_P EQUAL 4)
    set(SHARELSP_X86 ON)
    add_link_options(-Wl,--enable-stdcall-fixup)
    find_file(SHARELSP_MINGW_WS2_32 libws2_32.a PATHS /usr/${SHARELSP_MINGW_TRIPLE}/lib NO_DEFAULT_PATH REQUIRED)
else()
    set(SHARELSP_X86 OFF)
endif()

# sharelsp_def(OUT OBJECTS target DEFS def...): OUT is made from the DEFS; on
# x86 decorated from the OBJECTS library's objects and mingw's libws2_32.a.
function(sharelsp_def out)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "OBJECTS" "DEFS")
    set(nm_args "")
    set(deps ${arg_DEFS} "${PROJECT_SOURCE_DIR}/cmake/def-stdcall.cmake")
    if(SHARELSP_X86)
        set(symbols "${SHARELSP_MINGW_WS2_32}")
        if(arg_OBJECTS)
            set(symbols "$<JOIN:$<TARGET_OBJECTS:${arg_OBJECTS}>,|>|${symbols}")
            list(APPEND deps "$<TARGET_OBJECTS:${arg_OBJECTS}>")
        endif()
        set(nm_args "-DNM=${CMAKE_NM}" "-DSYMBOLS=${symbols}")
    endif()
    string(REPLACE ";" "|" defs "${arg_DEFS}")
    add_custom_command(OUTPUT "${out}"
        COMMAND "${CMAKE_COMMAND}" "-DDEFS=${defs}" "-DOUT=${out}" ${nm_args}
                -P "${PROJECT_SOURCE_DIR}/cmake/def-stdcall.cmake"
        DEPENDS ${deps}
        COMMENT "Export list ${out}"
        VERBATIM)
endfunction()

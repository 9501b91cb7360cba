# cmake -P def-stdcall.cmake: writes OUT, the concatenation of the .def files
# in DEFS, without their comments (";"-separated; the LIBRARY and EXPORTS lines of the first only).
# With NM set (32-bit x86), each exported name that is a __stdcall function
# (WSPAPI, WSAAPI) gets its decoration, name@N, as nm shows it in SYMBOLS (the
# DLL's objects, and mingw's libws2_32.a for names forwarded to ws2_32); the
# DLL is then linked with --kill-at, so it exports the plain name while its
# import library carries _name@N, which is what callers compiled for x86 refer
# to. "a == b" lines (an import under another name) take b's decoration;
# "a=f" lines (a exported as our function f) take f's, on both names.
# Lists come "|"-separated: a ";" does not survive the command line.
string(REPLACE "|" ";" DEFS "${DEFS}")
string(REPLACE "|" ";" SYMBOLS "${SYMBOLS}")
set(text "")
set(first TRUE)
foreach(def IN LISTS DEFS)
    # Comments go first: a ";" would split CMake's list of lines.
    file(READ "${def}" content)
    string(REGEX REPLACE ";[^\n]*" "" content "${content}")
    string(REPLACE "\n" ";" lines "${content}")
    foreach(line IN LISTS lines)
        if(NOT first AND line MATCHES "^(LIBRARY|EXPORTS)")
            continue()
        endif()
        string(APPEND text "${line}\n")
    endforeach()
    set(first FALSE)
endforeach()
if(NM)
    set(at "")
    foreach(file IN LISTS SYMBOLS)
        execute_process(COMMAND "${NM}" -g --defined-only "${file}" OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_QUIET)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR "def-stdcall: ${NM} failed on ${file}")
        endif()
        string(REGEX MATCHALL " T _[A-Za-z0-9_]+@[0-9]+" found "${out}")
        foreach(f IN LISTS found)
            string(REGEX REPLACE " T _([A-Za-z0-9_]+)@([0-9]+)" "\\1;\\2" pair "${f}")
            list(GET pair 0 name)
            list(GET pair 1 bytes)
            if(NOT DEFINED "at_${name}")
                set("at_${name}" "${bytes}")
            endif()
        endforeach()
    endforeach()
    set(decorated "")
    string(REPLACE "\n" ";" lines "${text}")
    foreach(line IN LISTS lines)
        if(line MATCHES "^([ \t]+)([A-Za-z_][A-Za-z0-9_]*)([ \t]*==[ \t]*)([A-Za-z_][A-Za-z0-9_]*)(.*)$")
            set(key "${CMAKE_MATCH_4}")
        elseif(line MATCHES "^([ \t]+)([A-Za-z_][A-Za-z0-9_]*)(.*)$")
            set(key "${CMAKE_MATCH_2}")
        else()
            string(APPEND decorated "${line}\n")
            continue()
        endif()
        if(line MATCHES "^([ \t]+)([A-Za-z_][A-Za-z0-9_]*)=([A-Za-z_][A-Za-z0-9_]*)(.*)$"
           AND DEFINED "at_${CMAKE_MATCH_3}")
            # "name=function": the function the export names is ours, and
            # __stdcall: both take its decoration.
            set(at "${at_${CMAKE_MATCH_3}}")
            string(APPEND decorated "${CMAKE_MATCH_1}${CMAKE_MATCH_2}@${at}=${CMAKE_MATCH_3}@${at}${CMAKE_MATCH_4}\n")
        elseif(line MATCHES "^([ \t]+)([A-Za-z_][A-Za-z0-9_]*)(.*)$" AND DEFINED "at_${key}")
            string(APPEND decorated "${CMAKE_MATCH_1}${CMAKE_MATCH_2}@${at_${key}}${CMAKE_MATCH_3}\n")
        else()
            string(APPEND decorated "${line}\n")
        endif()
    endforeach()
    set(text "${decorated}")
endif()
file(WRITE "${OUT}.tmp" "${text}")
execute_process(COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${OUT}.tmp" "${OUT}")
file(REMOVE "${OUT}.tmp")

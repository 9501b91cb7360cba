# SHARELSP_SANITIZE: "" | "address,undefined" | "thread" — applied to every native target.
set(SHARELSP_SANITIZE "" CACHE STRING "Sanitizers for the native build (address,undefined or thread)")
if(SHARELSP_SANITIZE)
    add_compile_options(-fsanitize=${SHARELSP_SANITIZE} -fno-sanitize-recover=all
                        -fno-omit-frame-pointer -g)
    add_link_options(-fsanitize=${SHARELSP_SANITIZE})
endif()

# SHARELSP_FUZZ (native-fuzz preset, clang): every native target gets libFuzzer's
# coverage instrumentation, so the fuzzers of tests/fuzz see inside the code
# they feed; only those link libFuzzer itself (-fsanitize=fuzzer).
option(SHARELSP_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only)" OFF)
if(SHARELSP_FUZZ)
    if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "SHARELSP_FUZZ needs clang (libFuzzer): use the native-fuzz preset")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# SHARELSP_SANITIZE: "" | "address,undefined" | "thread" — applied to every native target.
set(SHARELSP_SANITIZE "" CACHE STRING "Sanitizers for the native build (address,undefined or thread)")
if(SHARELSP_SANITIZE)
    add_compile_options(-fsanitize=${SHARELSP_SANITIZE} -fno-sanitize-recover=all
                        -fno-omit-frame-pointer -g)
    add_link_options(-fsanitize=${SHARELSP_SANITIZE})
endif()

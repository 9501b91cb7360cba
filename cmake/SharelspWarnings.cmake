# Warnings are errors for every target of ours, with host gcc and with mingw alike.
function(sharelsp_target_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
                                             -Wmissing-prototypes -Wpointer-arith -Wvla)
endfunction()

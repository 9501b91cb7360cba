# Windows programs run under Wine through cmake/wine-run.sh, in a prefix of this
# build tree. The "wine" fixture starts wineserver and boots the prefix before
# any Windows test and stops the server after the last one.
set(SHARELSP_WINEPREFIX "${CMAKE_BINARY_DIR}/wineprefix")
set(SHARELSP_WINE_RUN "${CMAKE_SOURCE_DIR}/cmake/wine-run.sh")
set(CMAKE_CROSSCOMPILING_EMULATOR "${SHARELSP_WINE_RUN};${SHARELSP_WINEPREFIX}")

# Adds a test that runs a Windows program under Wine, inside the wine fixture.
function(sharelsp_add_wine_test name target)
    add_test(NAME ${name} COMMAND ${target} ${ARGN})
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED wine TIMEOUT 300)
endfunction()

function(sharelsp_add_wine_fixture)
    add_test(NAME wine.start COMMAND ${CMAKE_SOURCE_DIR}/cmake/wine-server.sh start ${SHARELSP_WINEPREFIX})
    add_test(NAME wine.stop COMMAND ${CMAKE_SOURCE_DIR}/cmake/wine-server.sh stop ${SHARELSP_WINEPREFIX})
    set_tests_properties(wine.start PROPERTIES FIXTURES_SETUP wine TIMEOUT 600)
    set_tests_properties(wine.stop PROPERTIES FIXTURES_CLEANUP wine TIMEOUT 120)
endfunction()

# sharelsp_add_standin_test(NAME TARGET CATALOG FRESH [ARGS...]): TARGET (a
# program linked against ws2_32, unchanged) run by wsphost-run with the
# stand-in ws2_32 over CATALOG, removed first if FRESH is 1.
function(sharelsp_add_standin_test name target catalog fresh)
    add_test(NAME ${name} COMMAND ${PROJECT_SOURCE_DIR}/cmake/wine-run-standin.sh ${SHARELSP_WINEPREFIX}
        ${CMAKE_BINARY_DIR}/bin/wsphost-run $<TARGET_FILE:${target}> ${ARGN})
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED wine TIMEOUT 300
        ENVIRONMENT "WSPHOST_CATALOG=${catalog};WSPHOST_CATALOG_FRESH=${fresh}")
endfunction()

# The release package (x86_64 build): a ZIP with both bitnesses, made by
# `cmake --build --preset windows --target package` after the x86 build is
# installed (`cmake --install build/windows-x86`; scripts/main.sh does both):
#   bin/x64, lib/x64     this build's DLLs and programs, import libraries, the
#                        layer kit (provider library, CMake package)
#   bin/x86, lib/x86     the x86 build's, from its install tree
#   include/, docs/, LICENSE, README.md
# Its rules are of the component "package" alone, left out of a plain
# `cmake --install`, which keeps filling install/ with bin, lib and include.
# SHARELSP_X86_INSTALL_DIR: the x86 build's install tree (CMakeLists.txt).

install(CODE "
if(NOT EXISTS \"${SHARELSP_X86_INSTALL_DIR}/bin/sharelsp.dll\")
    message(FATAL_ERROR \"package: no x86 build in ${SHARELSP_X86_INSTALL_DIR}: run cmake --preset windows-x86, cmake --build --preset windows-x86 and cmake --install build/windows-x86 first\")
endif()" COMPONENT package EXCLUDE_FROM_ALL)
install(TARGETS sharelsp sharelsp-install wsphost wspbase sharelsp-demo sharelsp-probe firewall monitor
    RUNTIME DESTINATION bin/x64 COMPONENT package EXCLUDE_FROM_ALL
    ARCHIVE DESTINATION lib/x64 COMPONENT package EXCLUDE_FROM_ALL)
# The layer kit of this bitness, as the x86 half has it in lib/x86.
install(TARGETS sharelsp_lsp sharelsp_core ARCHIVE DESTINATION lib/x64 COMPONENT package EXCLUDE_FROM_ALL)
install(FILES ${SHARELSP_LAYER_KIT_FILES} DESTINATION lib/x64/cmake/ShareLSP COMPONENT package EXCLUDE_FROM_ALL)
# The example layers' install lines and rule file, as the x86 half has them.
install(FILES "$<TARGET_FILE_DIR:firewall>/firewall-install.cmd" "$<TARGET_FILE_DIR:monitor>/monitor-install.cmd"
              examples/firewall/firewall.rules.example
        DESTINATION bin/x64 COMPONENT package EXCLUDE_FROM_ALL)
# The stand-in and wsphost-run are for Wine alone: neither bitness ships them.
install(DIRECTORY "${SHARELSP_X86_INSTALL_DIR}/bin/" DESTINATION bin/x86 COMPONENT package EXCLUDE_FROM_ALL
    PATTERN standin EXCLUDE PATTERN wsphost-run EXCLUDE PATTERN wsphost-launch.exe EXCLUDE)
install(DIRECTORY "${SHARELSP_X86_INSTALL_DIR}/lib/" DESTINATION lib/x86 COMPONENT package EXCLUDE_FROM_ALL)
install(DIRECTORY include/ DESTINATION include COMPONENT package EXCLUDE_FROM_ALL)
install(DIRECTORY docs/ DESTINATION docs COMPONENT package EXCLUDE_FROM_ALL)
install(FILES LICENSE README.md DESTINATION . COMPONENT package EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR ZIP)
set(CPACK_PACKAGE_NAME ShareLSP)
set(CPACK_PACKAGE_VENDOR ShareLSP)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_FILE_NAME "ShareLSP-${PROJECT_VERSION}-windows")
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}/package")
set(CPACK_COMPONENTS_ALL package)
# One archive holding the "package" component alone.
set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY ON)
set(CPACK_COMPONENT_INCLUDE_TOPLEVEL_DIRECTORY ON)
include(CPack)

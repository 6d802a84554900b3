# SPDX-License-Identifier: MIT
# CPACK_PROJECT_CONFIG_FILE: read by cpack for each generator, at packaging time. The NSIS snippets
# are read here rather than at configure time because CPackConfig.cmake does not preserve the
# quotes in them.
if(CPACK_GENERATOR MATCHES "NSIS")
    file(READ "${CPACK_ZB_PACKAGING_DIR}/windows/nsis-install.nsh" CPACK_NSIS_EXTRA_INSTALL_COMMANDS)
    file(READ "${CPACK_ZB_PACKAGING_DIR}/windows/nsis-uninstall.nsh" CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS)
endif()

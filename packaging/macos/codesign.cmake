# SPDX-License-Identifier: MIT
# CPACK_PRE_BUILD_SCRIPTS on macOS: signs the deployed bundle in CPack's staging directory before
# the disk image is made, with the hardened runtime and packaging/macos/entitlements.plist.
# Without MACOS_SIGNING_IDENTITY in the environment it says so and leaves the bundle unsigned
# (macdeployqt's ad-hoc signature stays, which is what Apple Silicon needs to run it locally).
set(_identity "$ENV{MACOS_SIGNING_IDENTITY}")
file(GLOB_RECURSE _apps LIST_DIRECTORIES true "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*.app")
list(FILTER _apps INCLUDE REGEX "\\.app$")
if(_identity STREQUAL "")
    message(STATUS "codesign: MACOS_SIGNING_IDENTITY not set: the bundle stays unsigned")
    return()
endif()
foreach(_app IN LISTS _apps)
    message(STATUS "codesign: signing ${_app}")
    execute_process(COMMAND codesign --force --deep --timestamp --options runtime
            --entitlements "${CMAKE_CURRENT_LIST_DIR}/entitlements.plist"
            --sign "${_identity}" "${_app}"
        RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "codesign failed for ${_app}")
    endif()
    execute_process(COMMAND codesign --verify --strict --verbose=2 "${_app}" RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "codesign --verify failed for ${_app}")
    endif()
endforeach()

# SPDX-License-Identifier: MIT
# zb_add_test(NAME testFoo SOURCES testFoo.cpp LIBS bridge_core [LABELS unit])
# One Qt Test executable per class; tests run offscreen with a throw-away HOME-free config.
function(zb_add_test)
    cmake_parse_arguments(ARG "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${ARG_NAME} ${ARG_SOURCES})
    target_link_libraries(${ARG_NAME} PRIVATE Qt6::Test zb_compile_policy ${ARG_LIBS})
    target_compile_definitions(${ARG_NAME} PRIVATE
        ZB_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
    add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
    set_tests_properties(${ARG_NAME} PROPERTIES
        LABELS "${ARG_LABELS}"
        TIMEOUT 300
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_FORCE_STDERR_LOGGING=1;LC_ALL=C.UTF-8")
endfunction()

# SPDX-License-Identifier: MIT
# The compile policy every ZaiBridge target links: one place for the standard, warnings and the
# Qt string rules (no implicit ASCII casts, QStringBuilder, context-bound connects).
add_library(zb_compile_policy INTERFACE)
target_compile_features(zb_compile_policy INTERFACE cxx_std_17)
target_compile_definitions(zb_compile_policy INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    ZB_VERSION="${PROJECT_VERSION}")
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(zb_compile_policy INTERFACE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
        -Wimplicit-fallthrough)
    if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        # Qt 6.4's qCDebug() family expands to an empty variadic argument list.
        target_compile_options(zb_compile_policy INTERFACE -Wno-gnu-zero-variadic-macro-arguments)
    endif()
    if(ZB_WERROR)
        target_compile_options(zb_compile_policy INTERFACE -Werror)
    endif()
    if(ZB_FUZZ)
        # Coverage feedback for libFuzzer in everything the fuzz targets link.
        target_compile_options(zb_compile_policy INTERFACE -fsanitize=fuzzer-no-link)
    endif()
    if(ZB_SANITIZERS)
        target_compile_options(zb_compile_policy INTERFACE
            -fsanitize=${ZB_SANITIZERS} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_link_options(zb_compile_policy INTERFACE -fsanitize=${ZB_SANITIZERS})
    endif()
elseif(MSVC)
    target_compile_options(zb_compile_policy INTERFACE /W4 /permissive- /utf-8)
    if(ZB_WERROR)
        target_compile_options(zb_compile_policy INTERFACE /WX)
    endif()
endif()

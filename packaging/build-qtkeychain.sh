#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds QtKeychain (not part of Qt) from a pinned tag against the Qt on CMAKE_PREFIX_PATH /
# QT_ROOT_DIR and installs it into PREFIX. Used by the release workflow on Windows, macOS and for
# the AppImage:  bash packaging/build-qtkeychain.sh TAG PREFIX
# Windows: a DLL (installed next to zaibridge.exe by CMake, since windeployqt does not know it).
# macOS: a static library, so that the bundle has no extra dylib to relocate.
set -euo pipefail
tag=${1:?usage: build-qtkeychain.sh TAG PREFIX}
prefix=${2:?usage: build-qtkeychain.sh TAG PREFIX}
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT

git clone --quiet --depth 1 --branch "${tag}" https://github.com/frankosterfeld/qtkeychain.git "${work}/src"
shared=ON
[[ "$(uname -s)" == Darwin ]] && shared=OFF
cmake -S "${work}/src" -B "${work}/build" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_WITH_QT6=ON -DBUILD_TRANSLATIONS=OFF -DBUILD_TEST_APPLICATION=OFF \
    -DBUILD_SHARED_LIBS="${shared}" -DCMAKE_INSTALL_PREFIX="${prefix}" \
    ${QT_ROOT_DIR:+-DCMAKE_PREFIX_PATH="${QT_ROOT_DIR}"}
cmake --build "${work}/build" --config Release --parallel
cmake --install "${work}/build" --config Release
echo "QtKeychain ${tag} installed in ${prefix}"

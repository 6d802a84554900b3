#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The AppImage recipe for the tray app (with zaibridge-server inside): builds against the Qt in
# QT_ROOT_DIR (the release workflow installs Qt 6.8 there) and QtKeychain from its pinned tag, then
# bundles Qt with linuxdeploy and its Qt plugin. Needs: cmake, ninja, git, libsecret-1-dev, FUSE 2
# (to run the linuxdeploy AppImages). Output: build/appimage/ZaiBridge-VERSION-x86_64.AppImage
#   QT_ROOT_DIR=...            required (set by jurplel/install-qt-action)
#   QTKEYCHAIN_TAG=0.15.0      QtKeychain version
#   LINUXDEPLOY_TAG=...        linuxdeploy and linuxdeploy-plugin-qt release tags to download
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${QT_ROOT_DIR:?set QT_ROOT_DIR to the Qt 6 installation}"
QTKEYCHAIN_TAG=${QTKEYCHAIN_TAG:-0.15.0}
LINUXDEPLOY_TAG=${LINUXDEPLOY_TAG:-1-alpha-20250213-2}
LINUXDEPLOY_QT_TAG=${LINUXDEPLOY_QT_TAG:-1-alpha-20250213-1}
out=$(pwd)/build/appimage
tools=${out}/tools
appdir=${out}/AppDir
keychain=${out}/qtkeychain
rm -rf "${appdir}"
mkdir -p "${tools}"

bash packaging/build-qtkeychain.sh "${QTKEYCHAIN_TAG}" "${keychain}"

cmake -S . -B "${out}/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DZB_BUILD_TESTS=OFF \
    -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_PREFIX_PATH="${QT_ROOT_DIR};${keychain}"
cmake --build "${out}/build"
DESTDIR="${appdir}" cmake --install "${out}/build" --strip

fetch() {  # url file
    [[ -x "${tools}/$2" ]] || { curl -fsSL -o "${tools}/$2" "$1"; chmod +x "${tools}/$2"; }
}
fetch "https://github.com/linuxdeploy/linuxdeploy/releases/download/${LINUXDEPLOY_TAG}/linuxdeploy-x86_64.AppImage" \
    linuxdeploy-x86_64.AppImage
fetch "https://github.com/linuxdeploy/linuxdeploy-plugin-qt/releases/download/${LINUXDEPLOY_QT_TAG}/linuxdeploy-plugin-qt-x86_64.AppImage" \
    linuxdeploy-plugin-qt-x86_64.AppImage

version=$(sed -n 's/^    VERSION \([0-9.]*\)$/\1/p' CMakeLists.txt | head -n 1)
export QMAKE="${QT_ROOT_DIR}/bin/qmake"
export LD_LIBRARY_PATH="${keychain}/lib:${keychain}/lib64:${QT_ROOT_DIR}/lib${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}"
export EXTRA_PLATFORM_PLUGINS="libqoffscreen.so"
export LINUXDEPLOY_OUTPUT_VERSION="${version}"
cd "${out}"
"${tools}/linuxdeploy-x86_64.AppImage" --appdir "${appdir}" \
    --executable "${appdir}/usr/bin/zaibridge" --executable "${appdir}/usr/bin/zaibridge-server" \
    --desktop-file "${appdir}/usr/share/applications/zaibridge.desktop" \
    --icon-file "${appdir}/usr/share/icons/hicolor/256x256/apps/zaibridge.png" \
    --plugin qt --output appimage
ls -l "${out}"/*.AppImage

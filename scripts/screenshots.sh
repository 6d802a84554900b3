#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Saves the README's screenshots in docs/screenshots/: the tray menu in a real X server (Xvfb with
# the trayer tray host), the state icons, every settings page, the request log, and the Z.AI
# window showing the fake upstream's captcha challenge. Builds the tests that take them
# (build/ci) first.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/ci/build.ninja ]] || cmake --preset ci >/dev/null
cmake --build --preset ci --target testTrayXvfb testZaiWindow -- --quiet
mkdir -p docs/screenshots
export ZB_SCREENSHOT_DIR=$(pwd -P)/docs/screenshots
bash tests/gui/run-with-xvfb-tray.sh build/ci/tests/gui/testTrayXvfb
# Qt WebEngine as root in Xvfb: without Chromium's sandbox and with software rendering, as in
# the test's ctest environment (tests/zaiwindow/CMakeLists.txt); never in the product.
QTWEBENGINE_DISABLE_SANDBOX=1 \
QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu --disable-gpu-compositing" \
LIBGL_ALWAYS_SOFTWARE=1 QT_QUICK_BACKEND=software \
    bash tests/gui/run-with-xvfb-tray.sh build/ci/tests/zaiwindow/testZaiWindow \
    challengeBringsTheWindowAndWaitsForTheHuman
ls -1 docs/screenshots

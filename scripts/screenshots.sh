#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Saves the README's screenshots in docs/screenshots/: the tray menu in a real X server (Xvfb with
# the trayer tray host), the state icons, every settings page and the request log. Builds the
# test that takes them (build/ci) first.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/ci/build.ninja ]] || cmake --preset ci >/dev/null
cmake --build --preset ci --target testTrayXvfb -- --quiet
mkdir -p docs/screenshots
ZB_SCREENSHOT_DIR=$(pwd -P)/docs/screenshots \
    bash tests/gui/run-with-xvfb-tray.sh build/ci/tests/gui/testTrayXvfb
ls -1 docs/screenshots

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the dependencies, builds a Release build in build/release and runs ZaiBridge with the
# given arguments: the tray app (build/release/src/app/zaibridge) once it exists, otherwise, or
# with ZB_HEADLESS=1, the headless zaibridge-server.
set -euo pipefail

cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

log=$(mktemp -t zb-configure-release.XXXXXX.log)
if ! cmake --preset release >"${log}" 2>&1; then
    cat "${log}" >&2
    rm -f "${log}"
    exit 1
fi
rm -f "${log}"
cmake --build --preset release -j "$(nproc)" -- --quiet

app=build/release/src/app/zaibridge
server=build/release/src/headless/zaibridge-server
if [[ -x "${app}" && "${ZB_HEADLESS:-0}" != 1 ]]; then
    exec "${app}" "$@"
fi
exec "${server}" "$@"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a command in a private Xvfb display with trayer as the system tray host, a throw-away HOME
# and the xcb platform:  tests/gui/run-with-xvfb-tray.sh ./testTrayXvfb
set -euo pipefail
for tool in Xvfb trayer; do
    command -v "${tool}" >/dev/null || { echo "run-with-xvfb-tray: ${tool} is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
work=$(mktemp -d -t zb-xvfb.XXXXXX)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "${pid}" 2>/dev/null || true; done
    rm -rf "${work}"
}
trap cleanup EXIT
# -displayfd: Xvfb picks a free display number and writes it once it accepts connections.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"${work}/display" >"${work}/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    [[ -s "${work}/display" ]] && break
    sleep 0.1
done
[[ -s "${work}/display" ]] || { echo "run-with-xvfb-tray: Xvfb did not start" >&2; cat "${work}/xvfb.log" >&2; exit 1; }
export DISPLAY=:$(head -n 1 "${work}/display")
mkdir -p -m 700 "${work}/home" "${work}/runtime"
export HOME=${work}/home XDG_RUNTIME_DIR=${work}/runtime XDG_CONFIG_HOME=${work}/home/.config
export QT_QPA_PLATFORM=xcb
trayer --edge top --align right --widthtype request --height 28 --SetDockType true \
    --transparent false --tint 0x2b2b2b --expand true >"${work}/trayer.log" 2>&1 &
pids+=($!)
rc=0
"$@" || rc=$?
exit "${rc}"

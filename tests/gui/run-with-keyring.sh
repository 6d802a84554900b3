#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (the Secret
# Service) and a throw-away HOME, so a keychain test touches no real keyring.
#   tests/gui/run-with-keyring.sh ./testKeychain
set -euo pipefail
for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "${tool}" >/dev/null || { echo "run-with-keyring: ${tool} is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
home=$(mktemp -d -t zb-keyring-home.XXXXXX)
trap 'rm -rf "${home}"' EXIT
export HOME=${home} XDG_DATA_HOME=${home}/.local/share XDG_CONFIG_HOME=${home}/.config
export XDG_CACHE_HOME=${home}/.cache XDG_RUNTIME_DIR=${home}/runtime
mkdir -p -m 700 "${XDG_RUNTIME_DIR}" "${XDG_DATA_HOME}/keyrings"
unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
# The daemon ends with the session bus, when the test has finished.
dbus-run-session -- sh -c '
    eval "$(printf zb-test-password | gnome-keyring-daemon --daemonize --unlock --components=secrets)"
    export GNOME_KEYRING_CONTROL
    "$@"
' sh "$@"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark against the Qt 6.8 build (the Qt of the Windows and macOS installers), run inside
# the Debian trixie chroot that scripts/qt68-check.sh makes (build/qt68-root; run that first).
# Installs nginx in the chroot if needed, builds zaibridge-server, fake-zai-upstream and zb-bench
# in Release mode at /build/bench68 inside the chroot and runs bench/run.sh there. The source tree
# is mounted read-only, so docs/performance.md is never written: the tables are printed.
#
# Usage: bench/run-qt68.sh [bench/run.sh options, e.g. -- --phases latency,cpu]
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$(pwd -P)
if [[ ${EUID} -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "run-qt68: needs root (mount, chroot)" >&2; exit 1; }
    exec sudo --preserve-env=ZB_QT68_ROOT bash "$0" "$@"
fi
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH}"
ROOT=$(realpath -m "${ZB_QT68_ROOT:-${SRC}/build/qt68-root}")
[[ -f "${ROOT}/.zb-bootstrapped" ]] || { echo "run-qt68: no chroot at ${ROOT}: run scripts/qt68-check.sh first" >&2; exit 1; }

exec 9>"${ROOT}.lock"
flock -n 9 || { echo "run-qt68: another script is using ${ROOT}" >&2; exit 1; }
# shellcheck source=scripts/lib/chroot.sh
source "${SRC}/scripts/lib/chroot.sh"
cleanup() {
    trap - EXIT INT TERM
    stop_child
    unmount_under "${ROOT}" || echo "run-qt68: WARNING: could not unmount everything under ${ROOT}" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
unmount_under "${ROOT}" || { echo "run-qt68: stale mounts under ${ROOT}" >&2; exit 1; }
mount_source_tree "${ROOT}" "${SRC}"
mkdir -p "${ROOT}/tmp" && chmod 1777 "${ROOT}/tmp"

in_root() {
    in_chroot "${ROOT}" "$@"
}
if ! in_root test -x /usr/sbin/nginx; then
    echo "run-qt68: installing nginx-light in the chroot" >&2
    rm -f "${ROOT}/etc/resolv.conf"
    cp -L /etc/resolv.conf "${ROOT}/etc/resolv.conf"
    in_root apt-get -q -y update >/dev/null
    in_root apt-get -q -y -o Dpkg::Use-Pty=0 install --no-install-recommends nginx-light procps >/dev/null
fi
in_root bash /src/bench/run.sh --build-dir /build/bench68 --no-doc "$@"

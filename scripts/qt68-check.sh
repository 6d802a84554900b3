#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the source tree against Qt 6.8 with -Werror and runs its tests, inside a Debian trixie
# chroot (build/qt68-root, made by debootstrap on first use and reused while complete).
# The source tree is bind-mounted read-only at /src; the build lives in the chroot at /build/qt68.
# Everything mounted is unmounted on exit, failure and interruption included.
#
#   ZB_QT68_BUILD_TESTS=OFF   build without the tests (default ON: build and run ctest)
#   ZB_QT68_ROOT=DIR          where the chroot lives (default build/qt68-root)
#   ZB_DEBIAN_MIRROR=URL      default http://deb.debian.org/debian
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$(pwd -P)

if [[ ${EUID} -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "qt68-check: needs root (mount, chroot)" >&2; exit 1; }
    exec sudo --preserve-env=ZB_QT68_BUILD_TESTS,ZB_QT68_ROOT,ZB_DEBIAN_MIRROR bash "$0" "$@"
fi
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH}"

SUITE=trixie
MIRROR=${ZB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
ROOT=$(realpath -m "${ZB_QT68_ROOT:-${SRC}/build/qt68-root}")
BUILD_TESTS=${ZB_QT68_BUILD_TESTS:-ON}
LOGDIR=${SRC}/build/qt68-logs
PACKAGES=(g++ cmake ninja-build qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev
          qtkeychain-qt6-dev libsecret-1-0 libgl-dev qt6-qpa-plugins qt6-translations-l10n
          # the tray app's Z.AI window
          qt6-webengine-dev
          # the GUI tests: keychain (session bus + Secret Service) and the tray under Xvfb
          dbus gnome-keyring xvfb trayer fonts-dejavu-core)

say() { printf 'qt68: %s\n' "$*"; }
die() { printf 'qt68: ERROR: %s\n' "$*" >&2; exit 1; }
show_log() {  # a step failed: show the end of its log
    printf 'qt68: ERROR: %s failed; last lines of %s:\n' "$1" "$2" >&2
    tail -n "${3:-40}" "$2" >&2
    exit 1
}

[[ "${ROOT}" == /*/* && "${ROOT}" != "${SRC}" ]] || die "refusing to use '${ROOT}' as the chroot"
command -v debootstrap >/dev/null || die "debootstrap is missing: run scripts/install-deps.sh"
mkdir -p "${LOGDIR}" "$(dirname "${ROOT}")"

# One run at a time: a second run's cleanup would unmount the first run's mounts.
exec 9>"${ROOT}.lock"
flock -n 9 || die "another qt68-check is using ${ROOT}"

# shellcheck source=scripts/lib/chroot.sh
source "${SRC}/scripts/lib/chroot.sh"
unmount_all() { unmount_under "${ROOT}"; }
cleanup() {
    trap - EXIT INT TERM
    stop_child
    unmount_all || printf 'qt68: WARNING: could not unmount everything under %s\n' "${ROOT}" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

in_root() {  # runs a command in the chroot with a clean environment
    in_chroot "${ROOT}" "$@"
}

# A previous run killed with SIGKILL may have left mounts behind.
unmount_all || die "stale mounts under ${ROOT} cannot be removed"

# 1. The base system. A half-made chroot (no marker) is removed and made anew.
t0=${SECONDS}
if [[ ! -f "${ROOT}/.zb-bootstrapped" ]]; then
    if [[ -e "${ROOT}" ]]; then
        [[ -z "$(mounts_under "${ROOT}")" ]] || die "mounts remain under ${ROOT}; not removing it"
        rm -rf --one-file-system "${ROOT}"
    fi
    say "debootstrap --variant=minbase ${SUITE} (log: ${LOGDIR}/debootstrap.log)"
    run_child debootstrap --variant=minbase "${SUITE}" "${ROOT}" "${MIRROR}" >"${LOGDIR}/debootstrap.log" 2>&1 \
        || { unmount_all || true; show_log debootstrap "${LOGDIR}/debootstrap.log"; }
    unmount_all || die "debootstrap left mounts that cannot be removed"
    touch "${ROOT}/.zb-bootstrapped"
fi

mount_source_tree "${ROOT}" "${SRC}"

# 2. The packages; redone only when the list changes.
if [[ "$(cat "${ROOT}/.zb-packages" 2>/dev/null)" != "${PACKAGES[*]}" ]]; then
    say "installing ${PACKAGES[*]} (log: ${LOGDIR}/apt.log)"
    rm -f "${ROOT}/etc/resolv.conf"
    cp -L /etc/resolv.conf "${ROOT}/etc/resolv.conf"
    { in_root apt-get -q -y update \
        && in_root apt-get -q -y -o Dpkg::Use-Pty=0 install --no-install-recommends "${PACKAGES[@]}" \
        && in_root apt-get -q -y clean; } >"${LOGDIR}/apt.log" 2>&1 \
        || show_log "apt-get inside the chroot" "${LOGDIR}/apt.log"
    printf '%s' "${PACKAGES[*]}" >"${ROOT}/.zb-packages"
fi
# shellcheck disable=SC2016  # ${Version} is dpkg-query's field, not a shell expansion
say "chroot ready in $((SECONDS - t0))s: Qt $(in_root dpkg-query -W -f='${Version}' qt6-base-dev)," \
    "$(in_root g++ --version | head -n 1), cmake $(in_root cmake --version | sed -n '1s/.* //p')"

# 3. Configure and build with -Werror.
t0=${SECONDS}
in_root cmake -S /src -B /build/qt68 -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DZB_WERROR=ON -DZB_BUILD_TESTS="${BUILD_TESTS}" >"${LOGDIR}/configure.log" 2>&1 \
    || show_log "configure" "${LOGDIR}/configure.log" 80
if grep -q 'CMake Warning' "${LOGDIR}/configure.log"; then
    say "configure warnings:"; cat "${LOGDIR}/configure.log"
fi
# -k 0: on failure, report every file that does not compile on Qt 6.8, not only the first.
in_root cmake --build /build/qt68 -j "$(nproc)" -- --quiet -k 0 || die "build failed (Qt 6.8, -Werror)"
say "configure + build (ZB_BUILD_TESTS=${BUILD_TESTS}) took $((SECONDS - t0))s"

# 4. The tests.
if [[ "${BUILD_TESTS}" == ON ]]; then
    t0=${SECONDS}
    in_root ctest --test-dir /build/qt68 --output-on-failure --timeout 300 -j2 --no-tests=error
    say "ctest took $((SECONDS - t0))s"
fi

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what ZaiBridge needs to build, test and package, from the distribution's apt archive
# (Debian 12, Ubuntu 24.04). Idempotent and silent: when everything is present it never calls
# apt at all; otherwise one `apt-get update`, one `apt-get install`, output kept in a log that is
# shown only on failure.
set -euo pipefail

PACKAGES=(
    # toolchain
    build-essential cmake ninja-build pkg-config git ca-certificates curl
    # Qt 6 (the tray app needs Widgets, GL headers and QtKeychain; libsecret is its runtime backend)
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qtkeychain-qt6-dev libsecret-1-0 libgl-dev
    # the tray app's Z.AI window (a Qt WebEngine view of chat.z.ai; the headless server has none)
    qt6-webengine-dev
    # Qt's own strings (OK, Cancel, Apply, …) in Simplified Chinese for the tray app
    qt6-translations-l10n
    # the Qt 6.8 check (scripts/qt68-check.sh); the keyring verifies Debian's archive on Ubuntu too
    debootstrap debian-archive-keyring
    # packaging (scripts/package-check.sh): CPack's dpkg-shlibdeps, lintian, the desktop entry and
    # AppStream validators, gzip for the Debian changelog, makensis to compile the Windows
    # installer script
    dpkg-dev lintian desktop-file-utils appstream gzip nsis
    # GUI and keychain tests: a session bus, a Secret Service, an X server with a tray host (trayer)
    # for the tray test and screenshots, the xcb platform plugin, a font to draw with, and XTEST
    # for the tray test's real clicks (libxtst6, loaded at run time)
    dbus gnome-keyring xvfb trayer qt6-qpa-plugins fonts-dejavu-core libxtst6
)

log() { printf 'install-deps: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# One dpkg-query for the whole list (packages dpkg has never heard of are simply not printed).
declare -A INSTALLED=()
note_installed() {
    local status name
    while read -r status name; do
        [[ "${status}" == installed ]] && INSTALLED[${name%%:*}]=1
    done < <(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "$@" 2>/dev/null || true)
}
installed() { [[ -n "${INSTALLED[$1]:-}" ]]; }

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    die "this script needs a Debian or Ubuntu system (apt-get, dpkg-query)"
fi

SUDO=()
if [[ ${EUID} -ne 0 ]]; then
    command -v sudo >/dev/null || die "not root and sudo is not installed: run this script as root"
    SUDO=(sudo)
fi

APT_LOG=$(mktemp -t zb-install-deps.XXXXXX.log)
trap 'rm -f "${APT_LOG}"' EXIT
apt_failed() {
    log "ERROR: $1 failed; last lines of its output:"
    tail -n 40 "${APT_LOG}" >&2
    exit 1
}
apt_run() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 "$@" \
        >>"${APT_LOG}" 2>&1
}
UPDATED=0
apt_update() {
    ((UPDATED)) && return 0
    apt_run update || apt_failed "apt-get update"
    UPDATED=1
}

note_installed "${PACKAGES[@]}" clang
missing=()
for p in "${PACKAGES[@]}"; do
    installed "$p" || missing+=("$p")
done

# Node.js and npm from the distribution. A node that is already on PATH (NodeSource's nodejs,
# which bundles npm and conflicts with Debian's npm package) is kept.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

# clang with the matching compiler-rt (sanitizers, libFuzzer): the version that the `clang`
# metapackage points to, e.g. 14 on Debian 12 and 18 on Ubuntu 24.04.
clang_version_of() {  # reads a Depends line such as "clang-14 (>= 14~)"
    sed -n 's/.*\bclang-\([0-9][0-9]*\)\b.*/\1/p' | head -n 1
}
clang_ver=""
if installed clang; then
    clang_ver=$(dpkg-query -W -f='${Depends}' clang | clang_version_of)
fi
if [[ -z "${clang_ver}" ]]; then
    apt_update
    clang_ver=$(apt-cache depends clang 2>/dev/null | grep -E '^\s*Depends:' | clang_version_of)
    [[ -n "${clang_ver}" ]] || die "cannot tell which clang-N the 'clang' package installs (apt-cache depends clang)"
fi
note_installed "clang-${clang_ver}" "libclang-rt-${clang_ver}-dev"
for p in clang "clang-${clang_ver}" "libclang-rt-${clang_ver}-dev"; do
    installed "$p" || missing+=("$p")
done

if ((${#missing[@]})); then
    log "installing ${#missing[@]} package(s): ${missing[*]}"
    apt_update
    apt_run install --no-install-recommends "${missing[@]}" || apt_failed "apt-get install"
fi

# The end-to-end tests need Node.js 18 or newer; say so plainly, but do not stop a plain build.
if ! command -v node >/dev/null; then
    log "WARNING: node is not on PATH after installing nodejs: the end-to-end tests cannot run"
elif ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
    log "WARNING: Node.js $(node --version) is too old: the end-to-end tests need Node.js >= 18"
fi

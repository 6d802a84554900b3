#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Linux package and proves it (the `package` step of scripts/test.sh):
#   1. build/release (preset release) and `cpack -G DEB` into build/packages
#   2. lintian on the .deb: no errors (warnings are printed)
#   3. desktop-file-validate and appstreamcli validate on the files inside the .deb
#   4. the Windows installer script (CPack NSIS with packaging/windows/*.nsh) compiled by Debian's
#      makensis, with the Linux files as payload: a syntax check of what the Windows job builds
#   5. `apt-get install ./zaibridge_*.deb` in a clean Debian bookworm chroot (debootstrap, base
#      cached in build/deb-root-base, a fresh copy in build/deb-root on every run), then there:
#      `zaibridge-server --version`, the tray binary's `--version`, every library resolved, and the
#      installed server answering /health and a chat completion against fake-zai-upstream (taken
#      from build/ci, so the `build` step runs first).
# The Dockerfile, compose file and workflows are linted by scripts/lint-check.sh (the `lint` step).
# Everything mounted is unmounted on exit, failure and interruption included.
#
#   ZB_PACKAGE_ROOT=DIR       where the chroots live (default build/)
#   ZB_DEBIAN_MIRROR=URL      default http://deb.debian.org/debian
#   ZB_FAKE_BIN=PATH          fake-zai-upstream (default build/ci/tests/support/fake-zai-upstream)
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$(pwd -P)

if [[ ${EUID} -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "package-check: needs root (mount, chroot)" >&2; exit 1; }
    exec sudo --preserve-env=ZB_PACKAGE_ROOT,ZB_DEBIAN_MIRROR,ZB_FAKE_BIN,CI bash "$0" "$@"
fi
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH}"

SUITE=bookworm
MIRROR=${ZB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
BASE_DIR=$(realpath -m "${ZB_PACKAGE_ROOT:-${SRC}/build}")
BASE=${BASE_DIR}/deb-root-base
ROOT=${BASE_DIR}/deb-root
LOGDIR=${SRC}/build/package-logs
PKGDIR=${SRC}/build/packages
FAKE=${ZB_FAKE_BIN:-${SRC}/build/ci/tests/support/fake-zai-upstream}

say() { printf 'package: %s\n' "$*"; }
die() { printf 'package: ERROR: %s\n' "$*" >&2; exit 1; }
show_log() {
    printf 'package: ERROR: %s failed; last lines of %s:\n' "$1" "$2" >&2
    tail -n "${3:-40}" "$2" >&2
    exit 1
}
run() { printf '$ %s\n' "$*"; "$@"; }

for tool in cmake cpack lintian desktop-file-validate appstreamcli dpkg-deb dpkg-shlibdeps \
            debootstrap node curl makensis; do
    command -v "${tool}" >/dev/null || die "${tool} is missing: run scripts/install-deps.sh"
done
[[ -x "${FAKE}" ]] || die "missing ${FAKE}: the build step (preset ci) makes it"
[[ "${ROOT}" == /*/*/* && "${BASE}" == /*/*/* ]] || die "refusing to use '${ROOT}' as the chroot"
mkdir -p "${LOGDIR}" "${PKGDIR}" "${BASE_DIR}"

exec 9>"${ROOT}.lock"
flock -n 9 || die "another package check is using ${ROOT}"

# ---- mounts and children (scripts/lib/chroot.sh, shared with scripts/qt68-check.sh) ------------
# shellcheck source=scripts/lib/chroot.sh
source "${SRC}/scripts/lib/chroot.sh"
unmount_all() { unmount_under "${ROOT}" "${BASE}"; }
SERVICES=()   # process groups started in the chroot (the fake and the server)
BOOT_PID=""   # the background debootstrap's process group
cleanup() {
    trap - EXIT INT TERM
    stop_child
    if [[ -n "${BOOT_PID}" ]]; then
        kill -TERM -- "-${BOOT_PID}" 2>/dev/null || true
        sleep 2
        kill -KILL -- "-${BOOT_PID}" 2>/dev/null || true
    fi
    local pid
    for pid in "${SERVICES[@]}"; do kill -TERM -- "-${pid}" 2>/dev/null || true; done
    ((${#SERVICES[@]})) && sleep 1
    for pid in "${SERVICES[@]}"; do kill -KILL -- "-${pid}" 2>/dev/null || true; done
    unmount_all || printf 'package: WARNING: could not unmount everything under %s\n' "${BASE_DIR}" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
unmount_all || die "stale mounts under ${BASE_DIR} cannot be removed"

in_root() {  # a command in the chroot with a clean environment
    in_chroot "${ROOT}" "$@"
}

# ---- 0. the clean bookworm base, made in the background while the release build runs ----------
# (debootstrap waits on the network, the build on the CPU). A half-made base (no marker) is
# removed and made anew.
start_bootstrap() {
    [[ -f "${BASE}/.zb-bootstrapped" ]] && return 0
    if [[ -e "${BASE}" ]]; then rm -rf --one-file-system "${BASE}"; fi
    say "debootstrap --variant=minbase ${SUITE} ${MIRROR} in the background (log: ${LOGDIR}/debootstrap.log)"
    setsid debootstrap --variant=minbase "${SUITE}" "${BASE}" "${MIRROR}" \
        >"${LOGDIR}/debootstrap.log" 2>&1 &
    BOOT_PID=$!
}
finish_bootstrap() {
    local rc=0
    if [[ -n "${BOOT_PID}" ]]; then
        wait "${BOOT_PID}" || rc=$?
        BOOT_PID=""
        unmount_all || die "debootstrap left mounts that cannot be removed"
        ((rc == 0)) || show_log debootstrap "${LOGDIR}/debootstrap.log"
        touch "${BASE}/.zb-bootstrapped"
        say "debootstrap done"
    fi
}
start_bootstrap

# ---- 1. the release build and the .deb ---------------------------------------------------------
t0=${SECONDS}
say "cmake --preset release && cmake --build --preset release (log: ${LOGDIR}/build.log)"
{ cmake --preset release && cmake --build --preset release -j "$(nproc)" -- --quiet; } \
    >"${LOGDIR}/build.log" 2>&1 || show_log "the release build" "${LOGDIR}/build.log"
rm -f "${PKGDIR}"/zaibridge_*.deb
run_child cpack --config "${SRC}/build/release/CPackConfig.cmake" -G DEB -B "${PKGDIR}" \
    >"${LOGDIR}/cpack.log" 2>&1 || show_log "cpack -G DEB" "${LOGDIR}/cpack.log"
rm -rf "${PKGDIR}/_CPack_Packages"
debs=("${PKGDIR}"/zaibridge_*.deb)
[[ -f "${debs[0]}" && ${#debs[@]} -eq 1 ]] || die "cpack made no single zaibridge_*.deb in ${PKGDIR}"
DEB=${debs[0]}
say "built $(basename "${DEB}") ($(du -k "${DEB}" | cut -f1) KiB) in $((SECONDS - t0))s"
dpkg-deb --field "${DEB}" Package Version Architecture Depends Recommends | sed 's/^/  /'

# The version in the package is the one in CMakeLists.txt's project().
VERSION=$(sed -n 's/^    VERSION \([0-9.]*\)$/\1/p' CMakeLists.txt | head -n 1)
[[ -n "${VERSION}" ]] || die "cannot read the version from CMakeLists.txt"
[[ "$(dpkg-deb --field "${DEB}" Version)" == "${VERSION}-1" ]] \
    || die "the package's version is not ${VERSION}-1"

# ---- 2. lintian ----------------------------------------------------------------------------------
say "lintian"
# As an unprivileged user where possible: lintian warns when it runs as root.
as_user=()
if command -v runuser >/dev/null && id nobody >/dev/null 2>&1 \
        && runuser -u nobody -- test -r "${DEB}"; then
    as_user=(runuser -u nobody -- env HOME=/tmp)
fi
lintian_rc=0
"${as_user[@]}" lintian --fail-on error --display-info "${DEB}" >"${LOGDIR}/lintian.log" 2>&1 \
    || lintian_rc=$?
sed 's/^/  /' "${LOGDIR}/lintian.log"
((lintian_rc == 0)) || die "lintian reports errors (above)"
say "lintian: $(grep -c '^E:' "${LOGDIR}/lintian.log" || true) errors," \
    "$(grep -c '^W:' "${LOGDIR}/lintian.log" || true) warnings"

# ---- 3. the desktop entry and the AppStream metadata, as packaged --------------------------------
EXTRACT=$(mktemp -d -t zb-deb.XXXXXX)
trap 'rm -rf "${EXTRACT}"; cleanup' EXIT
dpkg-deb -x "${DEB}" "${EXTRACT}"
run desktop-file-validate "${EXTRACT}/usr/share/applications/zaibridge.desktop"
run appstreamcli validate --no-net --explain "${EXTRACT}"/usr/share/metainfo/*.metainfo.xml
for size in 16 22 24 32 48 64 128 256 512; do
    [[ -f "${EXTRACT}/usr/share/icons/hicolor/${size}x${size}/apps/zaibridge.png" ]] \
        || die "no ${size}x${size} icon in the package"
done
[[ -f "${EXTRACT}/usr/lib/systemd/user/zaibridge-server.service" ]] || die "no systemd user unit"

# ---- 4. the NSIS installer script -----------------------------------------------------------------
say "makensis: the Windows installer script (Linux payload; log: ${LOGDIR}/nsis.log)"
rm -rf "${PKGDIR}/nsis-check"
run_child cpack --config "${SRC}/build/release/CPackConfig.cmake" -G NSIS -B "${PKGDIR}/nsis-check" \
    >"${LOGDIR}/nsis.log" 2>&1 || {
        tail -n 20 "${PKGDIR}"/nsis-check/_CPack_Packages/*/NSIS/NSISOutput.log >&2 || true
        show_log "cpack -G NSIS" "${LOGDIR}/nsis.log"; }
grep -q 'MessageBox MB_YESNO|MB_ICONQUESTION "Open ZaiBridge automatically' \
    "${PKGDIR}"/nsis-check/_CPack_Packages/*/NSIS/project.nsi \
    || die "the open-at-login choice is missing from the installer script"
rm -rf "${PKGDIR}/nsis-check"

# ---- 5. a clean bookworm: install the .deb and run it --------------------------------------------
t0=${SECONDS}
finish_bootstrap
# A fresh copy of the untouched base on every run: nothing of an earlier run remains.
rm -rf --one-file-system "${ROOT}"
cp -a "${BASE}" "${ROOT}"
mkdir -p "${ROOT}/proc" "${ROOT}/dev" "${BASE_DIR}/deb-apt-archives/partial"
mount -t proc proc "${ROOT}/proc"
mount --bind /dev "${ROOT}/dev"
# Downloaded packages are kept between runs (the chroot itself is not).
mount --bind "${BASE_DIR}/deb-apt-archives" "${ROOT}/var/cache/apt/archives"
rm -f "${ROOT}/etc/resolv.conf"
cp -L /etc/resolv.conf "${ROOT}/etc/resolv.conf"
cp "${DEB}" "${ROOT}/tmp/"
cp "${FAKE}" "${ROOT}/tmp/fake-zai-upstream"
say "chroot ready in $((SECONDS - t0))s; apt-get install ./$(basename "${DEB}") (log: ${LOGDIR}/apt.log)"
{ in_root apt-get -q -y update \
    && in_root apt-get -q -y -o Dpkg::Use-Pty=0 -o APT::Keep-Downloaded-Packages=true \
        install --no-install-recommends "./tmp/$(basename "${DEB}")"; } >"${LOGDIR}/apt.log" 2>&1 \
    || show_log "apt-get install of the .deb in the clean chroot" "${LOGDIR}/apt.log"
say "installed in $((SECONDS - t0))s: $(grep -c '^Setting up' "${LOGDIR}/apt.log") packages set up"

got=$(in_root zaibridge-server --version)
say "installed zaibridge-server --version: ${got}"
[[ "${got}" == "zaibridge-server ${VERSION}" ]] || die "expected 'zaibridge-server ${VERSION}'"
if [[ -e "${ROOT}/usr/bin/zaibridge" ]]; then
    got=$(in_root env QT_QPA_PLATFORM=offscreen zaibridge --version)
    say "installed zaibridge --version: ${got}"
    [[ "${got}" == "zaibridge ${VERSION}" ]] || die "expected 'zaibridge ${VERSION}'"
    missing=$(in_root ldd /usr/bin/zaibridge /usr/bin/zaibridge-server | grep 'not found' || true)
    [[ -z "${missing}" ]] || die "unresolved libraries in the chroot: ${missing}"
fi

# The fake Z.AI upstream and the installed server, on free loopback ports. The chroot shares the
# host's network, so the checks below talk to them from outside with curl.
OUT=${LOGDIR}
start_in_root() {  # name command...: started in its own process group, output in OUT/name.{out,err}
    local name=$1; shift
    setsid chroot "${ROOT}" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp LC_ALL=C.UTF-8 "$@" \
        >"${OUT}/$name.out" 2>"${OUT}/$name.err" </dev/null &
    SERVICES+=($!)
}
wait_for() {  # name regex: the first match of regex in OUT/name.out (10 s at most)
    local i line
    for ((i = 0; i < 100; i++)); do
        line=$(grep -o -m 1 -E "$2" "${OUT}/$1.out" "${OUT}/$1.err" 2>/dev/null | head -n 1 | sed 's/^[^:]*://') || true
        [[ -n "${line}" ]] && { printf '%s' "${line}"; return 0; }
        sleep 0.1
    done
    printf 'package: ERROR: %s did not start; its output:\n' "$1" >&2
    cat "${OUT}/$1.out" "${OUT}/$1.err" >&2
    return 1
}
start_in_root fake /tmp/fake-zai-upstream --port 0 --chunks 4
FAKE_URL=$(wait_for fake 'http://127\.0\.0\.1:[0-9]+')
API_KEY=sk-package-check
start_in_root server sh -c "cd /tmp && exec env API_ENDPOINT='${FAKE_URL}/api/v2/chat/completions' \
    AUTH_TOKEN='${API_KEY}' MAX_RETRIES=1 zaibridge-server --port 0"
BASE_URL=$(wait_for server 'listening on http://127\.0\.0\.1:[0-9]+/v1' | sed 's/^listening on //')
say "installed server: ${BASE_URL} (upstream: fake at ${FAKE_URL})"

health=$(curl -sS --max-time 10 "${BASE_URL%/v1}/health")
printf '  GET /health -> %s\n' "${health}"
grep -q '"status" *: *"ok"' <<<"${health}" || die "/health did not report status ok"
grep -q "\"version\" *: *\"${VERSION}\"" <<<"${health}" || die "/health did not report version ${VERSION}"

answer=$(curl -sS --max-time 30 "${BASE_URL}/chat/completions" \
    -H "Authorization: Bearer ${API_KEY}" -H 'Content-Type: application/json' \
    -d '{"model":"GLM-4.7","messages":[{"role":"user","content":"Hello from the package check"}]}')
printf '  POST /v1/chat/completions -> %.300s\n' "${answer}"
node -e '
    const a = JSON.parse(process.argv[1]);
    const m = a.choices && a.choices[0] && a.choices[0].message;
    if (a.object !== "chat.completion" || !m || typeof m.content !== "string" || !m.content.length)
        process.exit(1);' "${answer}" || die "the chat completion is not a chat.completion with content"
# The container's HEALTHCHECK command, taken from the Dockerfile, against the installed server.
healthcheck=$(node -e '
    const text = require("fs").readFileSync(process.argv[1], "utf8").replace(/\\\n\s*/g, " ");
    const m = /^HEALTHCHECK .*? CMD (\[.*\])\s*$/m.exec(text);
    if (!m) process.exit(1);
    const argv = JSON.parse(m[1]);
    if (argv[0] !== "bash" || argv[1] !== "-c") process.exit(1);
    process.stdout.write(argv[2]);' packaging/docker/Dockerfile) \
    || die "no HEALTHCHECK CMD [\"bash\", \"-c\", ...] in packaging/docker/Dockerfile"
PORT=${BASE_URL##*:}; PORT=${PORT%/v1}
in_root env LISTEN_PORT="${PORT}" bash -c "${healthcheck}" \
    || die "the Dockerfile's HEALTHCHECK command fails against the installed server"
say "the Dockerfile's HEALTHCHECK command passes against the installed server"
say "the installed package works: --version, /health and a chat completion in a clean ${SUITE}"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's test command as a new user runs it: in a clean Debian bookworm chroot that has
# nothing but debootstrap's minbase and git, a `git clone` of this repository's HEAD, then
# `scripts/test.sh` there as root with CI=true and no standard input. Everything the steps need
# comes from scripts/install-deps.sh and Debian's own packages (Node.js 18 and npm 9 among them,
# not the newer Node a development machine may have from elsewhere).
#
#   scripts/fresh-check.sh          the `fresh` step of scripts/test.sh: deps, build, e2e and lint
#                                   (ZB_SKIP=ctest,asan,qt68,package,fresh), the steps that depend
#                                   on what a fresh machine has; about 12 minutes on 2 cores
#   scripts/fresh-check.sh --full   every step but `fresh` itself (ZB_SKIP=fresh), including the
#                                   Qt 6.8 and package chroots made inside this one; about 40 min
#
# The clone is of the committed HEAD: uncommitted changes are not in it (a warning says so).
# The chroot's base (minbase + git) is cached in build/fresh-root-base; every run works in a new
# copy, build/fresh-root, removed again when the run passes. Downloaded .debs are kept in
# build/fresh-apt-archives. The host's local CA certificates (/usr/local/share/ca-certificates) are
# copied in, so that npm trusts what the host trusts. Everything mounted is unmounted and every
# process left in the chroot is ended on exit, failure and interruption included.
#
#   ZB_FRESH_ROOT=DIR         where the chroots live (default build/)
#   ZB_DEBIAN_MIRROR=URL      default http://deb.debian.org/debian
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$(pwd -P)

MODE=quick
case "${1:-}" in
    "") ;;
    --full) MODE=full ;;
    *) echo "usage: scripts/fresh-check.sh [--full]" >&2; exit 2 ;;
esac

if [[ ${EUID} -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "fresh-check: needs root (mount, chroot)" >&2; exit 1; }
    exec sudo --preserve-env=ZB_FRESH_ROOT,ZB_DEBIAN_MIRROR bash "$0" "$@"
fi
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH}"

SUITE=bookworm
MIRROR=${ZB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
BASE_DIR=$(realpath -m "${ZB_FRESH_ROOT:-${SRC}/build}")
BASE=${BASE_DIR}/fresh-root-base
ROOT=${BASE_DIR}/fresh-root
ARCHIVES=${BASE_DIR}/fresh-apt-archives
LOGDIR=${SRC}/build/fresh-logs
CLONE=/root/zaibridge   # where the new user's clone lives inside the chroot
if [[ "${MODE}" == full ]]; then
    INNER_SKIP=fresh
else
    INNER_SKIP=ctest,asan,qt68,package,fresh
fi

say() { printf 'fresh: %s\n' "$*"; }
die() { printf 'fresh: ERROR: %s\n' "$*" >&2; exit 1; }
show_log() {
    printf 'fresh: ERROR: %s failed; last lines of %s:\n' "$1" "$2" >&2
    tail -n "${3:-40}" "$2" >&2
    exit 1
}

for tool in debootstrap git chroot mount flock setsid; do
    command -v "${tool}" >/dev/null || die "${tool} is missing: run scripts/install-deps.sh"
done
[[ "${ROOT}" == /*/*/* && "${BASE}" == /*/*/* ]] || die "refusing to use '${ROOT}' as the chroot"
HEAD_SHA=$(git -C "${SRC}" rev-parse --verify HEAD) || die "${SRC} is not a git checkout with a commit"
mkdir -p "${LOGDIR}" "${BASE_DIR}" "${ARCHIVES}/partial"

exec 9>"${ROOT}.lock"
flock -n 9 || die "another fresh check is using ${ROOT}"

# ---- mounts and children (scripts/lib/chroot.sh) --------------------------------------------------
# shellcheck source=scripts/lib/chroot.sh
source "${SRC}/scripts/lib/chroot.sh"
# Processes whose root directory is in the chroot, the nested chroots of the inner test.sh
# included (each runs in a process group of its own, which stop_child does not reach).
processes_in_root() {
    local p r
    for p in /proc/[0-9]*; do
        r=$(readlink "${p}/root" 2>/dev/null) || continue
        [[ "${r}" == "${ROOT}" || "${r}" == "${ROOT}/"* ]] && printf '%s\n' "${p#/proc/}"
    done
    return 0
}
stop_processes_in_root() {
    local pids signal
    for signal in TERM KILL; do
        mapfile -t pids < <(processes_in_root)
        ((${#pids[@]})) || return 0
        kill "-${signal}" "${pids[@]}" 2>/dev/null || true
        sleep 2
    done
}
unmount_all() { unmount_under "${ROOT}" "${BASE}"; }
cleanup() {
    trap - EXIT INT TERM
    stop_child
    stop_processes_in_root
    unmount_all || printf 'fresh: WARNING: could not unmount everything under %s\n' "${BASE_DIR}" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
unmount_all || die "stale mounts under ${BASE_DIR} cannot be removed"

copy_host_network_config() {  # root: name resolution and the CA certificates the host adds
    rm -f "$1/etc/resolv.conf"
    cp -L /etc/resolv.conf "$1/etc/resolv.conf"
    if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
        mkdir -p "$1/usr/local/share/ca-certificates"
        cp -rL /usr/local/share/ca-certificates/. "$1/usr/local/share/ca-certificates/"
    fi
}

# ---- 1. the base: minbase and git, as a new user has it (cached; a half-made one is made anew) ---
t0=${SECONDS}
if [[ ! -f "${BASE}/.zb-bootstrapped" ]]; then
    if [[ -e "${BASE}" ]]; then rm -rf --one-file-system "${BASE}"; fi
    say "debootstrap --variant=minbase ${SUITE} ${MIRROR} (log: ${LOGDIR}/debootstrap.log)"
    run_child debootstrap --variant=minbase "${SUITE}" "${BASE}" "${MIRROR}" \
        >"${LOGDIR}/debootstrap.log" 2>&1 \
        || { unmount_all || true; show_log debootstrap "${LOGDIR}/debootstrap.log"; }
    unmount_all || die "debootstrap left mounts that cannot be removed"
    copy_host_network_config "${BASE}"
    mkdir -p "${BASE}/proc" "${BASE}/dev"
    mount -t proc proc "${BASE}/proc"
    mount --bind /dev "${BASE}/dev"
    { in_chroot "${BASE}" apt-get -q -y update \
        && in_chroot "${BASE}" apt-get -q -y -o Dpkg::Use-Pty=0 install --no-install-recommends git \
        && in_chroot "${BASE}" apt-get -q -y clean; } >"${LOGDIR}/base-apt.log" 2>&1 \
        || show_log "apt-get install git in the base" "${LOGDIR}/base-apt.log"
    unmount_all || die "cannot unmount the base's /proc and /dev"
    touch "${BASE}/.zb-bootstrapped"
    say "base made in $((SECONDS - t0))s"
fi

# ---- 2. a fresh copy, the clone ---------------------------------------------------------------
rm -rf --one-file-system "${ROOT}"
cp -a "${BASE}" "${ROOT}"
copy_host_network_config "${ROOT}"
mkdir -p "${ROOT}/proc" "${ROOT}/dev"
mount -t proc proc "${ROOT}/proc"
mount --bind /dev "${ROOT}/dev"
mount --bind "${ARCHIVES}" "${ROOT}/var/cache/apt/archives"

# The history up to HEAD as a bundle: the chroot's own git clones it, whatever the host's
# repository looks like (a worktree, alternates, uncommitted changes).
branch=$(git -C "${SRC}" symbolic-ref -q HEAD || true)
git -C "${SRC}" bundle create "${ROOT}/tmp/zaibridge.bundle" HEAD ${branch:+"${branch}"} \
    >"${LOGDIR}/bundle.log" 2>&1 || show_log "git bundle" "${LOGDIR}/bundle.log"
in_chroot "${ROOT}" git -c advice.detachedHead=false clone -q /tmp/zaibridge.bundle "${CLONE}" \
    >"${LOGDIR}/clone.log" 2>&1 || show_log "git clone in the chroot" "${LOGDIR}/clone.log"
rm -f "${ROOT}/tmp/zaibridge.bundle"
[[ "$(in_chroot "${ROOT}" git -C "${CLONE}" rev-parse HEAD)" == "${HEAD_SHA}" ]] \
    || die "the clone in the chroot is not at ${HEAD_SHA}"
if [[ -n "$(git -C "${SRC}" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    say "WARNING: the checkout has uncommitted changes; the clone has HEAD only, without them"
fi
say "clean ${SUITE} with git $(in_chroot "${ROOT}" git --version | sed 's/^git version //')" \
    "and a clone of $(git -C "${SRC}" log -1 --format='%h (%s)' | cut -c1-80) in $((SECONDS - t0))s"

# ---- 3. the README's test command -------------------------------------------------------------
# Its environment is what CI gives .ci/run: CI=true, no standard input; nothing else is set (no
# DEBIAN_FRONTEND: install-deps.sh must see to that itself).
t0=${SECONDS}
say "in the chroot: cd ${CLONE} && CI=true ZB_SKIP=${INNER_SKIP} scripts/test.sh" \
    "(output indented below; log: ${LOGDIR}/test.log)"
exec {out}> >(tee "${LOGDIR}/test.log" | sed -u 's/^/  | /')
out_pid=$!
rc=0
run_child chroot "${ROOT}" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    CI=true ZB_SKIP="${INNER_SKIP}" \
    bash -c "cd ${CLONE} && exec scripts/test.sh" </dev/null >&"${out}" 2>&1 || rc=$?
exec {out}>&-
wait "${out_pid}" 2>/dev/null || true
say "test.sh in the chroot ended (exit ${rc}) after $((SECONDS - t0))s"
# shellcheck disable=SC2016  # ${Version} is dpkg-query's field
node=$(in_chroot "${ROOT}" sh -c 'echo "$(node --version) (dpkg: nodejs $(dpkg-query -W -f="\${Version}" nodejs))"' \
    2>/dev/null) || node="none"
say "the chroot's Node.js: ${node}"
((rc == 0)) || die "the README's test command failed in the clean ${SUITE} (exit ${rc}, after" \
    "$((SECONDS - t0))s; the chroot is kept in ${ROOT}: chroot ${ROOT} bash)"
grep -qE '^[0-9]+ passed, 0 failed$' "${LOGDIR}/test.log" \
    || die "test.sh in the chroot printed no 'N passed, 0 failed' line"
say "the README's test command passed in a clean ${SUITE} in $((SECONDS - t0))s:" \
    "$(grep -E '^[0-9]+ passed, 0 failed$' "${LOGDIR}/test.log" | tail -n 1)"

# Passed: the copy goes (the base and the downloaded packages stay).
t0=${SECONDS}
stop_processes_in_root
unmount_all || die "cannot unmount everything under ${ROOT}; the chroot is kept"
rm -rf --one-file-system "${ROOT}"
say "removed ${ROOT} in $((SECONDS - t0))s"

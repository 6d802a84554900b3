# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Shared by scripts/qt68-check.sh, scripts/package-check.sh, scripts/fresh-check.sh and
# bench/run-qt68.sh (sourced, not run): the mounts below a chroot, and long commands run as their
# own process group.

# Mount points at or below DIR, deepest first (mountinfo escapes spaces as \040).
mounts_under() {
    awk -v r="$1" '{ mp = $5; gsub(/\\040/, " ", mp);
                     if (mp == r || index(mp, r "/") == 1) print mp }' /proc/self/mountinfo | sort -r
}

# Unmounts everything at or below each DIR; fails when something stays mounted.
unmount_under() {
    local dir mp
    for dir in "$@"; do
        while IFS= read -r mp; do
            umount "${mp}" 2>/dev/null || umount -l "${mp}" || true
        done < <(mounts_under "${dir}")
        [[ -z "$(mounts_under "${dir}")" ]] || return 1
    done
}

# Long commands run as their own process group in the background, so that a signal reaches the
# calling script at once (bash defers traps while a foreground command runs) and the whole
# group, tests included, can be stopped before anything is unmounted.
CHILD=""
run_child() {
    local rc=0
    setsid "$@" &
    CHILD=$!
    wait "${CHILD}" || rc=$?
    CHILD=""
    return "${rc}"
}
stop_child() {
    [[ -n "${CHILD}" ]] || return 0
    kill -TERM -- "-${CHILD}" 2>/dev/null || return 0
    for _ in 1 2 3 4 5; do
        kill -0 -- "-${CHILD}" 2>/dev/null || return 0
        sleep 1
    done
    kill -KILL -- "-${CHILD}" 2>/dev/null || true
    sleep 1
}

# Mounts /proc, /dev and the source tree (read-only, at /src) into the chroot ROOT.
mount_source_tree() {
    local root=$1 src=$2
    mkdir -p "${root}/src" "${root}/build" "${root}/proc" "${root}/dev"
    mount -t proc proc "${root}/proc"
    mount --bind /dev "${root}/dev"
    mount --bind "${src}" "${root}/src"
    mount -o remount,bind,ro "${root}/src"
}

# Runs a command in the chroot ROOT with a clean environment, as its own process group.
in_chroot() {
    local root=$1
    shift
    run_child chroot "${root}" /usr/bin/env -i \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive "$@"
}

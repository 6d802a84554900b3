#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The one test command, run by CI (.ci/run) and by developers:
#   deps   install the dependencies (scripts/install-deps.sh)
#   build  configure + build build/ci (preset ci: RelWithDebInfo, -Werror)
#   ctest  unit, integration and GUI tests in build/ci (the keychain and Xvfb tray tests run
#          through tests/gui/run-with-keyring.sh and run-with-xvfb-tray.sh)
#   e2e    tests/e2e with npm against the built zaibridge-server and fake-zai-upstream
#   lint   the Dockerfile, compose file and workflows by linters from npm (scripts/lint-check.sh)
#   asan   build/asan (preset asan: clang, Debug, address+undefined, libFuzzer targets, -Werror)
#          and its ctest run, leak checking on (suppressions: tests/lsan.supp)
#   qt68   the same source with -Werror and its tests against Qt 6.8 (scripts/qt68-check.sh)
#   package  build/release, the .deb (CPack), lintian, desktop/AppStream validation, the NSIS
#          script compiled by makensis, and the .deb installed and run in a clean Debian bookworm
#          chroot against the fake upstream (scripts/package-check.sh; needs build/ci's
#          fake-zai-upstream)
#   fresh  this command as a new user runs it, in a clean Debian bookworm chroot with only git:
#          a clone of HEAD, then its deps, build, e2e and lint steps, on Debian's own packages
#          (Node.js 18) rather than this machine's (scripts/fresh-check.sh; the whole command
#          there, every step, is `scripts/fresh-check.sh --full`)
# Stops at the first failing step and ends with the line "N passed, M failed".
#   ZB_SKIP=asan,qt68,e2e   skip steps (comma list of the names above; CI skips nothing)
#   ZB_KEEP_GOING=1         after a failure, go on with the steps that do not depend on it
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$(pwd -P)
JOBS=$(nproc)
STEPS=(deps build ctest e2e lint asan qt68 package fresh)
declare -A TITLE=(
    [deps]="install dependencies"
    [build]="configure + build build/ci (RelWithDebInfo, -Werror)"
    [ctest]="ctest build/ci (unit, integration, GUI: offscreen, keychain, tray in Xvfb)"
    [e2e]="end-to-end tests (tests/e2e, npm)"
    [lint]="Dockerfile, compose and workflow linters (tests/lint, npm)"
    [asan]="AddressSanitizer + UBSan build, ctest and fuzzing (build/asan, clang)"
    [qt68]="Qt 6.8 build and ctest (Debian trixie chroot)"
    [package]=".deb, lintian, desktop/AppStream, NSIS script, install in a clean bookworm"
    [fresh]="deps, build, e2e, lint as a new user: clean bookworm, git clone, Debian's Node"
)
declare -A NEEDS=([build]=deps [ctest]=build [e2e]=build [lint]=deps [asan]=deps [qt68]=deps
                  [package]=build [fresh]=deps)
declare -A RESULT=() DURATION=()

IFS=, read -r -a SKIP <<<"${ZB_SKIP:-}"
for s in "${SKIP[@]}"; do
    [[ -n "${TITLE[${s}]:-}" ]] || { echo "test.sh: unknown step '${s}' in ZB_SKIP (steps: ${STEPS[*]})" >&2; exit 2; }
done
skipped() { local s; for s in "${SKIP[@]}"; do [[ "${s}" == "$1" ]] && return 0; done; return 1; }

SKIP_RC=77   # a step that finds nothing to do exits with this
run() { printf '$ %s\n' "$*"; "$@"; }

# Configure output is kept in a log: shown when configuring fails or CMake warns.
configure() {
    local preset=$1 log rc=0
    log=$(mktemp -t "zb-configure-${preset}.XXXXXX.log")
    printf '$ cmake --preset %s\n' "${preset}"
    cmake --preset "${preset}" >"${log}" 2>&1 || rc=$?
    if ((rc != 0)) || grep -q 'CMake Warning' "${log}"; then cat "${log}"; fi
    rm -f "${log}"
    ((rc == 0)) || return 1
    # ninja --quiet: no progress lines, only what the compiler says (and -Werror makes that fatal)
    run cmake --build --preset "${preset}" -j "${JOBS}" -- --quiet
}

step_deps() { run bash scripts/install-deps.sh; }

step_build() { configure ci; }

step_ctest() { run ctest --preset ci; }

step_e2e() {
    local dir=tests/e2e
    if [[ ! -f "${dir}/package.json" ]]; then
        echo "no ${dir}/package.json yet: nothing to run"
        return "${SKIP_RC}"
    fi
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        echo "node or npm not found (scripts/install-deps.sh installs them)" >&2
        return 1
    fi
    node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
        || { echo "Node.js $(node --version) is too old: the end-to-end tests need >= 18" >&2; return 1; }
    local server=${SRC}/build/ci/src/headless/zaibridge-server
    local fake=${SRC}/build/ci/tests/support/fake-zai-upstream
    local bin
    for bin in "${server}" "${fake}"; do
        [[ -x "${bin}" ]] || { echo "missing ${bin} (is ZB_BUILD_TESTS on?)" >&2; return 1; }
    done
    echo "node $(node --version), npm $(npm --version)"
    local npm_opts=(--cache "${SRC}/build/npm-cache" --prefer-offline --no-audit --no-fund
                    --loglevel=error --update-notifier=false)
    (
        cd "${dir}"
        if [[ -f package-lock.json ]]; then
            run npm ci "${npm_opts[@]}"
        else
            run npm install "${npm_opts[@]}"
        fi
        export ZB_SERVER_BIN=${server} ZB_FAKE_BIN=${fake}
        printf 'ZB_SERVER_BIN=%s\nZB_FAKE_BIN=%s\n' "${ZB_SERVER_BIN}" "${ZB_FAKE_BIN}"
        run npm test --update-notifier=false
    )
}

step_lint() { run bash scripts/lint-check.sh; }

step_asan() {
    configure asan || return 1
    # LSan reads the suppressions file named in the preset; it must exist.
    [[ -f tests/lsan.supp ]] || { echo "tests/lsan.supp is missing" >&2; return 1; }
    # The sanitizer options are set by the asan test preset (CMakePresets.json): leak checking on.
    echo "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1" \
         "LSAN_OPTIONS=suppressions=tests/lsan.supp"
    run ctest --preset asan
}

step_qt68() { run bash scripts/qt68-check.sh; }

step_package() { run bash scripts/package-check.sh; }

step_fresh() { run bash scripts/fresh-check.sh; }

summary() {
    local s passed=0 failed=0
    echo
    echo "==> summary ($((SECONDS - START))s in all)"
    for s in "${STEPS[@]}"; do
        printf '  %-7s %-9s %6s  %s\n' "${s}" "${RESULT[${s}]:-not run}" \
            "${DURATION[${s}]:+${DURATION[${s}]}s}" "${TITLE[${s}]}"
        case "${RESULT[${s}]:-}" in
            passed) passed=$((passed + 1)) ;;
            FAILED) failed=$((failed + 1)) ;;
        esac
    done
    echo "${passed} passed, ${failed} failed"
    ((failed == 0))
}

START=${SECONDS}
STOP=0
# shellcheck source=/dev/null
OS=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME}") || OS="unknown OS"
echo "test.sh: ${OS}, ${JOBS} cores, CI=${CI:-no}, ZB_SKIP=${ZB_SKIP:-}"
for s in "${STEPS[@]}"; do
    if ((STOP)); then
        break
    elif skipped "${s}"; then
        RESULT[${s}]="skipped"
        printf '\n==> [%s] %s: skipped (ZB_SKIP)\n' "${s}" "${TITLE[${s}]}"
        continue
    elif [[ -n "${NEEDS[${s}]:-}" && "${RESULT[${NEEDS[${s}]}]:-}" == FAILED ]]; then
        RESULT[${s}]="not run"
        printf '\n==> [%s] %s: not run (%s failed)\n' "${s}" "${TITLE[${s}]}" "${NEEDS[${s}]}"
        continue
    fi
    printf '\n==> [%s] %s\n' "${s}" "${TITLE[${s}]}"
    t0=${SECONDS}
    # A subshell outside any `if`, so that `set -e` holds inside the step.
    set +e
    ( set -e; "step_${s}" )
    rc=$?
    set -e
    DURATION[${s}]=$((SECONDS - t0))
    if ((rc == 0)); then
        RESULT[${s}]="passed"
    elif ((rc == SKIP_RC)); then
        RESULT[${s}]="skipped"
    else
        RESULT[${s}]="FAILED"
        [[ "${ZB_KEEP_GOING:-0}" == 1 ]] || STOP=1
    fi
    printf '<== [%s] %s in %ss\n' "${s}" "${RESULT[${s}]}" "${DURATION[${s}]}"
done
summary

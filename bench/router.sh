#!/usr/bin/env bash
# Benchmark of `cutover router` against nginx, on loopback, in one run:
#   1. wrk against a trivial backend directly
#   2. wrk through `cutover router run` (default route to that backend)
#   3. wrk through Debian's nginx (proxy_pass + upstream keepalive, one worker)
# each with wrk -t$THREADS -c$CONNS for $DURATION seconds after a warm-up; 2 and 3 alternate over $ROUNDS rounds,
# because the machine's speed drifts by ±10% over minutes. Prints req/s, p50 and p99 of every run, each round's
# ratio router/nginx, and the median ratios. Then the session-on variant: every request with a session cookie, through
# a second router whose backend is in session.for (a token added to each request), against the plain router with the
# same cookie, alternating over $ROUNDS rounds (target: >= 90%). Then the shadow-on variant: a third router whose one route
# shadows $SHADOW_PERCENT% of its requests to a second backend name on the same bench backend (answers compared, noise
# learned), against the plain router, alternating over $ROUNDS rounds. Then holds $HOLD_CONNS keep-alive connections through the router for $HOLD_SECONDS
# seconds (wrk -c$HOLD_CONNS) and reports errors and the router's peak resident memory.
#
# Installs wrk and nginx-light with apt-get when missing (needs root). Raises `ulimit -n` as production would.
# Environment: SHADOW_PERCENT (10), DURATION (15), ROUNDS (3), THREADS (2), CONNS (64), HOLD_CONNS (5000), HOLD_SECONDS (60), WARMUP (20: seconds of
# warm-up per target, the JVMs need it for the JIT),
# ROUTER_JAVA_OPTS (-Xmx256m -XX:+UseParallelGC), CUTOVER_JAR (a built cutover.jar; default: build cutover-cli into target-router).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-15}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
HOLD_CONNS="${HOLD_CONNS:-5000}"
HOLD_SECONDS="${HOLD_SECONDS:-60}"
WARMUP="${WARMUP:-20}"
ROUNDS="${ROUNDS:-3}"
SHADOW_PERCENT="${SHADOW_PERCENT:-10}"
ROUTER_JAVA_OPTS="${ROUTER_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC}"
source "$here/bench/lib.sh"
bench_init router-bench

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  echo "installing wrk and nginx-light with apt-get ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
fi
# one descriptor per connection on each side: raise the soft limit to the hard one (as LimitNOFILE= would)
ulimit -n "$(ulimit -Hn)"
echo "open-file limit: $(ulimit -n)"

cd "$here"
if [[ -z "${CUTOVER_JAR:-}" ]]; then
  # -am builds the modules the cli needs in this reactor: nothing is installed into ~/.m2
  mvn -B -o -q -pl cutover-cli -am -Dcli.build.dir=target-router package -DskipTests
  CUTOVER_JAR="$here/cutover-cli/target-router/cutover.jar"
fi
mvn -B -o -q -pl cutover-router -am test-compile   # the bench backend lives in the router's test sources

wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 3; }

backend_port=$(free_port); router_port=$(free_port); admin_port=$(free_port); nginx_port=$(free_port)
session_port=$(free_port); shadow_port=$(free_port); shadow_admin_port=$(free_port)

java -Xmx256m -cp "$CUTOVER_JAR:$here/cutover-router/target/test-classes" io.cutover.router.bench.BenchBackend "$backend_port" \
  >"$work/backend.log" 2>&1 &
pids+=($!)

cat >"$work/router.yaml" <<YAML
listen: 127.0.0.1:$router_port
admin: 127.0.0.1:$admin_port
backends:
  app: {url: "http://127.0.0.1:$backend_port", max_connections: 256}
default: app
limits: {max_inflight: 20000, max_client_connections: 10000, client_idle_timeout: 120s}
YAML
# shellcheck disable=SC2086
java $ROUTER_JAVA_OPTS -jar "$CUTOVER_JAR" router run --config "$work/router.yaml" >"$work/router.log" 2>&1 &
router_pid=$!
pids+=($router_pid)

# the same router with a session: the backend in session.for, the bench backend as session service
cat >"$work/session.yaml" <<YAML
listen: 127.0.0.1:$session_port
backends:
  app: {url: "http://127.0.0.1:$backend_port", max_connections: 256}
default: app
limits: {max_inflight: 20000, max_client_connections: 10000, client_idle_timeout: 120s}
session:
  cookie: SESSION
  resolve: "http://127.0.0.1:$backend_port/sessions/{cookie}"
  cache: 30s
  token: {header: X-Session-Token, issuer: cutover, audience: modern, ttl: 60s, key: "0123456789abcdef0123456789abcdef", alg: HS256}
  for: [app]
YAML
# shellcheck disable=SC2086
java $ROUTER_JAVA_OPTS -jar "$CUTOVER_JAR" router run --config "$work/session.yaml" >"$work/session.log" 2>&1 &
pids+=($!)

# the same router shadowing a share of its requests: the copies go to the same backend under a second name
cat >"$work/shadow.yaml" <<YAML
listen: 127.0.0.1:$shadow_port
admin: 127.0.0.1:$shadow_admin_port
backends:
  app: {url: "http://127.0.0.1:$backend_port", max_connections: 256}
  copy: {url: "http://127.0.0.1:$backend_port", max_connections: 256}
default: app
routes:
  - name: all
    path: '^/'
    to: app
    shadow: {to: copy, percent: $SHADOW_PERCENT, diffs: $work/diffs.jsonl}
limits: {max_inflight: 20000, max_client_connections: 10000, client_idle_timeout: 120s}
YAML
# shellcheck disable=SC2086
java $ROUTER_JAVA_OPTS -jar "$CUTOVER_JAR" router run --config "$work/shadow.yaml" >"$work/shadow.log" 2>&1 &
pids+=($!)

mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
worker_rlimit_nofile 20000;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 12000; }
http {
  access_log off;
  upstream app { server 127.0.0.1:$backend_port; keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port backlog=4096;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' >"$work/nginx.log" 2>&1 &
pids+=($!)

wait_port "$backend_port"; wait_port "$router_port"; wait_port "$nginx_port"; wait_port "$session_port"; wait_port "$shadow_port"
curl -sf "http://127.0.0.1:$router_port/" >/dev/null || { echo "router does not proxy:"; cat "$work/router.log"; exit 3; }
curl -sf "http://127.0.0.1:$nginx_port/" >/dev/null || { echo "nginx does not proxy:"; cat "$work/nginx/logs/error.log"; exit 3; }

to_ms() { # wrk latency like 512.00us, 1.23ms, 2.01s -> milliseconds
  awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.3f", n }'
}
declare -A RPS P50 P99 WARM
measure() { # name port [wrk args...]: fills RPS, P50, P99 for this run
  local name=$1 port=$2; shift 2
  if [[ -z "${WARM[$name]:-}" ]]; then
    wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "$@" "http://127.0.0.1:$port/" >/dev/null   # warm-up (JIT, pools), once per target
    WARM[$name]=1
  fi
  set -- "$name" "$port" "$@"
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "${@:3}" "http://127.0.0.1:$2/" >"$work/$1.wrk"
  RPS[$1]=$(awk '/^Requests\/sec/ { print $2 }' "$work/$1.wrk")
  P50[$1]=$(to_ms "$(awk '$1=="50%" { print $2 }' "$work/$1.wrk")")
  P99[$1]=$(to_ms "$(awk '$1=="99%" { print $2 }' "$work/$1.wrk")")
  if grep -q -E "Socket errors|Non-2xx" "$work/$1.wrk"; then echo "  $1: $(grep -E 'Socket errors|Non-2xx' "$work/$1.wrk" | tr '\n' ' ')"; fi
}
row() { printf '%-8s %5s %12.0f %10s %10s\n' "$1" "$2" "${RPS[$1]}" "${P50[$1]}" "${P99[$1]}"; }
echo "wrk -t$THREADS -c$CONNS -d${DURATION}s on $(nproc) cores (everything shares them); router and nginx alternate over $ROUNDS rounds"
printf '\n%-8s %5s %12s %10s %10s\n' "target" "round" "req/s" "p50 ms" "p99 ms"
measure direct "$backend_port"; row direct -
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  # the machine's speed drifts over minutes: alternate which goes first, and compare each round's pair
  if (( round % 2 )); then order=(router nginx); else order=(nginx router); fi
  for t in "${order[@]}"; do
    if [[ $t == router ]]; then measure router "$router_port"; else measure nginx "$nginx_port"; fi
    row "$t" "$round"
  done
  ratios+=("$(awk -v r="${RPS[router]}" -v n="${RPS[nginx]}" -v rp="${P99[router]}" -v np="${P99[nginx]}" 'BEGIN { printf "%.4f %.4f", r/n, rp/np }')")
done
printf '%s\n' "${ratios[@]}" | awk '{ rps[NR]=$1; p99[NR]=$2 }
  END {
    n=asort(rps); asort(p99)
    mid = (n % 2) ? (rps[(n+1)/2]) : ((rps[n/2] + rps[n/2+1]) / 2)
    pmid = (n % 2) ? (p99[(n+1)/2]) : ((p99[n/2] + p99[n/2+1]) / 2)
    printf "\nrouter/nginx per round: req/s"; for (i = 1; i <= n; i++) printf " %.0f%%", 100*rps[i]; printf " (sorted)\n"
    printf "router/nginx median:    req/s %.0f%% (target >= 80%%), p99 %.2fx (target <= 2x)\n", 100*mid, pmid }'

echo
echo "session-on: every request with Cookie: SESSION=bench-user; 'cookie' is the plain router, 'session' the one with session.for"
curl -sf -H 'Cookie: SESSION=bench-user' "http://127.0.0.1:$session_port/" >/dev/null || { echo "session router does not proxy:"; cat "$work/session.log"; exit 3; }
printf '%-8s %5s %12s %10s %10s\n' "target" "round" "req/s" "p50 ms" "p99 ms"
sratios=()
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then order=(cookie session); else order=(session cookie); fi
  for t in "${order[@]}"; do
    if [[ $t == cookie ]]; then measure cookie "$router_port" -H 'Cookie: SESSION=bench-user'
    else measure session "$session_port" -H 'Cookie: SESSION=bench-user'; fi
    row "$t" "$round"
  done
  sratios+=("$(awk -v s="${RPS[session]}" -v c="${RPS[cookie]}" 'BEGIN { printf "%.4f", s/c }')")
done
printf '%s\n' "${sratios[@]}" | awk '{ r[NR]=$1 } END { n=asort(r); mid = (n % 2) ? r[(n+1)/2] : (r[n/2] + r[n/2+1]) / 2
  printf "session/plain per round:"; for (i = 1; i <= n; i++) printf " %.0f%%", 100*r[i]; printf " (sorted); median %.0f%% (target >= 90%%)\n", 100*mid }'

echo
echo "shadow-on: $SHADOW_PERCENT% of requests also sent to a shadow backend and compared; 'plain' is the plain router, 'shadow' the one with shadow:"
printf '%-8s %5s %12s %10s %10s\n' "target" "round" "req/s" "p50 ms" "p99 ms"
hratios=()
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then order=(plain shadow); else order=(shadow plain); fi
  for t in "${order[@]}"; do
    if [[ $t == plain ]]; then measure plain "$router_port"; else measure shadow "$shadow_port"; fi
    row "$t" "$round"
  done
  hratios+=("$(awk -v s="${RPS[shadow]}" -v p="${RPS[plain]}" -v sp="${P99[shadow]}" -v pp="${P99[plain]}" 'BEGIN { printf "%.4f %.4f", s/p, sp/pp }')")
done
printf '%s\n' "${hratios[@]}" | awk '{ r[NR]=$1; q[NR]=$2 } END { n=asort(r); asort(q); mid = (n % 2) ? r[(n+1)/2] : (r[n/2] + r[n/2+1]) / 2
  pmid = (n % 2) ? q[(n+1)/2] : (q[n/2] + q[n/2+1]) / 2
  printf "shadow/plain per round:"; for (i = 1; i <= n; i++) printf " %.0f%%", 100*r[i]; printf " (sorted); median req/s %.0f%%, p99 %.2fx\n", 100*mid, pmid }'
java -jar "$CUTOVER_JAR" router diffs --file "$work/diffs.jsonl" | head -1 | sed 's/^/  shadow diffs: /' || true
echo "  shadow metrics: $(curl -s "http://127.0.0.1:$shadow_admin_port/metrics" | grep -E '^cutover_router_shadow_(compared|dropped)_total' | grep -v ' 0.0$' | tr '\n' ' ')"

echo
echo "holding $HOLD_CONNS keep-alive connections through the router for ${HOLD_SECONDS}s ..."
peak=0
(
  while kill -0 "$router_pid" 2>/dev/null; do ps -o rss= -p "$router_pid" >>"$work/rss"; sleep 1; done
) &
sampler=$!
wrk -t"$THREADS" -c"$HOLD_CONNS" -d"${HOLD_SECONDS}s" --timeout 10s --latency "http://127.0.0.1:$router_port/" >"$work/hold.wrk" || true
kill "$sampler" 2>/dev/null || true
peak=$(sort -n "$work/rss" | tail -1)
errors=$(awk '/Socket errors/ { gsub(",",""); print $4+$6+$8+$10 }' "$work/hold.wrk"); errors=${errors:-0}
non2xx=$(awk '/Non-2xx/ { print $5 }' "$work/hold.wrk"); non2xx=${non2xx:-0}
echo "  $(awk '/requests in/' "$work/hold.wrk" | sed 's/^ *//')"
echo "  req/s $(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$work/hold.wrk"), p50 $(to_ms "$(awk '$1=="50%" { print $2 }' "$work/hold.wrk")") ms, p99 $(to_ms "$(awk '$1=="99%" { print $2 }' "$work/hold.wrk")") ms"
echo "  socket errors: $errors, non-2xx responses: $non2xx"
echo "  router peak RSS: $((peak / 1024)) MB (target < 512 MB); open files now: $(ls /proc/$router_pid/fd | wc -l)"
echo "  router metrics: $(curl -s "http://127.0.0.1:$admin_port/metrics" | grep -E '^(cutover_router_requests_seconds_count\{backend="app",route="default",status="(2xx|5xx)"\}|process_files_open_files)' | tr '\n' ' ')"

#!/usr/bin/env bash
# Benchmark of `cutover redis copy --live`: lag of change -> target under a steady write load, CPU of the live copy,
# and how long the backlog takes to empty once the writers stop.
#
#   1. loads KEYS keys (default 200,000) into a fresh source Redis (notify-keyspace-events KEA) and starts a live copy
#      to a fresh target;
#   2. once the initial copy is done, a writer applies RATE writes/s (default 20,000) for DURATION seconds (default 20):
#      SET key:<random> to random keys, and once a millisecond SET hb <time in µs> (the heartbeat);
#   3. a sampler reads hb on the target every 5 ms: lag = now - value (change -> target, within 1 ms);
#   4. CPU of the live copy's JVM = utime+stime from /proc/<pid>/stat over the steady window;
#   5. the writer ends with SET end <time>; "drain" = time until end is on the target (changes are copied oldest
#      first, so this is when the backlog is empty); then SIGTERM (flush + summary) and `cutover redis verify`.
# Targets: p99 lag < 1 s at 20k writes/s; pending to zero within 2 s after the writer stops.
# Needs Debian's redis-server/redis-cli and python3. Starts its own servers on free ports, stops them at the end.
#
# Environment: KEYS, RATE, DURATION, CUTOVER_JAR (use this jar instead of ./cutover), LIVE_ARGS (extra copy arguments).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEYS="${KEYS:-200000}"
RATE="${RATE:-20000}"
SECONDS_STEADY="${DURATION:-20}"
source "$here/bench/lib.sh"
bench_init live-bench

if [[ -n "${CUTOVER_JAR:-}" ]]; then
  cut_cmd=(java -Xmx512m -jar "$CUTOVER_JAR")
else
  cut_cmd=(env CUTOVER_JAVA_OPTS="-Xmx512m" "$here/cutover")
  "$here/cutover" --version >/dev/null
fi


src=$(free_port); start_redis source "$src" --notify-keyspace-events KEA
dst=$(free_port); start_redis target "$dst"
echo "loading $KEYS keys into the source ..." >&2
python3 - "$KEYS" <<'PY' | redis-cli -p "$src" --pipe >/dev/null
import sys
n = int(sys.argv[1]); out = sys.stdout.buffer
for i in range(n):
    k = b"key:%d" % i; v = b"v" * 100
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
PY

echo "starting the live copy ..." >&2
touch "$work/live.err"
"${cut_cmd[@]}" redis copy --source "redis://127.0.0.1:$src/0" --target "redis://127.0.0.1:$dst/0" --live \
  ${LIVE_ARGS:-} > "$work/live.out" 2> "$work/live.err" &
live_pid=$!
pids+=($live_pid)
for _ in $(seq 1 1200); do grep -q "live: initial copy" "$work/live.err" && break; sleep 0.1; done
grep -q "live: initial copy" "$work/live.err" || { echo "the live copy did not start:" >&2; cat "$work/live.err" >&2; exit 3; }
jvm_pid=$(pgrep -P "$live_pid" java || echo "$live_pid")
sed -n 's/^live: //p' "$work/live.err" >&2

# writer, sampler and CPU probe in one python process (sockets only, no client library)
python3 - "$src" "$dst" "$RATE" "$SECONDS_STEADY" "$jvm_pid" > "$work/result.txt" <<'PY'
import os, random, socket, sys, threading, time
src, dst, rate, secs, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
tick = os.sysconf("SC_CLK_TCK")
def cpu():
    with open("/proc/%s/stat" % pid) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / tick
def cmd(*args):
    b = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        b.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(b)
def us():
    return time.time_ns() // 1000
stop = threading.Event()
sent = [0]
def drain(sock):
    while not stop.is_set():
        try:
            if not sock.recv(1 << 16):
                return
        except OSError:
            return
def writer():
    s = socket.create_connection(("127.0.0.1", src)); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=drain, args=(s,), daemon=True).start()
    start = time.monotonic(); next_hb = 0.0
    while True:
        now = time.monotonic() - start
        if now >= secs:
            break
        due = int(now * rate) - sent[0]
        buf = []
        for _ in range(max(0, due)):
            buf.append(cmd("SET", "key:%d" % random.randrange(2_000_000), "w%d" % sent[0]))
            sent[0] += 1
        if now >= next_hb:
            buf.append(cmd("SET", "hb", us())); sent[0] += 1; next_hb = now + 0.001
        if buf:
            s.sendall(b"".join(buf))
        time.sleep(0.0005)
    s.sendall(cmd("SET", "end", us()))
    time.sleep(0.05)
    s.close()
def get(sock, key):
    sock.sendall(cmd("GET", key))
    data = b""
    while True:
        data += sock.recv(4096)
        if data.startswith(b"$-1\r\n"):
            return None
        head, sep, rest = data.partition(b"\r\n")
        if sep and len(rest) >= int(head[1:]) + 2:
            return rest[:int(head[1:])]
lags = []
timeline = []
def sampler():
    s = socket.create_connection(("127.0.0.1", dst))
    while not stop.is_set():
        v = get(s, "hb")
        if v is not None:
            lags.append((us() - int(v)) / 1000.0)
            timeline.append((time.monotonic(), lags[-1]))
        time.sleep(0.005)
sampler_t = threading.Thread(target=sampler, daemon=True); sampler_t.start()
c0, t0 = cpu(), time.monotonic()
writer()
t_stop_us = us()
c1, t1 = cpu(), time.monotonic()
stop.set(); sampler_t.join()
probe = socket.create_connection(("127.0.0.1", dst))
drained = None
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    v = get(probe, "end")
    if v is not None:
        drained = (us() - t_stop_us) / 1e6
        break
    time.sleep(0.002)
lags.sort()
pct = lambda p: lags[min(len(lags) - 1, int(p * len(lags)))]
print("writes %d in %.1fs = %.0f/s" % (sent[0], t1 - t0, sent[0] / (t1 - t0)))
print("lag samples %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (len(lags), pct(0.5), pct(0.99), lags[-1]))
print("live copy CPU %.0f%% of one core (%.1fs over %.1fs)" % (100 * (c1 - c0) / (t1 - t0), c1 - c0, t1 - t0))
worst = {}
for t, l in timeline:
    sec = int(t - t0)
    worst[sec] = max(worst.get(sec, 0), l)
print("worst lag per second: " + " ".join("%d:%.0f" % (k, v) for k, v in sorted(worst.items())))
print("backlog empty %s after the writer stopped" % ("%.2fs" % drained if drained is not None else "NOT within 120s"))
PY

# SIGTERM (a background job of a script ignores SIGINT; Ctrl-C on a terminal takes the same path)
kill -TERM "$jvm_pid"
for _ in $(seq 1 300); do kill -0 "$jvm_pid" 2>/dev/null || break; sleep 0.1; done
echo "== result (KEYS=$KEYS, RATE=$RATE/s for ${SECONDS_STEADY}s; nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$work/result.txt"
echo "== live copy summary after SIGTERM"
cat "$work/live.out"
echo "== cutover redis verify"
"${cut_cmd[@]}" redis verify --source "redis://127.0.0.1:$src/0" --target "redis://127.0.0.1:$dst/0" | tail -3 || true

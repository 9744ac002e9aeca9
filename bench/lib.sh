# Shared by the bench scripts (sourced, not run): a work directory and child processes cleaned up at exit,
# free ports, throwaway redis-server processes, timing, and the standard 1M-key Redis fill.

# bench_init NAME: $work (a fresh temp directory) and $pids (killed at exit), removed at exit.
bench_init() {
  work="$(mktemp -d "/tmp/cutover-$1-XXXXXX")"
  pids=()
  trap bench_cleanup EXIT
}
bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_redis() { # name port [extra redis-server args]
  local name=$1 port=$2; shift 2
  mkdir -p "$work/$name"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work/$name" \
    --daemonize no --logfile "$work/$name/redis.log" "$@" &
  pids+=($!)
  for _ in $(seq 1 200); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "redis $name did not start" >&2; cat "$work/$name/redis.log" >&2; exit 3
}

now() { date +%s.%N; }
rate() { python3 -c "print(round($1 / ($3 - $2)))"; }
dbsize() { redis-cli -p "$1" dbsize; }

fill() { # port: $KEYS keys (80% 100-byte strings, 20% 10-field hashes, half with TTLs, 10% under session:)
  python3 - "$KEYS" <<'PY' | redis-cli -p "$1" --pipe >/dev/null
import sys
n = int(sys.argv[1])
out = sys.stdout.buffer
def cmd(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)
value = b"v" * 100
buf = []
for i in range(n):
    prefix = b"session:" if (i // 5) % 10 == 0 else (b"cache:", b"job:", b"user:")[i % 3]
    key = prefix + str(i).encode()
    ttl = i % 2 == 0
    if i % 5 == 1:
        fields = []
        for f in range(10):
            fields += [b"field%d" % f, b"value-%d-%d" % (i, f)]
        buf.append(cmd(b"HSET", key, *fields))
        if ttl:
            buf.append(cmd(b"PEXPIRE", key, 3600000 + i))
    elif ttl:
        buf.append(cmd(b"SET", key, value, b"PX", 3600000 + i))
    else:
        buf.append(cmd(b"SET", key, value))
    if len(buf) >= 10000:
        out.write(b"".join(buf)); buf = []
out.write(b"".join(buf))
PY
}

#!/usr/bin/env bash
# Benchmark of `cutover redis copy` against the snapshot path and MIGRATE COPY, on one machine.
#
# Loads KEYS keys (default 1,000,000: 80% 100-byte strings, 20% hashes of 10 fields, half with TTLs, 10% under
# session:) into a fresh source Redis and measures keys/s of:
#   1. cutover redis copy of everything                      (heap capped with -Xmx256m)
#      then cutover redis verify of that copy (same run: the verify/copy time ratio)
#   2. cutover redis copy --include 'session:*' (10% subset)
#   3. the snapshot path: redis-cli --rdb (repl-diskless-sync-delay 0) + a fresh server loading the file
#      + cutover redis prune down to the same 10%
#   4. MIGRATE ... COPY REPLACE KEYS in batches of 1000 (server-side; what managed services forbid)
# Needs Debian's redis-server/redis-cli and python3. Starts its own servers on free ports and stops them at the end.
#
# Environment: KEYS (key count), CUTOVER_JAR (use this jar instead of ./cutover, which builds when sources changed),
# COPY_ARGS (extra arguments for the copy runs, e.g. "--threads 4 --batch 2000").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEYS="${KEYS:-1000000}"
# the launcher's default JVM options (C1 only, see ./cutover) plus a heap cap
HEAP="-XX:TieredStopAtLevel=1 -Xmx256m"
source "$here/bench/lib.sh"
bench_init bench

if [[ -n "${CUTOVER_JAR:-}" ]]; then
  cut_cmd=(java $HEAP -jar "$CUTOVER_JAR")
else
  cut_cmd=(env CUTOVER_JAVA_OPTS="$HEAP" "$here/cutover")
fi
cutover() { "${cut_cmd[@]}" "$@"; }


src=$(free_port); start_redis source "$src" --repl-diskless-sync yes --repl-diskless-sync-delay 0
echo "filling source with $KEYS keys ..." >&2
t0=$(now); fill "$src"; t1=$(now)
total=$(dbsize "$src")
subset=$(redis-cli -p "$src" --scan --pattern 'session:*' | wc -l)
echo "source: $total keys ($(rate "$total" "$t0" "$t1") keys/s to load), subset session:* = $subset keys" >&2

# make sure the jar exists before timing anything
cutover --version >/dev/null

run_copy() { # label target-port extra-args...
  local label=$1 port=$2; shift 2
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%M" -o "$work/rss" "${cut_cmd[@]}" redis copy --source "redis://127.0.0.1:$src" \
    --target "redis://127.0.0.1:$port" --format json ${COPY_ARGS:-} "$@" > "$work/copy.json"
  t1=$(now)
  local copied; copied=$(python3 -c "import json; print(json.load(open('$work/copy.json'))['copied'])")
  echo "$label|$copied|$(python3 -c "print(f'{$t1-$t0:.2f}')")|$(rate "$copied" "$t0" "$t1")|rss $(( $(cat "$work/rss") / 1024 )) MB"
}

results=()
echo "1/4 cutover redis copy (all keys) ..." >&2
dst=$(free_port); start_redis full "$dst"
results+=("$(run_copy "cutover redis copy (all)" "$dst")")
[[ $(dbsize "$dst") == "$total" ]] || { echo "full copy: target has $(dbsize "$dst") keys, expected $total" >&2; exit 1; }
echo "1b/4 cutover redis verify of the full copy ..." >&2
t0=$(now)
"${cut_cmd[@]}" redis verify --source "redis://127.0.0.1:$src" --target "redis://127.0.0.1:$dst" --format json \
  > "$work/verify.json" || { echo "verify of the full copy found differences:" >&2; head -c 2000 "$work/verify.json" >&2; exit 1; }
t1=$(now)
checked=$(python3 -c "import json; print(json.load(open('$work/verify.json'))['checked'])")
verify_result="cutover redis verify (all)|$checked|$(python3 -c "print(f'{$t1-$t0:.2f}')")|$(rate "$checked" "$t0" "$t1")|identical"
redis-cli -p "$dst" shutdown nosave >/dev/null 2>&1 || true

echo "2/4 cutover redis copy --include 'session:*' ..." >&2
dst=$(free_port); start_redis subset "$dst"
results+=("$(run_copy "cutover redis copy --include session:* (10%)" "$dst" --include 'session:*')")
[[ $(dbsize "$dst") == "$subset" ]] || { echo "subset copy: target has $(dbsize "$dst") keys, expected $subset" >&2; exit 1; }
redis-cli -p "$dst" shutdown nosave >/dev/null 2>&1 || true

echo "3/4 snapshot path: redis-cli --rdb, load, prune ..." >&2
snap=$(free_port)
t0=$(now)
redis-cli -p "$src" --rdb "$work/dump.rdb" >/dev/null 2>&1
t1=$(now)
mkdir -p "$work/snapshot" && mv "$work/dump.rdb" "$work/snapshot/dump.rdb"
redis-server --port "$snap" --bind 127.0.0.1 --appendonly no --dir "$work/snapshot" --dbfilename dump.rdb \
  --save "" --daemonize no --logfile "$work/snapshot/redis.log" &
pids+=($!)
until [[ "$(redis-cli -p "$snap" ping 2>/dev/null)" == "PONG" ]]; do sleep 0.01; done
t2=$(now)
loaded=$(dbsize "$snap")
prune_how="cutover redis prune --keep 'session:*'"
if cutover redis prune --target "redis://127.0.0.1:$snap" --keep 'session:*' --yes > "$work/prune.out" 2>&1; then
  :
else
  prune_how="fallback: redis-cli --scan | UNLINK (cutover redis prune failed: $(head -1 "$work/prune.out"))"
  redis-cli -p "$snap" --scan | grep -v '^session:' | xargs -n 1000 redis-cli -p "$snap" unlink >/dev/null
fi
t3=$(now)
[[ $(dbsize "$snap") == "$subset" ]] || { echo "snapshot+prune: $(dbsize "$snap") keys left, expected $subset" >&2; exit 1; }
results+=("snapshot: redis-cli --rdb + load|$loaded|$(python3 -c "print(f'{$t2-$t0:.2f}')")|$(rate "$loaded" "$t0" "$t2")|rdb $(python3 -c "print(f'{$t1-$t0:.2f}')")s, load $(python3 -c "print(f'{$t2-$t1:.2f}')")s")
results+=("snapshot + prune to session:*|$subset|$(python3 -c "print(f'{$t3-$t0:.2f}')")|$(rate "$subset" "$t0" "$t3")|$prune_how")
redis-cli -p "$snap" shutdown nosave >/dev/null 2>&1 || true

echo "4/4 MIGRATE COPY REPLACE KEYS, batches of 1000 ..." >&2
dst=$(free_port); start_redis migrate "$dst"
redis-cli -p "$src" --scan > "$work/keys.txt"
python3 - "$src" "$dst" "$work/keys.txt" > "$work/migrate.resp" <<'PY'
import sys
src, dst, path = sys.argv[1], sys.argv[2], sys.argv[3]
keys = [l.rstrip("\n").encode() for l in open(path)]
out = sys.stdout.buffer
for i in range(0, len(keys), 1000):
    args = [b"MIGRATE", b"127.0.0.1", dst.encode(), b"", b"0", b"60000", b"COPY", b"REPLACE", b"KEYS"] + keys[i:i + 1000]
    out.write(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
PY
t0=$(now)
redis-cli -p "$src" --pipe < "$work/migrate.resp" >/dev/null
t1=$(now)
migrated=$(dbsize "$dst")
results+=("MIGRATE COPY REPLACE KEYS x1000|$migrated|$(python3 -c "print(f'{$t1-$t0:.2f}')")|$(rate "$migrated" "$t0" "$t1")|server-side, sequential")

results+=("$verify_result")
echo
printf '%-46s %10s %8s %10s  %s\n' "path" "keys" "seconds" "keys/s" "notes"
for r in "${results[@]}"; do
  IFS='|' read -r a b c d e <<<"$r"
  printf '%-46s %10s %8s %10s  %s\n' "$a" "$b" "$c" "$d" "$e"
done
full=$(cut -d'|' -f4 <<<"${results[0]}"); sub=$(cut -d'|' -f3 <<<"${results[1]}")
fullsec=$(cut -d'|' -f3 <<<"${results[0]}"); verifysec=$(cut -d'|' -f3 <<<"$verify_result")
snapr=$(cut -d'|' -f4 <<<"${results[2]}"); snapprune=$(cut -d'|' -f3 <<<"${results[3]}"); mig=$(cut -d'|' -f4 <<<"${results[4]}")
echo
python3 - <<PY
print(f"full copy / snapshot path keys/s      = {$full / $snapr:.2f}  (target >= 0.50)")
print(f"full copy / MIGRATE COPY keys/s       = {$full / $mig:.2f}  (target >= 1.00)")
print(f"subset copy time / snapshot+prune time = {$sub / $snapprune:.2f}  (target < 1.00)")
print(f"full verify time / full copy time       = {$verifysec / $fullsec:.2f}  (target <= 1.50)")
PY

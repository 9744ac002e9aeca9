#!/usr/bin/env bash
# Benchmark of `cutover redis inventory`, `verify` and `prune` on one machine, against what people script today.
#
# Loads KEYS keys (default 1,000,000: 80% 100-byte strings, 20% hashes of 10 fields, half with TTLs, 10% under
# session:) into a fresh source and, identically, a fresh target Redis, then measures keys/s of:
#   1. cutover redis inventory (heap capped with -Xmx128m)  vs  redis-cli --memkeys (SCAN + TYPE + MEMORY USAGE)
#   2. cutover redis verify of identical servers (-Xmx256m; DUMP compare, digest fallback)  — no common baseline
#   3. cutover redis prune --keep 'session:*' --yes on the target  vs  redis-cli --scan | grep -v | xargs UNLINK
#      on the source (both delete the same 90%)
# Needs Debian's redis-server/redis-cli and python3. Starts its own servers on free ports and stops them at the end.
#
# Environment: KEYS (key count), CUTOVER_JAR (use this jar instead of ./cutover, which builds when sources changed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEYS="${KEYS:-1000000}"
source "$here/bench/lib.sh"
bench_init bench-inspect

cutover_cmd() { # heap cap → the command (as words) running cutover with it
  if [[ -n "${CUTOVER_JAR:-}" ]]; then echo java "$1" -jar "$CUTOVER_JAR"; else echo env CUTOVER_JAVA_OPTS="$1" "$here/cutover"; fi
}
read -r -a cut128 <<< "$(cutover_cmd -Xmx128m)"
read -r -a cut256 <<< "$(cutover_cmd -Xmx256m)"

secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }


src=$(free_port); start_redis source "$src"
dst=$(free_port); start_redis target "$dst"
echo "filling source and target with $KEYS keys each ..." >&2
fill "$src"; fill "$dst"
total=$(dbsize "$src")
subset=$(redis-cli -p "$src" --scan --pattern 'session:*' | wc -l)
echo "source: $total keys, session:* = $subset keys; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"${cut128[@]}" --version >/dev/null   # build the jar (if needed) before timing anything

results=()
timed() { # label keys command... ; prints label|keys|seconds|keys/s|rss
  local label=$1 keys=$2; shift 2
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%M" -o "$work/rss" "$@" > "$work/out" 2> "$work/err" || [[ $? == 1 ]] || { cat "$work/err" >&2; exit 3; }
  t1=$(now)
  results+=("$label|$keys|$(secs "$t0" "$t1")|$(rate "$keys" "$t0" "$t1")|rss $(( $(cat "$work/rss") / 1024 )) MB")
}

echo "1/3 inventory ..." >&2
timed "cutover redis inventory (-Xmx128m)" "$total" "${cut128[@]}" redis inventory --source "redis://127.0.0.1:$src" --include 'session:*' --format json
grep -q "\"keys\" : $subset" "$work/out" || { echo "inventory: selected keys != $subset" >&2; exit 1; }
timed "redis-cli --memkeys (baseline)" "$total" redis-cli -p "$src" --memkeys

echo "2/3 verify ..." >&2
timed "cutover redis verify, identical (-Xmx256m)" "$total" "${cut256[@]}" redis verify --source "redis://127.0.0.1:$src" \
  --target "redis://127.0.0.1:$dst" --ttl-tolerance 10m --format json
grep -q '"identical" : true' "$work/out" || { echo "verify: not identical" >&2; cat "$work/out" >&2; exit 1; }

echo "3/3 prune to session:* ..." >&2
deleted=$((total - subset))
timed "cutover redis prune --keep 'session:*' --yes" "$deleted" "${cut128[@]}" redis prune --target "redis://127.0.0.1:$dst" --keep 'session:*' --yes --format json
[[ $(dbsize "$dst") == "$subset" ]] || { echo "prune: target has $(dbsize "$dst") keys, expected $subset" >&2; exit 1; }
timed "redis-cli --scan + grep -v + xargs UNLINK (baseline)" "$deleted" bash -c \
  "redis-cli -p $src --scan | grep -v '^session:' | xargs -d '\n' -n 1000 redis-cli -p $src unlink >/dev/null"
[[ $(dbsize "$src") == "$subset" ]] || { echo "baseline prune: source has $(dbsize "$src") keys, expected $subset" >&2; exit 1; }

echo
printf '%-52s %10s %9s %10s  %s\n' "run" "keys" "seconds" "keys/s" "peak RSS"
for r in "${results[@]}"; do
  IFS='|' read -r label keys s kps rss <<< "$r"
  printf '%-52s %10s %9s %10s  %s\n' "$label" "$keys" "$s" "$kps" "$rss"
done

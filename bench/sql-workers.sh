#!/usr/bin/env bash
# Benchmark of one window shared by 1, 2 and 4 workers (`cutover sql migrate --workers-total N --worker auto`),
# PostgreSQL → PostgreSQL on the local server.
#
# Builds ROWS source rows (default 1,000,000: 20% users, 40% coins pointing at users, 40% purchases pointing at users
# and coins; the narrow shape of bench/sql-migrate.sh) once, then for each worker count in WORKERS (default "1 2 4"):
# a fresh target, N worker processes started together (each with JOB_COMPLETION_INDEX set, as a Kubernetes Indexed
# Job sets it), timed from the first start to the last exit, then `sql verify` of every row (not timed). Reports
# rows/s, the speed-up over one worker, and the CPU seconds the PostgreSQL server spent (all its processes, from
# /proc: live ones plus the postmaster's reaped children) against the workers' own CPU seconds, and how busy the
# machine's cores were. Source and target live on the same server, as in bench/sql-migrate.sh.
# Uses uniquely named databases (cutover_wbench_<pid>_*) and drops them at the end.
#
# Environment: ROWS, WORKERS ("1 2 4"), PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), BATCH (5000),
# CUTOVER_JAR (use this jar instead of ./cutover), MIGRATE_ARGS (extra migrate arguments, e.g. "--writers 1").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${ROWS:-1000000}"
WORKERS="${WORKERS:-1 2 4}"
BATCH="${BATCH:-5000}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
HEAP="-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
prefix="cutover_wbench_$$"
src="${prefix}_src" tgt="${prefix}_tgt"
work="$(mktemp -d /tmp/cutover-sql-workers-XXXXXX)"
cleanup() {
  for db in "$src" "$tgt"; do psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
if [[ -n "${CUTOVER_JAR:-}" ]]; then
  cut_cmd=(java $HEAP -jar "$CUTOVER_JAR")
else
  cut_cmd=(env CUTOVER_JAVA_OPTS="$HEAP" "$here/cutover")
fi
now() { date +%s.%N; }
clk=$(getconf CLK_TCK)

# CPU seconds of the PostgreSQL server so far: every live postgres process, plus what the postmaster's exited
# children (the backends of closed connections) used, which the kernel adds to its cutime/cstime.
pg_cpu() {
  python3 - "$clk" <<'PY'
import os, sys
tck = int(sys.argv[1]); total = 0
for pid in os.listdir('/proc'):
    if not pid.isdigit():
        continue
    try:
        with open(f'/proc/{pid}/stat') as f:
            s = f.read()
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            cmd = f.read()
    except OSError:
        continue
    comm = s[s.index('(') + 1:s.rindex(')')]
    if comm != 'postgres' and not cmd.startswith(b'postgres'):
        continue
    fields = s[s.rindex(')') + 2:].split()
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    total += utime + stime
    if b'/bin/postgres' in cmd:
        total += cutime + cstime  # the postmaster: its reaped backends
print(total / tck)
PY
}
# busy and total jiffies of the whole machine
machine() { awk '/^cpu /{ busy=$2+$3+$4+$7+$8; print busy, busy+$5+$6 }' /proc/stat; }

users=$((ROWS / 5)); coins=$((ROWS * 2 / 5)); purchases=$((ROWS - users - coins))
echo "source: $users users, $coins coins, $purchases purchases ($ROWS rows); $(nproc) cores"
psql -qX -d postgres -c "CREATE DATABASE $src" >/dev/null
psql -qX -d "$src" >/dev/null <<SQL
CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(100), email VARCHAR(200), created_at TIMESTAMP NOT NULL);
CREATE TABLE coins (id BIGINT PRIMARY KEY, user_id BIGINT, amount INT NOT NULL, created_at TIMESTAMP NOT NULL);
CREATE TABLE purchases (id BIGINT PRIMARY KEY, user_id BIGINT, coin_id BIGINT, item VARCHAR(100), price INT,
  created_at TIMESTAMP NOT NULL);
INSERT INTO users SELECT g, 'user ' || g, 'User' || g || '@Example.com', TIMESTAMP '2023-01-01' + g * INTERVAL '1 second'
  FROM generate_series(1, $users) g;
INSERT INTO coins SELECT g, 1 + g % $users, g % 1000, TIMESTAMP '2023-06-01' + g * INTERVAL '1 second'
  FROM generate_series(1, $coins) g;
INSERT INTO purchases SELECT g, 1 + g % $users, CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + g % $coins END, 'volume ' || g,
  g % 500, TIMESTAMP '2023-09-01' + g * INTERVAL '1 second' FROM generate_series(1, $purchases) g;
VACUUM ANALYZE;
SQL
cat > "$work/plan.yaml" <<YAML
source: {url: "jdbc:postgresql://$PGHOST:$PGPORT/$src", user: $PGUSER, password: "\${PGPASSWORD:-}"}
target: {url: "jdbc:postgresql://$PGHOST:$PGPORT/$tgt", user: $PGUSER, password: "\${PGPASSWORD:-}"}
steps:
  - {name: users, from: users, key: id, changed: [created_at], into: accounts, target_key: id,
     columns: {display_name: name, email: "lower(email)", registered_at: created_at}}
  - {name: coins, from: coins, key: id, changed: [created_at], into: wallet_coins, target_key: id,
     columns: {amount: amount}, refs: {account_id: {from: user_id, step: users}}}
  - {name: purchases, from: purchases, key: id, changed: [created_at], into: orders, target_key: id,
     columns: {item: item, price: price},
     refs: {account_id: {from: user_id, step: users}, coin_id: {from: coin_id, step: coins}}}
YAML

base_rate=""
summary=()
for n in $WORKERS; do
  psql -qX -d postgres -c "DROP DATABASE IF EXISTS $tgt WITH (FORCE)" -c "CREATE DATABASE $tgt" >/dev/null 2>&1
  psql -qX -d "$tgt" >/dev/null <<SQL
CREATE TABLE accounts (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, display_name VARCHAR(100), email VARCHAR(200),
  registered_at TIMESTAMP);
CREATE TABLE wallet_coins (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id BIGINT, amount INT NOT NULL);
CREATE TABLE orders (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id BIGINT, coin_id BIGINT,
  item VARCHAR(40), price INT);
SQL
  psql -qX -d postgres -c "CHECKPOINT" >/dev/null
  read -r busy0 all0 < <(machine)
  cpu0=$(pg_cpu)
  t0=$(now)
  pids=()
  for i in $(seq 0 $((n - 1))); do
    JOB_COMPLETION_INDEX=$i /usr/bin/time -f "%U %S" -o "$work/cpu.$n.$i" "${cut_cmd[@]}" sql migrate --plan "$work/plan.yaml" \
      --since 2000-01-01 --until 2026-01-01 --batch "$BATCH" --workers-total "$n" --worker auto ${MIGRATE_ARGS:-} \
      > "$work/worker.$n.$i" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { echo "a worker failed:"; cat "$work"/worker."$n".*; exit 3; }; done
  t1=$(now)
  cpu1=$(pg_cpu)
  read -r busy1 all1 < <(machine)
  workers_cpu=$(cat "$work"/cpu."$n".* | awk '{ s += $1 + $2 } END { printf "%.1f", s }')
  secs=$(python3 -c "print(f'{$t1-$t0:.1f}')")
  rate=$(python3 -c "print(round($ROWS/($t1-$t0)))")
  pg=$(python3 -c "print(f'{$cpu1-$cpu0:.1f}')")
  busy=$(python3 -c "print(f'{($busy1-$busy0)/($all1-$all0):.0%}')")
  [[ -z "$base_rate" ]] && base_rate=$rate
  speedup=$(python3 -c "print(f'{$rate/$base_rate:.2f}x')")
  "${cut_cmd[@]}" sql verify --plan "$work/plan.yaml" > "$work/verify.$n" || { echo "verify found differences:"; cat "$work/verify.$n"; exit 1; }
  line="$n worker(s): $ROWS rows in ${secs}s = $(printf "%'d" "$rate") rows/s ($speedup); PostgreSQL CPU ${pg}s, workers' CPU ${workers_cpu}s, machine busy $busy; verify: $(tail -n 1 "$work/verify.$n")"
  echo "$line"
  sed 's/^/     /' "$work/worker.$n.0" | head -n 8
  summary+=("$line")
done
echo
echo "== summary (ROWS=$ROWS, $(nproc) cores, source and target on one PostgreSQL)"
printf '%s\n' "${summary[@]}"

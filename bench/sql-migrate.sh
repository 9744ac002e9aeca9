#!/usr/bin/env bash
# Benchmark of `cutover sql migrate` (migration log + ref translation on) against a COPY pipe, PostgreSQL → PostgreSQL.
#
# Builds ROWS source rows (default 1,000,000: 20% users, 40% coins pointing at users, 40% purchases pointing at
# users and coins) in a fresh database on the local PostgreSQL, then measures rows/s of:
#   1. psql -c "COPY t TO STDOUT" | psql -c "COPY t FROM STDIN" for the three tables (the limit: no translation,
#      into tables shaped like the source with their primary keys, and with the same foreign keys as the modern
#      schema has in that variant)
#   2. cutover sql migrate of one window holding every row into the modern schema (generated keys, foreign keys in
#      the FK=1 variant, every row logged, every ref translated through the log), heap capped with -Xmx512m
#   4. cutover sql verify of every row, right after each migrate
# 1 and 2+4 alternate over ROUNDS rounds (default 3; the targets are emptied between rounds), because this machine's
# speed drifts by tens of percent over minutes: each round's pair is compared, and the ratios of the median rates
# are the results. Then, once:
#  1b. the COPY pipe again with the rows' migration-log entries (written to files beforehand) COPY'd alongside it
#      into tables shaped like cutover's per-step logs: what PostgreSQL alone must do for a logged migration, no tool involved
#   3. cutover sql migrate of the same window again (every row an update through the log)
# Each measured phase starts after a CHECKPOINT, so that none pays for writing out the dirty pages (and the full-page
# images in the WAL) of the phase before it.
# Runs it all twice on the same source rows: without foreign keys on either target (FK=0), then with them on both
# (FK=1: coins/wallet_coins and purchases/orders reference their parents); FK=0 or FK=1 runs one variant only.
# Wide tables (SHAPE=wide or all): real tables are wide, so the same alternated rounds of COPY pipe against migrate
# (+ verify) run on
#   wide:      one step of ROWS rows with 21 columns (int, bigint, text, varchar, numeric, double, boolean, date,
#              timestamp; NULLs in the optional ones), the same types on both sides, no refs
#   wide+refs: the same shape with three refs (two parents of ROWS/10 rows each, foreign keys on both targets):
#              ROWS + ROWS/5 rows in all
# whose plans are drafted by `cutover sql draft` from the two schemas (so the draft is exercised too).
# Uses uniquely named databases (cutover_bench_<pid>_*) and drops them at the end.
#
# Environment: ROWS, PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), BATCH (migrate's --batch, default 5000),
# CUTOVER_JAR (use this jar instead of ./cutover, which builds when sources changed), FK (both, 0 or 1: narrow only),
# MIGRATE_ARGS (extra migrate arguments, e.g. "--writers 4"), ROUNDS (3), SHAPE (all, narrow or wide).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${ROWS:-1000000}"
BATCH="${BATCH:-5000}"
FK="${FK:-both}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
HEAP="-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC" # the launcher's default JVM options for sql, plus the heap cap
ROUNDS="${ROUNDS:-3}"
SHAPE="${SHAPE:-all}"
case "$SHAPE" in all|narrow|wide) ;; *) echo "SHAPE must be all, narrow or wide" >&2; exit 2 ;; esac
prefix="cutover_bench_$$"
src="${prefix}_src" copy="${prefix}_copy" tgt="${prefix}_tgt" wsrc="${prefix}_wsrc"
work="$(mktemp -d /tmp/cutover-sql-bench-XXXXXX)"
cleanup() {
  for db in "$src" "$copy" "$tgt" "$wsrc"; do psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -n "${CUTOVER_JAR:-}" ]]; then
  cut_cmd=(java $HEAP -jar "$CUTOVER_JAR")
else
  cut_cmd=(env CUTOVER_JAVA_OPTS="$HEAP" "$here/cutover")
fi
cutover() { "${cut_cmd[@]}" "$@"; }
now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1/($3-$2):,.0f}')"; }
secs() { python3 -c "print(f'{$2-$1:.1f}')"; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR]=$1 } END { m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%d", m }'; }

users=$((ROWS / 5)); coins=$((ROWS * 2 / 5)); purchases=$((ROWS - users - coins))
legacy_ddl="
CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(100), email VARCHAR(200), created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP);
CREATE TABLE coins (id BIGINT PRIMARY KEY, user_id BIGINT, amount INT NOT NULL, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP);
CREATE TABLE purchases (id BIGINT PRIMARY KEY, user_id BIGINT, coin_id BIGINT, item VARCHAR(100), price INT,
  created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP);
CREATE TABLE deleted_records (table_name VARCHAR(50) NOT NULL, record_id BIGINT NOT NULL, deleted_at TIMESTAMP NOT NULL);"
narrow_source() { # the narrow tables' source rows
  echo "source: $users users, $coins coins, $purchases purchases ($ROWS rows)"
  psql -qX -d postgres -c "CREATE DATABASE $src" >/dev/null
  psql -qX -d "$src" -c "$legacy_ddl" >/dev/null
  psql -qX -d "$src" >/dev/null <<SQL
  INSERT INTO users SELECT g, 'user ' || g, 'User' || g || '@Example.com', TIMESTAMP '2023-01-01' + g * INTERVAL '1 second', NULL
    FROM generate_series(1, $users) g;
  INSERT INTO coins SELECT g, 1 + g % $users, g % 1000, TIMESTAMP '2023-06-01' + g * INTERVAL '1 second', NULL
    FROM generate_series(1, $coins) g;
  INSERT INTO purchases SELECT g, 1 + g % $users, CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + g % $coins END, 'volume ' || g, g % 500,
    TIMESTAMP '2023-09-01' + g * INTERVAL '1 second', NULL FROM generate_series(1, $purchases) g;
  VACUUM ANALYZE;
SQL
}
checkpoint() { psql -qX -d postgres -c "CHECKPOINT" >/dev/null; }
copy_pipe() { # the limit: the three tables COPY'd out of the source and into the copy database
  for t in users coins purchases; do
    psql -qX -d "$src" -c "COPY $t TO STDOUT" | psql -qX -d "$copy" -c "COPY $t FROM STDIN"
  done
}
migrate_window() { # cutover sql migrate of the one window holding every row; extra arguments go before it
  "$@" "${cut_cmd[@]}" sql migrate --plan "$work/plan.yaml" --since 2000-01-01 --until 2030-01-01 --batch "$BATCH" ${MIGRATE_ARGS:-}
}
summary=()

# One variant: fresh copy and target databases, with (1) or without (0) foreign keys on both.
variant() {
  local fk="$1" ref_users="" ref_coins="" legacy_refs=""
  if [[ "$fk" == "1" ]]; then
    ref_users="REFERENCES accounts(id)"; ref_coins="REFERENCES wallet_coins(id)"
    legacy_refs="ALTER TABLE coins ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE purchases ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE purchases ADD FOREIGN KEY (coin_id) REFERENCES coins(id);"
  fi
  echo
  echo "== foreign keys on the targets: $([[ "$fk" == "1" ]] && echo yes || echo no) (FK=$fk)"
  for db in "$copy" "$tgt"; do
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null 2>&1
  done
  psql -qX -d "$copy" -c "$legacy_ddl" -c "$legacy_refs" >/dev/null
  psql -qX -d "$tgt" >/dev/null <<SQL
CREATE TABLE accounts (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, display_name VARCHAR(100), email VARCHAR(200),
  registered_at TIMESTAMP, visible BOOLEAN NOT NULL DEFAULT TRUE);
CREATE TABLE wallet_coins (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id BIGINT $ref_users,
  amount INT NOT NULL, origin VARCHAR(10));
CREATE TABLE orders (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id BIGINT $ref_users,
  coin_id BIGINT $ref_coins, item VARCHAR(40), price INT);
SQL
  cat > "$work/plan.yaml" <<YAML
source: {url: "jdbc:postgresql://$PGHOST:$PGPORT/$src", user: $PGUSER, password: "\${PGPASSWORD:-}"}
target: {url: "jdbc:postgresql://$PGHOST:$PGPORT/$tgt", user: $PGUSER, password: "\${PGPASSWORD:-}"}
deletions: {table: deleted_records, table_column: table_name, key_column: record_id, time_column: deleted_at}
steps:
  - {name: users, from: users, key: id, changed: [created_at, updated_at], into: accounts, target_key: id,
     columns: {display_name: name, email: "lower(email)", registered_at: created_at}}
  - {name: coins, from: coins, key: id, changed: [created_at, updated_at], into: wallet_coins, target_key: id,
     columns: {amount: amount, origin: "'app'"}, refs: {account_id: {from: user_id, step: users}}}
  - {name: purchases, from: purchases, key: id, changed: [created_at, updated_at], into: orders, target_key: id,
     columns: {item: item, price: price},
     refs: {account_id: {from: user_id, step: users}, coin_id: {from: coin_id, step: coins}}}
YAML
  cutover sql check --plan "$work/plan.yaml" >/dev/null

  local t0 t1 round copy_rate mig_rate ver_rate floor_rate
  local copy_rates=() mig_rates=() ver_rates=() ratios=() vratios=()
  # COPY and migrate alternate over ROUNDS rounds (the machine's speed drifts by tens of percent over minutes):
  # each round compares its own pair, and the medians are reported
  for round in $(seq 1 "$ROUNDS"); do
    if (( round > 1 )); then
      psql -qX -d "$copy" -c "TRUNCATE users, coins, purchases" >/dev/null
      psql -qX -d "$tgt" -c "TRUNCATE accounts, wallet_coins, orders RESTART IDENTITY" \
        -c "DROP TABLE cutover_log_users, cutover_log_coins, cutover_log_purchases, cutover_runs, cutover_run_steps, cutover_errors" >/dev/null
    fi
    if (( round % 2 )); then order=(copy migrate); else order=(migrate copy); fi
    for phase in "${order[@]}"; do
      checkpoint
      t0=$(now)
      if [[ $phase == copy ]]; then
        copy_pipe
        t1=$(now)
        copy_rate=$(rate "$ROWS" "$t0" "$t1")
        echo "1. COPY pipe (round $round):        $ROWS rows in $(secs "$t0" "$t1")s = $copy_rate rows/s"
      else
        migrate_window /usr/bin/time -f "%M" -o "$work/rss1" > "$work/migrate.txt"
        t1=$(now)
        mig_rate=$(rate "$ROWS" "$t0" "$t1")
        echo "2. cutover sql migrate (round $round): $ROWS rows in $(secs "$t0" "$t1")s = $mig_rate rows/s (max RSS $(( $(cat "$work/rss1") / 1024 )) MB)"
        if (( round == ROUNDS )); then sed 's/^/     /' "$work/migrate.txt"; fi
        checkpoint
        t0=$(now)
        /usr/bin/time -f "%M" -o "$work/rss2" "${cut_cmd[@]}" sql verify --plan "$work/plan.yaml" > "$work/verify.txt"
        t1=$(now)
        ver_rate=$(rate "$ROWS" "$t0" "$t1")
        echo "4. cutover sql verify (round $round):  $ROWS rows in $(secs "$t0" "$t1")s = $ver_rate rows/s (max RSS $(( $(cat "$work/rss2") / 1024 )) MB)"
        tail -n 1 "$work/verify.txt" | sed 's/^/     /'
      fi
    done
    copy_rates+=("${copy_rate//,/}"); mig_rates+=("${mig_rate//,/}"); ver_rates+=("${ver_rate//,/}")
    ratios+=("$(python3 -c "print(f'{${mig_rate//,/}/${copy_rate//,/}:.0%}')")")
    vratios+=("$(python3 -c "print(f'{${ver_rate//,/}/${mig_rate//,/}:.2f}x')")")
  done
  copy_rate=$(median "${copy_rates[@]}"); mig_rate=$(median "${mig_rates[@]}"); ver_rate=$(median "${ver_rates[@]}")

  # The database's own share of a logged migration, without any tool: the COPY pipe again, with the rows'
  # migration-log entries (prepared beforehand, in a table shaped like cutover's log) COPY'd in alongside it.
  psql -qX -d "$copy" -c "TRUNCATE users, coins, purchases" >/dev/null
  for t in users coins purchases; do
    psql -qX -d "$copy" -c "CREATE TABLE log_floor_$t (source_key BIGINT PRIMARY KEY, target_key BIGINT NOT NULL,
          window_since TIMESTAMP, window_until TIMESTAMP, run_id BIGINT NOT NULL, migrated_at TIMESTAMP NOT NULL)" >/dev/null
    psql -qX -d "$src" -c "COPY (SELECT id, id, TIMESTAMP '2000-01-01', TIMESTAMP '2030-01-01', 1, now()::timestamp FROM $t) TO STDOUT" \
      > "$work/log_floor_$t.txt"
  done
  checkpoint
  t0=$(now)
  copy_pipe &
  local pipe=$!
  for t in users coins purchases; do psql -qX -d "$copy" -c "\\copy log_floor_$t FROM '$work/log_floor_$t.txt'"; done
  wait "$pipe"
  t1=$(now)
  floor_rate=$(rate "$ROWS" "$t0" "$t1")
  rm -f "$work"/log_floor_*.txt
  echo "1b. COPY pipe + log entries:  $ROWS rows in $(secs "$t0" "$t1")s = $floor_rate rows/s (PostgreSQL's share of a logged migration)"

  checkpoint
  t0=$(now)
  migrate_window > "$work/rerun.txt"
  t1=$(now)
  echo "3. rerun (all updates):       $ROWS rows in $(secs "$t0" "$t1")s = $(rate "$ROWS" "$t0" "$t1") rows/s"

  summary+=("$(python3 -c "
c=float('$copy_rate'.replace(',','')); m=float('$mig_rate'.replace(',','')); v=float('$ver_rate'.replace(',',''))
f=float('$floor_rate'.replace(',',''))
print(f'FK=$fk: migrate / COPY = {m/c:.0%} (median rates of $ROUNDS alternated rounds; per round: ${ratios[*]}; target >= 40%; COPY pipe + log entries alone: {f/c:.0%}); verify / migrate = {v/m:.2f}x (medians; per round: ${vratios[*]}; target >= 1)')")")
  echo "${summary[-1]}"
}

# The wide tables: 20 columns of mixed types besides the key; `wide_columns` with its types, the rows' values
# computed from g (NULLs in the optional columns), and refs as extra columns where a variant has them.
wide_columns="account_no INT NOT NULL, seq BIGINT NOT NULL, quantity INT, big_counter BIGINT,
  title TEXT NOT NULL, body TEXT, code VARCHAR(32) NOT NULL, category VARCHAR(40), note VARCHAR(200),
  amount NUMERIC(12,2) NOT NULL, rate NUMERIC(8,5), score DOUBLE PRECISION, ratio DOUBLE PRECISION,
  active BOOLEAN NOT NULL, flagged BOOLEAN, day DATE NOT NULL, due DATE, happened_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP"
wide_values="g % 100000, g * 7919::bigint, CASE WHEN g % 9 = 0 THEN NULL ELSE g % 50 END, g::bigint * 1000003,
  'event title ' || g, CASE WHEN g % 5 = 0 THEN NULL ELSE repeat('body ', 1 + g % 12) || g END, 'C' || (g % 9973),
  'category ' || (g % 40), CASE WHEN g % 7 = 0 THEN NULL ELSE 'a note about event ' || g END,
  (g % 1000000) / 100.0, CASE WHEN g % 3 = 0 THEN NULL ELSE (g % 99991) / 100000.0 END, g / 7.0, CASE WHEN g % 4 = 0 THEN NULL ELSE 1.0 / g END,
  g % 2 = 0, CASE WHEN g % 11 = 0 THEN NULL ELSE g % 3 = 0 END, DATE '2020-01-01' + (g % 1500),
  CASE WHEN g % 6 = 0 THEN NULL ELSE DATE '2021-01-01' + (g % 900) END, TIMESTAMP '2022-01-01' + g * INTERVAL '17 second',
  TIMESTAMP '2023-01-01' + g * INTERVAL '1 second', CASE WHEN g % 8 = 0 THEN TIMESTAMP '2024-01-01' + g * INTERVAL '1 second' END"
parents=$((ROWS / 10))
# DDL of one side; $1: the key column's type (the legacy's own ids, or generated on the targets), $2: REFERENCES or not
wide_ddl() {
  local id="$1" fk="$2"
  local ref_owner="" ref_shop=""
  if [[ "$fk" == 1 ]]; then ref_owner="REFERENCES owners(id)"; ref_shop="REFERENCES shops(id)"; fi
  echo "CREATE TABLE events (id $id PRIMARY KEY, $wide_columns);
CREATE TABLE owners (id $id PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200), created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP);
CREATE TABLE shops (id $id PRIMARY KEY, name VARCHAR(100) NOT NULL, city VARCHAR(60), created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP);
CREATE TABLE orders_wide (id $id PRIMARY KEY, owner_id BIGINT NOT NULL $ref_owner, shop_id BIGINT $ref_shop,
  referrer_id BIGINT $ref_owner, $wide_columns);"
}
wide_source() {
  echo "wide source: $ROWS events (21 columns); $parents owners, $parents shops, $ROWS orders_wide (24 columns, 3 refs)"
  psql -qX -d postgres -c "CREATE DATABASE $wsrc" >/dev/null
  psql -qX -d "$wsrc" -c "$(wide_ddl BIGINT 1)" >/dev/null
  psql -qX -d "$wsrc" >/dev/null <<SQL
INSERT INTO events SELECT g, $wide_values FROM generate_series(1, $ROWS) g;
INSERT INTO owners SELECT g, 'owner ' || g, CASE WHEN g % 4 = 0 THEN NULL ELSE 'owner' || g || '@example.com' END,
  TIMESTAMP '2021-01-01' + g * INTERVAL '1 second', NULL FROM generate_series(1, $parents) g;
INSERT INTO shops SELECT g, 'shop ' || g, 'city ' || (g % 300), TIMESTAMP '2021-01-01' + g * INTERVAL '1 second', NULL
  FROM generate_series(1, $parents) g;
INSERT INTO orders_wide SELECT g, 1 + g % $parents, CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + (g * 7) % $parents END,
  CASE WHEN g % 3 = 0 THEN 1 + (g * 13) % $parents END, $wide_values FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE;
SQL
}

# One wide variant: "wide" (events alone) or "refs" (owners, shops, orders_wide), in fresh copy and target databases.
wide_variant() {
  local kind="$1" tables rows
  if [[ "$kind" == wide ]]; then tables=(events); rows=$ROWS; else tables=(owners shops orders_wide); rows=$((ROWS + 2 * parents)); fi
  echo
  echo "== wide tables: ${tables[*]} ($rows rows)"
  for db in "$copy" "$tgt"; do
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null 2>&1
  done
  # the copy database mirrors the source; the target generates its keys; both have the foreign keys
  psql -qX -d "$copy" -c "$(wide_ddl BIGINT 1)" >/dev/null
  psql -qX -d "$tgt" -c "$(wide_ddl 'BIGINT GENERATED BY DEFAULT AS IDENTITY' 1)" >/dev/null
  if [[ "$kind" == wide ]]; then # the other tables are not part of this variant
    psql -qX -d "$tgt" -c "DROP TABLE orders_wide, owners, shops" >/dev/null
  else
    psql -qX -d "$tgt" -c "DROP TABLE events" >/dev/null
  fi
  cutover sql draft --source "jdbc:postgresql://$PGHOST:$PGPORT/$wsrc" --source-user "$PGUSER" \
    --target "jdbc:postgresql://$PGHOST:$PGPORT/$tgt" --target-user "$PGUSER" --out "$work/plan.yaml" --force >/dev/null
  CUTOVER_SOURCE_PASSWORD="${PGPASSWORD:-}" CUTOVER_TARGET_PASSWORD="${PGPASSWORD:-}" cutover sql check --plan "$work/plan.yaml"

  local t0 t1 round copy_rate mig_rate ver_rate copy_rates=() mig_rates=() ver_rates=() ratios=()
  for round in $(seq 1 "$ROUNDS"); do
    if (( round > 1 )); then
      psql -qX -d "$copy" -c "TRUNCATE $(IFS=,; echo "${tables[*]}")" >/dev/null
      psql -qX -d "$tgt" -c "TRUNCATE $(IFS=,; echo "${tables[*]}") RESTART IDENTITY" -c "DO \$\$ DECLARE r record; BEGIN
        FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'cutover\_%' LOOP
          EXECUTE 'DROP TABLE ' || quote_ident(r.tablename) || ' CASCADE'; END LOOP; END \$\$" >/dev/null
    fi
    if (( round % 2 )); then order=(copy migrate); else order=(migrate copy); fi
    for phase in "${order[@]}"; do
      checkpoint
      t0=$(now)
      if [[ $phase == copy ]]; then
        for t in "${tables[@]}"; do
          psql -qX -d "$wsrc" -c "COPY $t TO STDOUT" | psql -qX -d "$copy" -c "COPY $t FROM STDIN"
        done
        t1=$(now)
        copy_rate=$(rate "$rows" "$t0" "$t1")
        echo "1. COPY pipe (round $round):        $rows rows in $(secs "$t0" "$t1")s = $copy_rate rows/s"
      else
        CUTOVER_SOURCE_PASSWORD="${PGPASSWORD:-}" CUTOVER_TARGET_PASSWORD="${PGPASSWORD:-}" /usr/bin/time -f "%M" -o "$work/rss1" \
          "${cut_cmd[@]}" sql migrate --plan "$work/plan.yaml" --since 2000-01-01 --until 2030-01-01 --batch "$BATCH" ${MIGRATE_ARGS:-} \
          > "$work/migrate.txt"
        t1=$(now)
        mig_rate=$(rate "$rows" "$t0" "$t1")
        echo "2. cutover sql migrate (round $round): $rows rows in $(secs "$t0" "$t1")s = $mig_rate rows/s (max RSS $(( $(cat "$work/rss1") / 1024 )) MB)"
        if (( round == ROUNDS )); then sed 's/^/     /' "$work/migrate.txt"; fi
        checkpoint
        t0=$(now)
        CUTOVER_SOURCE_PASSWORD="${PGPASSWORD:-}" CUTOVER_TARGET_PASSWORD="${PGPASSWORD:-}" \
          "${cut_cmd[@]}" sql verify --plan "$work/plan.yaml" > "$work/verify.txt"
        t1=$(now)
        ver_rate=$(rate "$rows" "$t0" "$t1")
        echo "4. cutover sql verify (round $round):  $rows rows in $(secs "$t0" "$t1")s = $ver_rate rows/s"
      fi
    done
    copy_rates+=("${copy_rate//,/}"); mig_rates+=("${mig_rate//,/}"); ver_rates+=("${ver_rate//,/}")
    ratios+=("$(python3 -c "print(f'{${mig_rate//,/}/${copy_rate//,/}:.0%}')")")
  done
  copy_rate=$(median "${copy_rates[@]}"); mig_rate=$(median "${mig_rates[@]}"); ver_rate=$(median "${ver_rates[@]}")
  summary+=("$(python3 -c "
c=float('$copy_rate'); m=float('$mig_rate'); v=float('$ver_rate')
print(f'$kind (${tables[*]}): migrate / COPY = {m/c:.0%} (median rates of $ROUNDS alternated rounds: COPY {c:,.0f}, migrate {m:,.0f} rows/s; per round: ${ratios[*]}; target >= 40%); verify / migrate = {v/m:.2f}x')")")
  echo "${summary[-1]}"
}

if [[ "$SHAPE" != wide ]]; then
  narrow_source
  case "$FK" in
    both) variant 0; variant 1 ;;
    0|1) variant "$FK" ;;
    *) echo "FK must be both, 0 or 1" >&2; exit 2 ;;
  esac
fi
if [[ "$SHAPE" != narrow ]]; then
  wide_source
  wide_variant wide
  wide_variant refs
fi
echo
printf '%s\n' "${summary[@]}"

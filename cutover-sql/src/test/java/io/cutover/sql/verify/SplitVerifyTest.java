package io.cutover.sql.verify;

import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;
import io.cutover.core.workers.Worker;
import io.cutover.sql.Fixture;
import io.cutover.sql.Pairing;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.TestDb;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.Shard;
import io.cutover.sql.plan.Plan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * A verify split among 2 and 3 workers finds exactly what one worker finds: two windows with a self-reference, refs,
 * text keys and deletions are migrated, defects are planted (a corrupted value, a broken ref, a target row gone, an
 * update inserted as a new row, a source row deleted behind the log's back, a source row whose key is NULL), and the
 * workers' mismatches together are the one worker's, each found by one worker only, with the same summed counts.
 */
class SplitVerifyTest {
    private static final LocalDateTime T0 = LocalDateTime.parse("2024-01-01T00:00:00");
    private static final LocalDateTime T1 = LocalDateTime.parse("2024-02-01T00:00:00");
    private static final LocalDateTime T2 = LocalDateTime.parse("2024-03-01T00:00:00");
    private static final int CUSTOMERS = 300;
    private static final int ORDERS = 900;

    @ParameterizedTest
    @EnumSource(value = Pairing.class, names = {"PG_TO_PG", "MARIADB_TO_PG", "H2_TO_H2"})
    void workersTogetherFindExactlyWhatOneWorkerFinds(Pairing pairing) throws Exception {
        try (TestDb src = TestDb.create(pairing.source); TestDb tgt = TestDb.create(pairing.target)) {
            createAndMigrate(src, tgt);
            Plan plan = Fixture.parse(plan(src, tgt));
            try (SqlMigration m = new SqlMigration(plan)) {
                for (int n : new int[] {2, 3}) {
                    for (VerifyReport r : split(m, VerifyRequest.all(), n)) {
                        assertThat(r.ok()).as("clean target, worker " + r.worker() + " of " + n).isTrue();
                    }
                }

                // the keys of orders whose defects shard 2 of 3 holds, so that shard 3 of 3 has none
                String inShard2 = Shard.hash(1, 3).condition(m.source().dialect(), "s.id");
                List<String> keys = src.rows("SELECT s.id FROM orders s WHERE " + inShard2 + " ORDER BY s.id");
                String corrupted = keys.get(0);
                String broken = keys.get(1);
                String gone = keys.get(2);
                String deleted = keys.get(3);
                tgt.exec("UPDATE purchases SET amount = amount + 1 WHERE id = " + targetKey(tgt, "orders", corrupted),
                        "UPDATE purchases SET account_id = 99999999 WHERE id = " + targetKey(tgt, "orders", broken),
                        "DELETE FROM purchases WHERE id = " + targetKey(tgt, "orders", gone),
                        "INSERT INTO accounts (name, referrer_id) VALUES ('customer 7 (renamed)', NULL)");
                src.exec("DELETE FROM orders WHERE id = " + deleted, // not recorded in the deletion log: its log entry stays
                        "INSERT INTO notes VALUES (NULL, 'a note without its code', '2024-02-20 00:00:00')");

                VerifyReport one = m.verify(VerifyRequest.all(), Progress.silent());
                assertThat(one.mismatches()).extracting(Mismatch::step, Mismatch::key, Mismatch::column).contains(
                        tuple("orders", corrupted, "amount"),
                        tuple("orders", broken, "account_id"),
                        tuple("orders", gone, "(row)"),
                        tuple("orders", "*", "account_id"),
                        tuple("orders", "*", "(log)"),
                        tuple("notes", null, "(row)"));
                assertThat(one.mismatches()).anyMatch(x -> x.step().equals("customers") && x.key().startsWith("target:"));
                assertThat(one.mismatchCount()).isEqualTo(one.mismatches().size()).isEqualTo(7);
                assertThat(one.worker()).isZero();
                assertThat(one.workersTotal()).isEqualTo(1);

                for (int n : new int[] {2, 3}) {
                    List<VerifyReport> parts = split(m, VerifyRequest.all(), n);
                    sameAsOneWorker(one, parts, "full, " + n + " workers");
                    assertThat(parts).as("every worker compared a share").allSatisfy(p -> assertThat(p.steps())
                            .allSatisfy(s -> assertThat(s.sourceRows()).isPositive()));
                    assertThat(parts.get(0).wholeTableChecks()).containsExactly("unknown target rows", "broken refs",
                            "log entries whose source rows are gone");
                    assertThat(parts.subList(1, n)).allSatisfy(p -> assertThat(p.wholeTableChecks()).isEmpty());
                    assertThat(parts).extracting(VerifyReport::rows).containsExactlyElementsOf(
                            n == 2 ? List.of("hash shard 1/2", "hash shard 2/2") : List.of("hash shard 1/3", "hash shard 2/3", "hash shard 3/3"));
                    if (n == 3) {
                        assertThat(parts).extracting(VerifyReport::ok).containsExactly(false, false, true);
                    }
                }

                // a window and a subset are split the same way (no log check: it needs every row)
                VerifyRequest window = new VerifyRequest(T1, T2, Map.of(), 0);
                VerifyReport oneWindow = m.verify(window, Progress.silent());
                assertThat(oneWindow.steps()).allSatisfy(s -> assertThat(s.sourceRows()).isLessThan(ORDERS));
                VerifyRequest subset = new VerifyRequest(null, null, Map.of("customers", Set.of("1", "2", "3")), 0);
                VerifyReport oneSubset = m.verify(subset, Progress.silent());
                for (int n : new int[] {2, 3}) {
                    sameAsOneWorker(oneWindow, split(m, window, n), "window, " + n + " workers");
                    sameAsOneWorker(oneSubset, split(m, subset, n), "--only, " + n + " workers");
                }

                assertThatThrownBy(() -> new VerifyRequest(null, null, Map.of(), 10, new Worker(0, 2, null)))
                        .isInstanceOf(CutoverException.class).hasMessageStartingWith("--sample cannot be split among workers");
            }
        }
    }

    /** Each mismatch found by exactly one worker, none missing or added, and the counts summed as one worker's. */
    private static void sameAsOneWorker(VerifyReport one, List<VerifyReport> parts, String what) {
        List<Mismatch> union = new ArrayList<>();
        parts.forEach(p -> union.addAll(p.mismatches()));
        assertThat(union).as(what).containsExactlyInAnyOrderElementsOf(one.mismatches());
        assertThat(parts.stream().mapToLong(VerifyReport::mismatchCount).sum()).as(what).isEqualTo(one.mismatchCount());
        List<Function<StepCheck, Long>> counts = List.of(StepCheck::sourceRows, StepCheck::logged, StepCheck::compared,
                StepCheck::mismatches, StepCheck::unknownTargetRows, StepCheck::brokenRefs);
        for (StepCheck s : one.steps()) {
            long[] expected = counts.stream().mapToLong(f -> f.apply(s)).toArray();
            long[] sum = new long[counts.size()];
            for (VerifyReport p : parts) {
                StepCheck mine = p.steps().stream().filter(x -> x.step().equals(s.step())).findFirst().orElseThrow();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += counts.get(i).apply(mine);
                }
            }
            assertThat(sum).as(what + ", step " + s.step() + ": source rows, logged, compared, mismatches, unknown, broken")
                    .containsExactly(expected);
        }
        assertThat(parts).extracting(VerifyReport::workersTotal).containsOnly(parts.size());
    }

    private static List<VerifyReport> split(SqlMigration m, VerifyRequest req, int n) {
        List<VerifyReport> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(m.verify(new VerifyRequest(req.since(), req.until(), req.only(), req.sample(), new Worker(i, n, null)),
                    Progress.silent()));
        }
        return out;
    }

    private static String targetKey(TestDb tgt, String step, String sourceKey) throws SQLException {
        return tgt.rows("SELECT target_key FROM cutover_log_" + step + " WHERE source_key = " + sourceKey).get(0);
    }

    /** Two windows: every row in the first; updates, a late customer, new rows and recorded deletions in the second. */
    private static void createAndMigrate(TestDb src, TestDb tgt) throws Exception {
        String ts = src.ts();
        src.exec("CREATE TABLE customers (id BIGINT PRIMARY KEY, name VARCHAR(100), referred_by BIGINT, updated_at " + ts + " NOT NULL)",
                "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT, amount DECIMAL(10,2), note VARCHAR(100), updated_at "
                        + ts + " NOT NULL)",
                "CREATE TABLE notes (code VARCHAR(20), body VARCHAR(100), updated_at " + ts + " NOT NULL)",
                "CREATE TABLE deleted_records (table_name VARCHAR(50) NOT NULL, record_id VARCHAR(50) NOT NULL, deleted_at "
                        + ts + " NOT NULL)");
        String id = tgt.identity();
        tgt.exec("CREATE TABLE accounts (id " + id + " PRIMARY KEY, name VARCHAR(100), referrer_id BIGINT)",
                "CREATE TABLE purchases (id " + id + " PRIMARY KEY, account_id BIGINT, amount DECIMAL(10,2), note VARCHAR(100))",
                "CREATE TABLE memos (id " + id + " PRIMARY KEY, code VARCHAR(20), body VARCHAR(100))");
        List<String> customers = new ArrayList<>();
        for (int i = 1; i <= CUSTOMERS; i++) { // every tenth referred by the one before: a self-reference
            customers.add("(" + i + ", 'customer " + i + "', " + (i % 10 == 0 ? i - 1 : "NULL") + ", '2024-01-10 00:00:00')");
        }
        List<String> orders = new ArrayList<>();
        for (int i = 1; i <= ORDERS; i++) {
            orders.add("(" + i + ", " + (i % CUSTOMERS + 1) + ", " + (i % 97) + ".25, " + (i % 3 == 0 ? "NULL" : "'note " + i + "'")
                    + ", '2024-01-12 00:00:00')");
        }
        List<String> notes = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            notes.add("('n-" + i + "', 'body " + i + "', '2024-01-15 00:00:00')");
        }
        src.exec("INSERT INTO customers VALUES " + String.join(", ", customers),
                "INSERT INTO orders VALUES " + String.join(", ", orders),
                "INSERT INTO notes VALUES " + String.join(", ", notes));
        List<String> deletions = new ArrayList<>();
        for (int i = 13; i <= ORDERS; i += 13) {
            deletions.add("('orders', '" + i + "', '2024-02-12 00:00:00')");
        }
        Plan plan = Fixture.parse(plan(src, tgt));
        try (SqlMigration m = new SqlMigration(plan)) {
            assertThat(m.migrate(MigrateRequest.window(T0, T1), Progress.silent()).errors()).isZero();
            src.exec("UPDATE customers SET name = 'renamed', updated_at = '2024-02-10 00:00:00' WHERE id % 7 = 0",
                    "INSERT INTO customers VALUES (" + (CUSTOMERS + 1) + ", 'late', 1, '2024-02-10 00:00:00')",
                    "UPDATE orders SET amount = amount + 1, updated_at = '2024-02-11 00:00:00' WHERE id % 11 = 0",
                    "INSERT INTO deleted_records VALUES " + String.join(", ", deletions),
                    "DELETE FROM orders WHERE id % 13 = 0",
                    "INSERT INTO orders VALUES (" + (ORDERS + 1) + ", " + (CUSTOMERS + 1) + ", 1.50, 'new', '2024-02-13 00:00:00')",
                    "UPDATE notes SET body = 'edited', updated_at = '2024-02-14 00:00:00' WHERE code = 'n-4'");
            assertThat(m.migrate(MigrateRequest.window(T1, T2), Progress.silent()).errors()).isZero();
        }
    }

    private static String plan(TestDb src, TestDb tgt) {
        return """
                source: {url: "%s", user: %s}
                target: {url: "%s", user: %s}
                deletions: {table: deleted_records, table_column: table_name, key_column: record_id, time_column: deleted_at}
                steps:
                  - {name: customers, from: customers, key: id, changed: [updated_at], into: accounts, target_key: id,
                     columns: {name: name}, refs: {referrer_id: {from: referred_by, step: customers}}}
                  - {name: orders, from: orders, key: id, changed: [updated_at], into: purchases, target_key: id,
                     columns: {amount: amount, note: note}, refs: {account_id: {from: customer_id, step: customers}}}
                  - {name: notes, from: notes, key: code, changed: [updated_at], into: memos, target_key: id,
                     columns: {code: code, body: body}}
                """.formatted(src.url, src.user, tgt.url, tgt.user);
    }
}

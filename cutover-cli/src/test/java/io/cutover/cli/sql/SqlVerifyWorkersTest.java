package io.cutover.cli.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.sql.db.Dialect;
import io.cutover.sql.migrate.Shard;
import io.cutover.testkit.sql.LocalDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code cutover sql verify --workers-total N --worker I|auto} on embedded PostgreSQL: two windows with a
 * self-reference, refs and deletions migrated, then defects planted on the target and the source. Verify split among
 * 2 and 3 workers reports, worker by worker, exactly the mismatches one worker reports, with the same summed counts;
 * each worker exits 1 only when its own part has a mismatch, and says what it covered.
 */
class SqlVerifyWorkersTest {
    private static final int CUSTOMERS = 400;
    private static final int ORDERS = 1200;

    @TempDir
    static Path dir;
    private static LocalDatabases.Server pg;
    private static WorkersShop shop;
    private static String source;
    private static String target;
    private static Path plan;

    @BeforeAll
    static void migrateTwoWindows() throws Exception {
        pg = LocalDatabases.postgres();
        shop = new WorkersShop(pg);
        source = shop.database("cutover_v_");
        target = shop.database("cutover_v_");
        exec(source, WorkersShop.SOURCE_TABLES);
        exec(source,
                // every tenth customer was referred by the one before (a self-reference)
                "INSERT INTO customers SELECT i, 'customer ' || i, CASE WHEN i % 10 = 0 THEN i - 1 END, TIMESTAMP '2024-01-10' "
                        + "FROM generate_series(1, " + CUSTOMERS + ") i",
                "INSERT INTO orders SELECT i, i % " + CUSTOMERS + " + 1, (i % 997) / 7.0, CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || i END, "
                        + "TIMESTAMP '2024-01-12' FROM generate_series(1, " + ORDERS + ") i");
        exec(target, "CREATE TABLE accounts (id BIGSERIAL PRIMARY KEY, name TEXT, referrer_id BIGINT)",
                "CREATE TABLE purchases (id BIGSERIAL PRIMARY KEY, account_id BIGINT, amount NUMERIC(10,2), note TEXT)");
        plan = dir.resolve("plan.yaml");
        Files.writeString(plan, shop.plan(source, target));
        assertThat(cli("sql", "migrate", "--since=2024-01-01", "--until=2024-02-01").exit()).isZero();
        exec(source,
                "UPDATE customers SET name = name || ' (renamed)', updated_at = TIMESTAMP '2024-02-10' WHERE id % 7 = 0",
                "UPDATE orders SET amount = amount + 1, updated_at = TIMESTAMP '2024-02-11' WHERE id % 11 = 0",
                "INSERT INTO deleted_records SELECT 'orders', id::text, TIMESTAMP '2024-02-12' FROM orders WHERE id % 13 = 0",
                "DELETE FROM orders WHERE id % 13 = 0");
        assertThat(cli("sql", "migrate", "--since=2024-02-01", "--until=2024-03-01").exit()).isZero();
    }

    @Test
    void workersFindTogetherExactlyWhatOneWorkerFindsEachInItsOwnPart() throws Exception {
        SqlCommandTest.Result clean = cli("sql", "verify");
        assertThat(clean.exit()).as(clean.out()).isZero();
        for (int n : new int[] {2, 3}) {
            for (int i = 0; i < n; i++) {
                SqlCommandTest.Result r = cli("sql", "verify", "--workers-total=" + n, "--worker=" + i);
                assertThat(r.exit()).as(r.out()).isZero();
                assertThat(r.out()).startsWith("worker " + i + " of " + n + ": hash shard " + (i + 1) + "/" + n + " of each step's rows")
                        .contains("verify ok: this worker's part of the target matches the source");
            }
        }

        // defects in orders that shard 2 of 3 holds, so that worker 2 of 3 has none in its part
        List<String> keys = rows(source, "SELECT s.id FROM orders s WHERE " + Shard.hash(1, 3).condition(Dialect.POSTGRES, "s.id")
                + " ORDER BY 1");
        exec(target, "UPDATE purchases SET amount = amount + 1 WHERE id = " + targetKey(keys.get(0)),
                "UPDATE purchases SET account_id = 99999999 WHERE id = " + targetKey(keys.get(1)),
                "INSERT INTO accounts (name) VALUES ('customer 7 (renamed)')"); // an update inserted as a new row
        exec(source, "DELETE FROM orders WHERE id = " + keys.get(2)); // not in the deletion log: its log entry stays

        SqlCommandTest.Result one = cli("sql", "verify", "--format=json");
        assertThat(one.exit()).isEqualTo(1);
        JsonNode whole = Json.mapper().readTree(one.out());
        assertThat(whole.get("worker").asInt()).isZero();
        assertThat(whole.get("workersTotal").asInt()).isEqualTo(1);
        assertThat(whole.get("rows").asText()).isEqualTo("all");
        List<String> expected = mismatches(whole);
        assertThat(expected).hasSize(5).anyMatch(m -> m.startsWith("orders " + keys.get(0) + " amount "))
                .anyMatch(m -> m.startsWith("orders " + keys.get(1) + " account_id "))
                .anyMatch(m -> m.startsWith("orders * account_id "))
                .anyMatch(m -> m.startsWith("orders * (log) "))
                .anyMatch(m -> m.startsWith("customers target:"));

        for (int n : new int[] {2, 3}) {
            List<String> union = new ArrayList<>();
            long[][] sums = new long[whole.get("steps").size()][6];
            for (int i = 0; i < n; i++) {
                SqlCommandTest.Result r = cli("sql", "verify", "--workers-total=" + n, "--worker=" + i, "--format=json");
                JsonNode part = Json.mapper().readTree(r.out());
                List<String> mine = mismatches(part);
                assertThat(r.exit()).as("worker " + i + " of " + n + ": " + mine).isEqualTo(mine.isEmpty() ? 0 : 1);
                assertThat(part.get("worker").asInt()).isEqualTo(i);
                assertThat(part.get("workersTotal").asInt()).isEqualTo(n);
                assertThat(part.get("rows").asText()).isEqualTo("hash shard " + (i + 1) + "/" + n);
                assertThat(part.get("wholeTableChecks")).hasSize(i == 0 ? 3 : 0);
                union.addAll(mine);
                for (int s = 0; s < sums.length; s++) {
                    JsonNode step = part.get("steps").get(s);
                    String[] fields = {"sourceRows", "logged", "compared", "mismatches", "unknownTargetRows", "brokenRefs"};
                    for (int f = 0; f < fields.length; f++) {
                        sums[s][f] += step.get(fields[f]).asLong();
                    }
                }
                if (n == 3) {
                    assertThat(r.exit()).as("worker " + i + " of 3").isEqualTo(i == 2 ? 0 : 1);
                }
            }
            assertThat(union).as(n + " workers").containsExactlyInAnyOrderElementsOf(expected);
            for (int s = 0; s < sums.length; s++) {
                JsonNode step = whole.get("steps").get(s);
                assertThat(sums[s]).as(n + " workers, step " + step.get("step").asText()).containsExactly(
                        step.get("sourceRows").asLong(), step.get("logged").asLong(), step.get("compared").asLong(),
                        step.get("mismatches").asLong(), step.get("unknownTargetRows").asLong(), step.get("brokenRefs").asLong());
            }
        }

        SqlCommandTest.Result table = cli("sql", "verify", "--workers-total=3", "--worker=1");
        assertThat(table.exit()).isEqualTo(1);
        assertThat(table.out().lines().toList()).first().isEqualTo(
                "worker 1 of 3: hash shard 2/3 of each step's rows; whole-table checks: left to worker 0");
        assertThat(table.out()).containsPattern("(?m)^orders +\\d+ +\\d+ +\\d+ +2$").doesNotContain("unknown target rows  broken refs").contains("2 mismatch(es)");
        SqlCommandTest.Result first = cli("sql", "verify", "--workers-total=3", "--worker=0");
        assertThat(first.out().lines().toList()).first().isEqualTo("worker 0 of 3: hash shard 1/3 of each step's rows; "
                + "whole-table checks: unknown target rows, broken refs, log entries whose source rows are gone");
    }

    @Test
    void workerAutoTakesTheIndexTheEngineSets() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.cutover.cli.Cutover",
                "sql", "verify", "--plan", plan.toString(), "--workers-total=3", "--worker=auto", "--since=2024-02-01", "--until=2024-03-01"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JOB_COMPLETION_INDEX");
        pb.environment().put("AWS_BATCH_JOB_ARRAY_INDEX", "2");
        Path output = Files.createTempFile(dir, "auto-", ".txt");
        Process p = pb.redirectOutput(output.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(out).startsWith("worker 2 of 3 (AWS_BATCH_JOB_ARRAY_INDEX): hash shard 3/3 of each step's rows; "
                + "whole-table checks: left to worker 0");
        assertThat(p.exitValue()).as(out).isIn(0, 1);
    }

    @Test
    void badWorkerOptionsAreUsageErrorsWordedAsMigrateWordsThem() throws Exception {
        assumeTrue(System.getenv("JOB_COMPLETION_INDEX") == null && System.getenv("AWS_BATCH_JOB_ARRAY_INDEX") == null);
        String[][] bad = {
                {"--workers-total=3", "--worker=3"},
                {"--workers-total=3", "--worker=-1"},
                {"--workers-total=3", "--worker=auto"},
                {"--workers-total=0", "--worker=0"},
                {"--worker=1"},
                {"--workers-total=2"},
        };
        long runs = count(target, "SELECT COUNT(*) FROM cutover_runs");
        for (String[] options : bad) {
            SqlCommandTest.Result verify = cli(concat(List.of("sql", "verify"), options));
            assertThat(verify.exit()).as(String.join(" ", options)).isEqualTo(2);
            assertThat(verify.out()).isEmpty();
            assertThat(verify.err().strip()).startsWith("cutover: --worker").doesNotContain("\n");
            SqlCommandTest.Result migrate = cli(concat(List.of("sql", "migrate", "--since=2024-03-01", "--until=2024-04-01"), options));
            assertThat(migrate.exit()).isEqualTo(2);
            assertThat(verify.err()).isEqualTo(migrate.err());
        }
        SqlCommandTest.Result sample = cli("sql", "verify", "--workers-total=2", "--worker=0", "--sample=100");
        assertThat(sample.exit()).isEqualTo(2);
        assertThat(sample.out()).isEmpty();
        assertThat(sample.err().strip()).isEqualTo("cutover: --sample cannot be split among workers: a sample of each shard is "
                + "not the sample one worker takes; run a sampled verify as one worker (without --workers-total)");
        assertThat(count(target, "SELECT COUNT(*) FROM cutover_runs")).isEqualTo(runs);
        assertThat(count(target, "SELECT COUNT(*) FROM cutover_shared_runs")).isZero();
        // the same usage error when no database answers: it is found before connecting
        Path nowhere = plan.resolveSibling("plan-nowhere.yaml");
        Files.writeString(nowhere, Files.readString(plan).replaceAll("jdbc:postgresql://[^/]+/", "jdbc:postgresql://127.0.0.1:1/"));
        SqlCommandTest.Result down = SqlCommandTest.run("sql", "verify", "--plan", nowhere.toString(), "--workers-total=2",
                "--worker=1", "--sample=100");
        assertThat(down.exit()).as(down.err()).isEqualTo(2);
        assertThat(down.err()).isEqualTo(sample.err());
    }

    // --- helpers ---

    private static String[] concat(List<String> head, String[] tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static SqlCommandTest.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(2, List.of("--plan", plan.toString()));
        return SqlCommandTest.run(all.toArray(String[]::new));
    }

    /** Each mismatch as one line: step, key, column, expected, actual. */
    private static List<String> mismatches(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : report.get("mismatches")) {
            out.add(m.get("step").asText() + " " + m.get("key").asText() + " " + m.get("column").asText() + " "
                    + m.get("expected").asText() + " " + m.get("actual").asText());
        }
        assertThat((long) out.size()).isEqualTo(report.get("mismatchCount").asLong());
        return out;
    }

    private static String targetKey(String sourceKey) throws SQLException {
        return rows(target, "SELECT target_key FROM cutover_log_orders WHERE source_key = " + sourceKey).get(0);
    }

    private static List<String> rows(String url, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long count(String url, String sql) throws SQLException {
        return Long.parseLong(rows(url, sql).get(0));
    }

    private static void exec(String url, String... sql) throws SQLException {
        shop.exec(url, sql);
    }
}

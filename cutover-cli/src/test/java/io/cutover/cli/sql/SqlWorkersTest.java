package io.cutover.cli.sql;

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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code cutover sql migrate --workers-total N --worker auto}: N separate JVMs, each started the way Kubernetes
 * (JOB_COMPLETION_INDEX) or AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX) starts one, share two windows of a PostgreSQL
 * source with a self-reference, rows waiting for a parent, updates and deletions. The target, the migration log and
 * the outstanding rows must be those of one worker, and verify clean. The row count is
 * {@code -Dcutover.workers.rows} (default 200000, enough for every worker to hold shards while the others run; the benchmark moves 1M).
 */
class SqlWorkersTest {
    private static final int ROWS = Integer.getInteger("cutover.workers.rows", 200_000);
    private static final String W1 = "--since=2024-01-01 --until=2024-02-01";
    private static final String W2 = "--since=2024-02-01 --until=2024-03-01";

    @TempDir
    static Path dir;
    private static LocalDatabases.Server pg;
    private static WorkersShop shop;
    private static String source;

    @BeforeAll
    static void source() throws Exception {
        pg = LocalDatabases.postgres();
        shop = new WorkersShop(pg);
        source = shop.database("cutover_w_");
        int customers = ROWS / 4;
        int orders = ROWS - customers;
        exec(source, WorkersShop.SOURCE_TABLES);
        exec(source,
                // every tenth customer was referred by the one before (a self-reference: a deferred ref)
                "INSERT INTO customers SELECT i, 'customer ' || i, CASE WHEN i % 10 = 0 THEN i - 1 END, "
                        + "TIMESTAMP '2024-01-10' + i * INTERVAL '1 second' FROM generate_series(1, " + customers + ") i",
                // one order in a thousand names a customer that arrives only in the second window
                "INSERT INTO orders SELECT i, CASE WHEN i % 1000 = 500 THEN " + (customers + 1) + " ELSE i % " + customers + " + 1 END, (i % 997) / 7.0, CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || i END, "
                        + "TIMESTAMP '2024-01-12' + i * INTERVAL '1 second' FROM generate_series(1, " + orders + ") i");
    }

    /** What changes at the source between the windows: updates, one late parent, new rows, deletions. */
    private static void secondWindowChanges() throws SQLException {
        int customers = ROWS / 4;
        int orders = ROWS - customers;
        exec(source,
                "UPDATE customers SET name = name || ' (renamed)', updated_at = TIMESTAMP '2024-02-10' WHERE id % 7 = 0",
                "INSERT INTO customers VALUES (" + (customers + 1) + ", 'late parent', 1, TIMESTAMP '2024-02-10')",
                "UPDATE orders SET amount = amount + 1, updated_at = TIMESTAMP '2024-02-11' WHERE id % 11 = 0",
                "INSERT INTO deleted_records SELECT 'orders', id::text, TIMESTAMP '2024-02-12' FROM orders WHERE id % 13 = 0",
                "DELETE FROM orders WHERE id % 13 = 0",
                "INSERT INTO orders SELECT i, i % " + customers + " + 1, 1.5, 'new', TIMESTAMP '2024-02-13' "
                        + "FROM generate_series(" + (orders + 1) + ", " + (orders + orders / 10) + ") i");
    }

    @Test
    void oneTwoAndFourWorkersLeaveTheSameTargetLogAndOutstandingRows() throws Exception {
        Path[] plans = {plan(target()), plan(target()), plan(target())};
        int[] workers = {1, 2, 4};
        for (int i = 0; i < 3; i++) {
            runWorkers(plans[i], W1, workers[i], "60s");
        }
        List<String> first = dump(plans[0]);
        assertThat(first).anyMatch(l -> l.startsWith("outstanding orders")); // rows waiting for their parent
        for (int i = 1; i < 3; i++) {
            assertThat(dump(plans[i])).as(workers[i] + " workers, first window").containsExactlyElementsOf(first);
        }
        secondWindowChanges();
        for (int i = 0; i < 3; i++) {
            runWorkers(plans[i], W2, workers[i], "60s");
        }
        List<String> one = dump(plans[0]);
        assertThat(one).anyMatch(l -> l.startsWith("accounts ")).noneMatch(l -> l.startsWith("outstanding "));
        assertThat(one.stream().filter(l -> l.startsWith("purchases ")).count()).isGreaterThan(ROWS / 2);
        for (int i = 0; i < 3; i++) {
            List<String> d = dump(plans[i]);
            assertThat(d).as(workers[i] + " workers").containsExactlyElementsOf(one);
            Proc v = cli(plans[i], "sql", "verify");
            assertThat(v.exit).as(workers[i] + " workers: verify\n" + v.out).isZero();
            Proc late = worker(plans[i], W2, 4, 3, "60s").await();
            assertThat(late.exit).as(late.out).isZero();
            assertThat(late.out).contains("nothing to do");
        }
        Proc status = cli(plans[2], "sql", "status");
        assertThat(status.out).contains("shards of run").contains("done");
    }

    @Test
    void aWorkerKilledMidShardLeavesItsShardToAnotherAfterTheLease() throws Exception {
        Path single = plan(target());
        Path shared = plan(target());
        runWorkers(single, W1, 1, "60s");
        Proc doomed = worker(shared, W1, 2, 0, "3s", "--batch=50", "--writers=1");
        String url = url(shared);
        // wait until worker 0 holds a shard of orders and has written part of it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            assertThat(System.nanoTime()).as("worker 0 never got into a shard of orders").isLessThan(deadline);
            assertThat(doomed.process.isAlive()).as("worker 0 finished before it could be killed").isTrue();
            if (countOrZero(url, "SELECT COUNT(*) FROM cutover_run_units WHERE step = 'orders' AND kind = 'ROWS' "
                    + "AND status = 'RUNNING' AND worker LIKE '0@%'") > 0 && countOrZero(url, "SELECT COUNT(*) FROM cutover_log_orders") > 0) {
                break;
            }
            Thread.sleep(20);
        }
        doomed.process.destroyForcibly().waitFor(); // SIGKILL
        assertThat(count(url, "SELECT COUNT(*) FROM cutover_run_units WHERE status = 'RUNNING'")).isPositive();
        Proc rescuer = worker(shared, W1, 2, 1, "3s").await();
        assertThat(rescuer.exit).as(rescuer.out).isIn(0, 1); // 1: rows waiting for a parent were recorded
        assertThat(rescuer.out).contains("orders rows"); // worker 0's shard, taken over
        assertThat(count(url, "SELECT COUNT(*) FROM cutover_run_units WHERE status <> 'DONE'")).isZero();
        assertThat(count(url, "SELECT COUNT(*) FROM cutover_run_units WHERE attempts > 1")).isPositive();
        assertThat(count(url, "SELECT COUNT(*) FROM purchases")).isEqualTo(count(url, "SELECT COUNT(*) FROM cutover_log_orders"));
        assertThat(dump(shared)).containsExactlyElementsOf(dump(single));
        assertThat(cli(shared, "sql", "verify").exit).isEqualTo(cli(single, "sql", "verify").exit);
    }

    @Test
    void badWorkerOptionsAreUsageErrorsAndWriteNothing() throws Exception {
        assumeTrue(System.getenv("JOB_COMPLETION_INDEX") == null && System.getenv("AWS_BATCH_JOB_ARRAY_INDEX") == null);
        Path plan = plan(target());
        String[][] bad = {
                {"--workers-total=4", "--worker=5"},
                {"--workers-total=4", "--worker=auto"},
                {"--workers-total=0", "--worker=0"},
                {"--worker=1"},
                {"--workers-total=2", "--worker=0", "--shard-by=modulo"},
        };
        for (String[] options : bad) {
            List<String> args = new ArrayList<>(List.of("sql", "migrate", "--plan", plan.toString(), "--since=2024-01-01",
                    "--until=2024-02-01"));
            args.addAll(List.of(options));
            SqlCommandTest.Result r = SqlCommandTest.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", options)).isEqualTo(2);
            assertThat(r.err().strip()).startsWith("cutover: ").doesNotContain("\n");
        }
        assertThat(count(url(plan), "SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE 'cutover%'")).isZero();
    }

    // --- the workers ---

    /** A started JVM; its output goes to a file, so that a long output cannot fill a pipe nobody reads yet. */
    record Proc(Process process, Path output, int exit, String out) {
        Proc await() throws Exception {
            assertThat(process.waitFor(600, TimeUnit.SECONDS)).as("process finished").isTrue();
            return new Proc(process, output, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        }
    }

    private static Proc start(ProcessBuilder pb) throws Exception {
        Path output = Files.createTempFile(dir, "out-", ".txt");
        return new Proc(pb.redirectOutput(output.toFile()).start(), output, -1, "");
    }

    /** Starts worker {@code index} of {@code total} in its own JVM, its index in the variable its engine sets. */
    private static Proc worker(Path plan, String window, int total, int index, String lease, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sql", "migrate", "--plan", plan.toString()));
        cmd.addAll(List.of(window.split(" ")));
        cmd.addAll(List.of("--workers-total=" + total, "--worker=auto", "--lease=" + lease, "--allow-future"));
        cmd.addAll(List.of(more));
        ProcessBuilder pb = jvm(cmd);
        pb.environment().remove("JOB_COMPLETION_INDEX");
        pb.environment().remove("AWS_BATCH_JOB_ARRAY_INDEX");
        pb.environment().put(index % 2 == 0 ? "JOB_COMPLETION_INDEX" : "AWS_BATCH_JOB_ARRAY_INDEX", Integer.toString(index));
        return start(pb);
    }

    private static void runWorkers(Path plan, String window, int n, String lease) throws Exception {
        List<Proc> running = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            running.add(worker(plan, window, n, i, lease));
        }
        for (Proc p : running) {
            Proc done = p.await();
            assertThat(done.exit).as(done.out).isIn(0, 1);
        }
    }

    private static Proc cli(Path plan, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(args));
        cmd.addAll(List.of("--plan", plan.toString()));
        return start(jvm(cmd)).await();
    }

    private static ProcessBuilder jvm(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.cutover.cli.Cutover"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    // --- the databases ---

    private static String target() throws SQLException {
        String url = shop.database("cutover_w_");
        exec(url, "CREATE TABLE accounts (id BIGSERIAL PRIMARY KEY, name TEXT, referrer_id BIGINT REFERENCES accounts(id))",
                "CREATE TABLE purchases (id BIGSERIAL PRIMARY KEY, account_id BIGINT NOT NULL REFERENCES accounts(id), "
                        + "amount NUMERIC(10,2), note TEXT)");
        return url;
    }

    private static Path plan(String target) throws Exception {
        Path p = dir.resolve("plan-" + UUID.randomUUID() + ".yaml");
        Files.writeString(p, shop.plan(source, target));
        return p;
    }

    private static String url(Path plan) throws Exception {
        String text = Files.readString(plan);
        int at = text.indexOf("target: {url: \"") + "target: {url: \"".length();
        return text.substring(at, text.indexOf('"', at));
    }

    /**
     * The target as the source sees it: each row by its source key, refs by their parents' source keys (generated
     * target keys differ with the order rows arrive in), the log's entries without run bookkeeping, the outstanding rows.
     */
    private static List<String> dump(Path plan) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url(plan), pg.user(), pg.password()); Statement st = c.createStatement()) {
            query(st, out, "accounts", "SELECT l.source_key, a.name, p.source_key FROM accounts a JOIN cutover_log_customers l "
                    + "ON l.target_key = a.id LEFT JOIN cutover_log_customers p ON p.target_key = a.referrer_id ORDER BY 1");
            query(st, out, "purchases", "SELECT l.source_key, o.amount, o.note, p.source_key FROM purchases o JOIN cutover_log_orders l "
                    + "ON l.target_key = o.id JOIN cutover_log_customers p ON p.target_key = o.account_id ORDER BY 1");
            query(st, out, "counts", "SELECT (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM cutover_log_customers), "
                    + "(SELECT COUNT(*) FROM purchases), (SELECT COUNT(*) FROM cutover_log_orders)");
            query(st, out, "log", "SELECT 'c', source_key, window_since, window_until FROM cutover_log_customers UNION ALL "
                    + "SELECT 'o', source_key, window_since, window_until FROM cutover_log_orders ORDER BY 1, 2");
            query(st, out, "outstanding", "SELECT step, source_key, kind FROM cutover_outstanding ORDER BY 1, 2");
        }
        return out;
    }

    private static void query(Statement st, List<String> out, String label, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder(label);
                for (int i = 1; i <= n; i++) {
                    sb.append(' ').append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The count, or 0 while the worker has not made the table yet. */
    private static long countOrZero(String url, String sql) {
        try {
            return count(url, sql);
        } catch (SQLException e) {
            return 0;
        }
    }

    private static void exec(String url, String... sql) throws SQLException {
        shop.exec(url, sql);
    }
}

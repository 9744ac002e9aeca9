package io.cutover.sql;

import io.cutover.core.progress.Progress;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.verify.VerifyRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.cutover.sql.Fixture.T0;
import static io.cutover.sql.Fixture.T1;
import static org.assertj.core.api.Assertions.assertThat;

/** A migrate killed with SIGKILL part way, then rerun, ends identical to an uninterrupted run. */
class KilledRunTest {
    @TempDir
    Path dir;

    @Test
    void aRunKilledPartWayAndRerunEndsIdenticalToAnUninterruptedRun() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.PG); TestDb killed = TestDb.create(TestDb.Kind.PG);
             TestDb clean = TestDb.create(TestDb.Kind.PG)) {
            Fixture fk = new Fixture(src, killed);
            fk.createSchemas();
            new Fixture(src, clean).createTargetSchema();
            src.exec("INSERT INTO users SELECT g, 'user ' || g, 'U' || g || '@x.io', TIMESTAMP '2023-01-01' + g * INTERVAL '1 second', NULL "
                            + "FROM generate_series(1, 5000) g",
                    "INSERT INTO coins SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE g END, g % 100, TIMESTAMP '2023-02-01', NULL "
                            + "FROM generate_series(1, 5000) g",
                    "INSERT INTO purchases SELECT g, g, g, 'item ' || g, g % 50, TIMESTAMP '2023-03-01', NULL FROM generate_series(1, 5000) g");
            Path plan = dir.resolve("plan.yaml");
            Files.writeString(plan, fk.planYaml());
            String cp = System.getProperty("java.class.path");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                    MigrateProcess.class.getName(), plan.toString(), T0.toString(), T1.toString(), "100")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            long logged = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && p.isAlive()) {
                logged = killed.hasTable("cutover_log_coins")
                        ? killed.count("SELECT COUNT(*) FROM cutover_log_coins") : 0;
                if (logged > 0) {
                    break;
                }
                Thread.sleep(20);
            }
            boolean wasAlive = p.isAlive();
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            assertThat(wasAlive).as("the child was killed while running (log: %s)", Files.readString(dir.resolve("child.log"))).isTrue();
            assertThat(logged).isGreaterThan(0);
            long partial = killed.count("SELECT COUNT(*) FROM cutover_log_users") + killed.count("SELECT COUNT(*) FROM cutover_log_coins")
                    + killed.count("SELECT COUNT(*) FROM cutover_log_purchases");
            assertThat(partial).isLessThan(15_000);
            assertThat(killed.count("SELECT COUNT(*) FROM wallet_coins")).isEqualTo(logged
                    + killed.count("SELECT COUNT(*) FROM cutover_log_coins") - logged);

            try (SqlMigration rerun = new SqlMigration(fk.plan())) {
                MigrateResult r = rerun.migrate(new MigrateRequest(T0, T1, false, Map.of(), 2, 500, false), Progress.silent());
                assertThat(r.errors()).isZero();
                assertThat(rerun.verify(VerifyRequest.all(), Progress.silent()).mismatches()).isEmpty();
            }
            Fixture fc = new Fixture(src, clean);
            try (SqlMigration once = new SqlMigration(fc.plan())) {
                once.migrate(new MigrateRequest(T0, T1, false, Map.of(), 2, 500, false), Progress.silent());
            }
            List<String> afterKill = fk.canonicalTarget();
            assertThat(afterKill).hasSize(15_001);
            assertThat(afterKill).isEqualTo(fc.canonicalTarget());
        }
    }
}

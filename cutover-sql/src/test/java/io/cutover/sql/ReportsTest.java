package io.cutover.sql;

import io.cutover.core.progress.Progress;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.report.EstimateReport;
import io.cutover.sql.report.StatusReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.cutover.sql.Fixture.T0;
import static io.cutover.sql.Fixture.T1;
import static io.cutover.sql.Fixture.T2;
import static org.assertj.core.api.Assertions.assertThat;

/** status, errors, estimate and dry runs on H2. */
class ReportsTest {
    @Test
    void statusEstimateAndDryRun() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.H2); TestDb tgt = TestDb.create(TestDb.Kind.H2)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            try (SqlMigration m = new SqlMigration(f.plan())) {
                MigrateResult dry = m.migrate(new MigrateRequest(T0, T1, false, Map.of(), 2, 10, true), Progress.silent());
                assertThat(dry.runId()).isZero();
                assertThat(dry.steps().get(0).inserted()).isEqualTo(5);
                assertThat(tgt.hasTable("cutover_runs")).isFalse();
                assertThat(tgt.count("SELECT COUNT(*) FROM accounts")).isZero();

                m.migrate(new MigrateRequest(T0, T1, false, Map.of(), 2, 10, false), Progress.silent());
                f.changeInWindow2();
                src.exec("INSERT INTO coins VALUES (20,1,-1,'2024-01-25 00:00:00',NULL)");
                MigrateResult w2 = m.migrate(new MigrateRequest(null, T2, true, Map.of(), 2, 10, false), Progress.silent());
                assertThat(w2.errors()).isEqualTo(1);

                StatusReport status = m.status();
                assertThat(status.windowsDone()).isEqualTo(2);
                assertThat(status.runs()).extracting(r -> r.status()).containsExactly("completed", "completed_with_errors");
                assertThat(status.steps()).extracting(StatusReport.StepStatus::step).containsExactly("users", "coins", "purchases");
                assertThat(status.steps().get(0).rows()).isEqualTo(7);
                assertThat(status.steps().get(1).errors()).isEqualTo(1);
                assertThat(m.errors(w2.runId())).singleElement().satisfies(e -> assertThat(e.kind()).isEqualTo("constraint"));
                assertThat(m.errors(null)).hasSize(1);

                src.exec("INSERT INTO users VALUES (30,'New','n@x.io','2024-02-03 00:00:00',NULL),(31,'New2','m@x.io','2024-02-04 00:00:00',NULL)");
                EstimateReport est = m.estimate(java.time.LocalDateTime.parse("2024-02-10T00:00:00"), Duration.ofHours(6));
                assertThat(est.since()).isEqualTo(T2);
                assertThat(est.steps()).extracting(EstimateReport.StepEstimate::pending).containsExactly(2L, 0L, 0L);
                assertThat(est.steps().get(0).rowsPerSecond()).isPositive();
                assertThat(est.seconds()).isNotNull();
                assertThat(est.fit()).isNotNull();
                assertThat(est.fit().advice()).isNotBlank();
            }
        }
    }
}

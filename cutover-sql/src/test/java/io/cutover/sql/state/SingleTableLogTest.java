package io.cutover.sql.state;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.core.progress.Progress;
import io.cutover.sql.Fixture;
import io.cutover.sql.Pairing;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.TestDb;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.verify.VerifyRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A target migrated by a version that kept one log table for every step goes on without losing or doubling rows. */
class SingleTableLogTest {

    @ParameterizedTest
    @EnumSource(value = Pairing.class, names = {"PG_TO_PG", "PG_TO_MARIADB", "H2_TO_H2"})
    void aRerunMovesTheSingleTableLogIntoPerStepTablesAndInsertsNothing(Pairing p) throws Exception {
        try (TestDb src = TestDb.create(p.source); TestDb tgt = TestDb.create(p.target)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            MigrateResult first;
            try (SqlMigration m = new SqlMigration(f.plan())) {
                first = m.migrate(MigrateRequest.window(Fixture.T0, Fixture.T1), Progress.silent());
            }
            List<String> before = f.canonicalTarget();
            String text = "VARCHAR(200)";
            String cast = tgt.kind == TestDb.Kind.MARIADB ? "CHAR" : "VARCHAR(200)";
            // the earlier layout, holding what this migrate logged, and the per-step tables gone
            tgt.exec("CREATE TABLE cutover_migration_log (step " + text + " NOT NULL, source_key " + text + " NOT NULL, "
                    + "target_key " + text + " NOT NULL, window_since " + tgt.ts() + " NULL, window_until " + tgt.ts()
                    + " NULL, run_id BIGINT NOT NULL, migrated_at " + tgt.ts() + " NOT NULL, PRIMARY KEY (step, source_key))");
            for (String step : List.of("users", "coins", "purchases")) {
                tgt.exec("INSERT INTO cutover_migration_log SELECT '" + step + "', CAST(source_key AS " + cast + "), CAST(target_key AS "
                        + cast + "), window_since, window_until, run_id, migrated_at FROM cutover_log_" + step,
                        "DROP TABLE cutover_log_" + step);
            }

            try (SqlMigration m = new SqlMigration(f.plan())) {
                // before the move, verify would take every row for an unmigrated one: it says what to do instead
                assertThatThrownBy(() -> m.verify(VerifyRequest.all(), Progress.silent()))
                        .isInstanceOfSatisfying(CutoverException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                            assertThat(e.getMessage()).contains("layout of an earlier cutover").contains("run 'cutover sql migrate' once");
                        });
                MigrateResult again = m.migrate(MigrateRequest.window(Fixture.T0, Fixture.T1), Progress.silent());
                assertThat(again.steps()).allSatisfy(s -> assertThat(s.inserted()).isZero());
                // every row is found through the moved log; none changed, so none is counted as updated
                assertThat(again.steps()).allSatisfy(s -> assertThat(s.updated()).isZero());
                assertThat(again.steps()).extracting(s -> s.read())
                        .containsExactlyElementsOf(first.steps().stream().map(s -> s.inserted()).toList());
                assertThat(tgt.hasTable("cutover_migration_log")).isFalse();
                assertThat(f.canonicalTarget()).isEqualTo(before);
                assertThat(m.verify(VerifyRequest.all(), Progress.silent()).ok()).isTrue();
            }
        }
    }
}

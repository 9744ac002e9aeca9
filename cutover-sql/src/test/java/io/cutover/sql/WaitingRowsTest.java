package io.cutover.sql;

import io.cutover.core.progress.Progress;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.report.StatusReport;
import io.cutover.sql.verify.VerifyRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.LocalDateTime;
import java.util.Map;

import static io.cutover.sql.Fixture.T0;
import static io.cutover.sql.Fixture.T1;
import static io.cutover.sql.Fixture.T2;
import static io.cutover.sql.Fixture.T3;
import static org.assertj.core.api.Assertions.assertThat;

/** Rows whose parents arrive in a later window are retried by every window until they migrate. */
class WaitingRowsTest {
    private static MigrateResult migrate(SqlMigration m, LocalDateTime since, LocalDateTime until) {
        return m.migrate(new MigrateRequest(since, until, false, Map.of(), 2, 100, false), Progress.silent());
    }

    @ParameterizedTest
    @EnumSource(Pairing.class)
    void aChildWaitingForItsParentMigratesInTheWindowThatBringsTheParent(Pairing p) throws Exception {
        try (TestDb src = TestDb.create(p.source); TestDb tgt = TestDb.create(p.target)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            // user 7's row is stamped in window 2 (a lookup table whose rows are edited later), its purchase in window 1;
            // purchase 9 points at a user that never comes, and its source row is deleted in window 3
            src.exec("INSERT INTO users VALUES (7,'Gil','gil@x.io','2024-01-20 00:00:00',NULL)",
                    "INSERT INTO purchases VALUES (8,7,NULL,'waits',5,'2023-09-01 00:00:00',NULL)",
                    "INSERT INTO purchases VALUES (9,77,NULL,'orphan',5,'2023-09-02 00:00:00',NULL)");
            try (SqlMigration m = new SqlMigration(f.plan())) {
                MigrateResult w1 = migrate(m, T0, T1);
                assertThat(w1.errors()).isEqualTo(2);
                StatusReport s1 = m.status();
                assertThat(s1.outstanding()).isEqualTo(2);
                assertThat(m.openErrors()).extracting(e -> e.step() + ":" + e.sourceKey() + ":" + e.kind())
                        .containsExactly("purchases:8:dangling_reference", "purchases:9:dangling_reference");

                MigrateResult w2 = migrate(m, T1, T2);
                // purchase 8 is not in window 2, but it was waiting: it is read again and goes in after user 7
                assertThat(w2.steps().stream().filter(s -> s.step().equals("purchases")).findFirst().orElseThrow().inserted())
                        .isEqualTo(1);
                assertThat(tgt.rows("SELECT a.display_name FROM orders o JOIN accounts a ON a.id = o.account_id WHERE o.item = 'waits'"))
                        .containsExactly("Gil");
                assertThat(w2.errors()).isEqualTo(1); // the orphan, still waiting
                assertThat(m.openErrors()).extracting(e -> e.sourceKey() + ":" + e.runId())
                        .containsExactly("9:" + w2.runId());

                src.exec("DELETE FROM purchases WHERE id = 9", "INSERT INTO deleted_records VALUES ('purchases', 9, '2024-02-03 00:00:00')");
                MigrateResult w3 = migrate(m, T2, T3);
                assertThat(w3.errors()).isZero();
                assertThat(m.status().outstanding()).isZero();
                assertThat(m.openErrors()).isEmpty();
                assertThat(m.verify(VerifyRequest.all(), Progress.silent()).mismatches()).isEmpty();
                // the errors table still has the history
                assertThat(m.errors(null)).hasSize(3);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Pairing.class, names = {"PG_TO_PG", "H2_TO_H2"})
    void aWaitingRowWhoseSourceRowVanishedWithoutADeletionLogEntryLeaves(Pairing p) throws Exception {
        try (TestDb src = TestDb.create(p.source); TestDb tgt = TestDb.create(p.target)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            src.exec("INSERT INTO purchases VALUES (9,77,NULL,'orphan',5,'2023-09-02 00:00:00',NULL)");
            try (SqlMigration m = new SqlMigration(f.plan())) {
                assertThat(migrate(m, T0, T1).errors()).isEqualTo(1);
                src.exec("DELETE FROM purchases WHERE id = 9");
                assertThat(migrate(m, T1, T2).errors()).isZero();
                assertThat(m.openErrors()).isEmpty();
            }
        }
    }
}

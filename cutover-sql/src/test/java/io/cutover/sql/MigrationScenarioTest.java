package io.cutover.sql;

import io.cutover.core.progress.Progress;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.migrate.StepResult;
import io.cutover.sql.state.RowError;
import io.cutover.sql.verify.Mismatch;
import io.cutover.sql.verify.VerifyReport;
import io.cutover.sql.verify.VerifyRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.cutover.sql.Fixture.T0;
import static io.cutover.sql.Fixture.T1;
import static io.cutover.sql.Fixture.T2;
import static io.cutover.sql.Fixture.T3;
import static org.assertj.core.api.Assertions.assertThat;

/** The users → coins → purchases fixture migrated window by window on every pairing of real databases. */
class MigrationScenarioTest {

    private static MigrateResult migrate(SqlMigration m, LocalDateTime since, LocalDateTime until) {
        return m.migrate(new MigrateRequest(since, until, false, Map.of(), 2, 2, false), Progress.silent());
    }

    private static StepResult step(MigrateResult r, String name) {
        return r.steps().stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Pairing.class)
    void threeWindowsMigrateEverythingAndRerunsChangeNothing(Pairing p) throws Exception {
        try (TestDb src = TestDb.create(p.source); TestDb tgt = TestDb.create(p.target)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            try (SqlMigration m = new SqlMigration(f.plan())) {
                MigrateResult w1 = migrate(m, T0, T1);
                assertThat(w1.errors()).isZero();
                assertThat(step(w1, "users").inserted()).isEqualTo(5);
                assertThat(step(w1, "purchases").inserted()).isEqualTo(5);

                f.changeInWindow2();
                MigrateResult w2 = m.migrate(new MigrateRequest(null, T2, true, Map.of(), 2, 2, false), Progress.silent());
                assertThat(w2.window().since()).isEqualTo(T1);
                assertThat(step(w2, "users").inserted()).isEqualTo(1);
                assertThat(step(w2, "users").updated()).isEqualTo(1);
                assertThat(step(w2, "coins").updated()).isEqualTo(1);
                assertThat(step(w2, "purchases").deleted()).isEqualTo(1);
                assertThat(tgt.rows("SELECT display_name FROM accounts WHERE display_name = 'Robert'")).hasSize(1);
                assertThat(tgt.count("SELECT COUNT(*) FROM accounts")).isEqualTo(6);

                f.changeInWindow3();
                MigrateResult w3 = migrate(m, T2, T3);
                assertThat(w3.errors()).isZero();
                assertThat(w3.deleted()).isEqualTo(3);
                assertThat(tgt.count("SELECT COUNT(*) FROM accounts")).isEqualTo(5);
                assertThat(tgt.count("SELECT COUNT(*) FROM orders WHERE account_id IS NULL AND coin_id IS NULL")).isEqualTo(1);
                assertThat(tgt.rows("SELECT email FROM accounts WHERE display_name = 'Cy'")).containsExactly("cy@new.io");

                VerifyReport all = m.verify(VerifyRequest.all(), Progress.silent());
                assertThat(all.mismatches()).isEmpty();
                assertThat(all.steps()).extracting(c -> c.sourceRows()).containsExactly(5L, 6L, 5L);

                List<String> before = f.canonicalTarget();
                for (LocalDateTime[] w : new LocalDateTime[][] {{T0, T1}, {T1, T2}, {T2, T3}}) {
                    MigrateResult again = migrate(m, w[0], w[1]);
                    assertThat(again.errors()).isZero();
                    assertThat(again.steps()).allSatisfy(s -> assertThat(s.inserted()).isZero());
                    // rows read again with the same values are not rewritten and not counted as updated
                    assertThat(again.steps()).allSatisfy(s -> assertThat(s.updated()).isZero());
                }
                assertThat(f.canonicalTarget()).isEqualTo(before);
                assertThat(m.verify(VerifyRequest.all(), Progress.silent()).ok()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Pairing.class)
    void rowErrorsAreRecordedAndTheRestOfTheBatchGoesIn(Pairing p) throws Exception {
        try (TestDb src = TestDb.create(p.source); TestDb tgt = TestDb.create(p.target)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            src.exec("INSERT INTO purchases VALUES (8,999,NULL,'orphan',1,'2023-08-01 00:00:00',NULL)",
                    "INSERT INTO coins VALUES (9,1,-5,'2023-08-02 00:00:00',NULL)",
                    "INSERT INTO purchases VALUES (9,1,1,'a title far too long for the target column',1,'2023-08-03 00:00:00',NULL)");
            try (SqlMigration m = new SqlMigration(f.plan())) {
                MigrateResult r = m.migrate(new MigrateRequest(T0, T1, false, Map.of(), 2, 100, false), Progress.silent());
                assertThat(r.errors()).isEqualTo(3);
                assertThat(step(r, "coins").inserted()).isEqualTo(6);
                assertThat(step(r, "purchases").inserted()).isEqualTo(5);
                List<RowError> errors = m.state().history().errors(r.runId());
                assertThat(errors).extracting(e -> e.step() + ":" + e.sourceKey() + ":" + e.kind())
                        .containsExactlyInAnyOrder("coins:9:constraint", "purchases:8:dangling_reference", "purchases:9:conversion");
                assertThat(errors).filteredOn(e -> e.sourceKey().equals("8")).first()
                        .satisfies(e -> assertThat(e.sourceRow()).contains("\"user_id\":999").contains("orphan"));
                // the refused value stays out of the message (it may be personal data; the source row is kept apart)
                assertThat(errors).filteredOn(e -> e.sourceKey().equals("9") && e.step().equals("purchases")).first()
                        .satisfies(e -> assertThat(e.message()).containsIgnoringCase("item").doesNotContain("far too long")
                                .doesNotContain("INSERT"));
                assertThat(tgt.count("SELECT COUNT(*) FROM cutover_log_purchases")).isEqualTo(5);
                assertThat(m.state().history().runs()).last().satisfies(run -> assertThat(run.status()).isEqualTo("completed_with_errors"));
                VerifyReport v = m.verify(VerifyRequest.all(), Progress.silent());
                assertThat(v.mismatches()).extracting(Mismatch::key).contains("8", "9");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Pairing.class)
    void onlyMigratesTheSubsetAndTheRowsPointingAtIt(Pairing p) throws Exception {
        try (TestDb src = TestDb.create(p.source); TestDb tgt = TestDb.create(p.target)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            try (SqlMigration m = new SqlMigration(f.plan())) {
                MigrateResult r = m.migrate(new MigrateRequest(T0, T1, false, Map.of("users", Set.of("1", "3")), 2, 100, false),
                        Progress.silent());
                assertThat(r.errors()).isZero();
                assertThat(tgt.rows("SELECT source_key FROM cutover_log_users ORDER BY 1")).containsExactly("1", "3");
                assertThat(tgt.rows("SELECT source_key FROM cutover_log_coins ORDER BY 1")).containsExactly("1", "2", "4");
                assertThat(tgt.rows("SELECT source_key FROM cutover_log_purchases ORDER BY 1"))
                        .containsExactly("1", "2", "5");
                assertThat(tgt.count("SELECT COUNT(*) FROM orders")).isEqualTo(3);
                VerifyReport v = m.verify(new VerifyRequest(null, null, Map.of("users", Set.of("1", "3")), 0), Progress.silent());
                assertThat(v.mismatches()).isEmpty();
                // a subset run is not a completed window: --next has nothing to continue from
                assertThat(m.state().history().lastCompletedUntil()).isNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Pairing.class)
    void verifyFindsACorruptedValueAndAnUpdateInsertedAsANewRow(Pairing p) throws Exception {
        try (TestDb src = TestDb.create(p.source); TestDb tgt = TestDb.create(p.target)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            try (SqlMigration m = new SqlMigration(f.plan())) {
                migrate(m, T0, T1);
                assertThat(m.verify(VerifyRequest.all(), Progress.silent()).ok()).isTrue();
                String coin3 = tgt.rows("SELECT target_key FROM cutover_log_coins WHERE source_key = 3").get(0);
                tgt.exec("UPDATE wallet_coins SET amount = 11 WHERE id = " + coin3);
                tgt.exec("INSERT INTO accounts (display_name, email, registered_at) "
                        + "SELECT display_name, email, registered_at FROM accounts WHERE display_name = 'Bob'");
                VerifyReport v = m.verify(VerifyRequest.all(), Progress.silent());
                assertThat(v.ok()).isFalse();
                assertThat(v.mismatches()).anySatisfy(x -> {
                    assertThat(x.step()).isEqualTo("coins");
                    assertThat(x.key()).isEqualTo("3");
                    assertThat(x.column()).isEqualTo("amount");
                    assertThat(x.expected()).isEqualTo("10");
                    assertThat(x.actual()).isEqualTo("11");
                });
                assertThat(v.mismatches()).anySatisfy(x -> {
                    assertThat(x.step()).isEqualTo("users");
                    assertThat(x.key()).startsWith("target:");
                });
                assertThat(v.steps().get(0).unknownTargetRows()).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Pairing.class, names = {"PG_TO_PG", "H2_TO_H2"})
    void hiddenRowsStayHiddenUntilRevealed(Pairing p) throws Exception {
        try (TestDb src = TestDb.create(p.source); TestDb tgt = TestDb.create(p.target)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            tgt.exec("INSERT INTO accounts (display_name, visible) VALUES ('native', " + (p.target == TestDb.Kind.MARIADB ? "1" : "TRUE") + ")");
            try (SqlMigration m = new SqlMigration(f.plan())) {
                migrate(m, T0, T1);
                assertThat(tgt.count("SELECT COUNT(*) FROM accounts WHERE visible = FALSE")).isEqualTo(5);
                src.exec("UPDATE users SET name = 'Annie', updated_at = '2024-01-05 00:00:00' WHERE id = 1");
                migrate(m, T1, T2);
                assertThat(tgt.count("SELECT COUNT(*) FROM accounts WHERE visible = FALSE")).isEqualTo(5);
                assertThat(m.reveal(null)).containsEntry("users", 5L);
                assertThat(tgt.count("SELECT COUNT(*) FROM accounts WHERE visible = TRUE")).isEqualTo(6);
                assertThat(m.reveal("users")).containsEntry("users", 0L);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aPostgresKeyGeneratedAlwaysIsInsertedWithReturning() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.PG); TestDb tgt = TestDb.create(TestDb.Kind.PG)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            tgt.exec("ALTER TABLE accounts ALTER COLUMN id SET GENERATED ALWAYS");
            try (SqlMigration m = new SqlMigration(f.plan())) {
                MigrateResult r = migrate(m, T0, T1);
                assertThat(r.errors()).isZero();
                assertThat(step(r, "users").inserted()).isEqualTo(5);
                assertThat(m.verify(VerifyRequest.all(), Progress.silent()).mismatches()).isEmpty();
            }
        }
    }
}

package io.cutover.sql;

import io.cutover.core.config.EnvSubstitution;
import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.core.progress.Progress;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.plan.PlanLoader;
import io.cutover.testkit.sql.LocalDatabases;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.cutover.sql.Fixture.T0;
import static io.cutover.sql.Fixture.T1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad plans and unreachable databases: one clear line, exit 2 or 3, nothing written. */
class BadInputTest {
    private static final PlanLoader LOADER = new PlanLoader(new EnvSubstitution(Map.<String, String>of()::get));

    private static CutoverException parseFails(String yaml) {
        try {
            LOADER.parse(yaml, "plan.yaml");
        } catch (CutoverException e) {
            return e;
        }
        throw new AssertionError("the plan was accepted");
    }

    private static String plan(String steps) {
        return "source: {url: 'jdbc:h2:mem:a'}\ntarget: {url: 'jdbc:h2:mem:b'}\nsteps:\n" + steps;
    }

    @Test
    void malformedYamlNamesLineAndColumn() {
        CutoverException e = parseFails("source: {url: x\ntarget: [\n");
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.getMessage()).matches("plan\\.yaml:\\d+:\\d+: .*").doesNotContain("\n");
    }

    @Test
    void unknownFieldAndUnknownStepAndCycleAreUsageErrors() {
        assertThat(parseFails(plan("  - {name: a, from: t, key: id, changed: [c], into: u, target_key: id, colums: {x: y}}"))
                .getMessage()).contains("plan.yaml:4:").contains("unknown field 'colums'");
        CutoverException unknown = parseFails(plan(
                "  - {name: a, from: t, key: id, changed: [c], into: u, target_key: id, refs: {p: {from: p, step: nope}}}"));
        assertThat(unknown.getMessage()).isEqualTo("plan.yaml:4:6: step 'a' refers to unknown step 'nope'");
        // a cycle of refs is broken by deferring one of them; a cycle through 'after' is an error
        LOADER.parse(plan(
                "  - {name: a, from: t, key: id, changed: [c], into: u, target_key: id, refs: {p: {from: p, step: b}}}\n"
                        + "  - {name: b, from: t, key: id, changed: [c], into: u, target_key: id, refs: {p: {from: p, step: a}}}"), "plan.yaml");
        CutoverException cycle = parseFails(plan(
                "  - {name: a, from: t, key: id, changed: [c], into: u, target_key: id, after: [b], columns: {x: y}}\n"
                        + "  - {name: b, from: t, key: id, changed: [c], into: u, target_key: id, after: [a], columns: {x: y}}"));
        assertThat(cycle.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cycle.getMessage()).contains("cycle").contains("a -> b -> a").contains("'after'");
        assertThat(parseFails(plan("  - {name: a, query: 'select 1', from: t, key: id, changed: [c], into: u, target_key: id, columns: {x: y}}"))
                .getMessage()).contains("exactly one of 'from'");
    }

    @Test
    void unknownColumnIsReportedByCheckAndMigrateWritesNothing() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.H2); TestDb tgt = TestDb.create(TestDb.Kind.H2)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            String yaml = f.planYaml().replace("amount: amount", "amount: amount_cents");
            try (SqlMigration m = new SqlMigration(LOADER.parse(yaml, "plan.yaml"))) {
                CheckReport check = m.check();
                assertThat(check.ok()).isFalse();
                assertThat(check.problems()).singleElement().asString().startsWith("step 'coins': source (coins): ")
                        .containsIgnoringCase("AMOUNT_CENTS");
                assertThatThrownBy(() -> m.migrate(new MigrateRequest(T0, T1, false, Map.of(), 2, 10, false), Progress.silent()))
                        .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
            }
            assertThat(tgt.hasTable("cutover_log_users")).isFalse();
            assertThat(tgt.hasTable("cutover_runs")).isFalse();
            assertThat(tgt.count("SELECT COUNT(*) FROM accounts")).isZero();
        }
    }

    @Test
    void aKeyThatIsNoLongerAnIntegerForAnIntegerLogIsAUsageErrorAndWritesNothing() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.H2); TestDb tgt = TestDb.create(TestDb.Kind.H2)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            try (SqlMigration m = new SqlMigration(f.plan())) {
                m.migrate(MigrateRequest.window(T0, T1), Progress.silent());
            }
            long accounts = tgt.count("SELECT COUNT(*) FROM accounts");
            String yaml = f.planYaml().replaceFirst("key: id", "key: email");
            try (SqlMigration m = new SqlMigration(LOADER.parse(yaml, "plan.yaml"))) {
                assertThatThrownBy(() -> m.migrate(MigrateRequest.window(T0, T1), Progress.silent()))
                        .isInstanceOfSatisfying(CutoverException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                            assertThat(e.getMessage()).startsWith("step 'users': its migration log cutover_log_users holds "
                                    + "integer keys").contains("source key 'email' is not an integer");
                        });
            }
            assertThat(tgt.count("SELECT COUNT(*) FROM cutover_runs")).isEqualTo(1);
            assertThat(tgt.count("SELECT COUNT(*) FROM accounts")).isEqualTo(accounts);
        }
    }

    @Test
    void unknownOnlyStepIsAUsageError() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.H2); TestDb tgt = TestDb.create(TestDb.Kind.H2)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            try (SqlMigration m = new SqlMigration(f.plan())) {
                assertThatThrownBy(() -> m.migrate(new MigrateRequest(T0, T1, false, Map.of("userz", java.util.Set.of("1")), 2, 10, false),
                        Progress.silent())).hasMessage("--only: unknown step 'userz'");
                assertThatThrownBy(() -> m.migrate(new MigrateRequest(null, T1, true, Map.of(), 2, 10, false), Progress.silent()))
                        .hasMessageContaining("--next: no completed window yet");
            }
            assertThat(tgt.hasTable("cutover_runs")).isFalse();
        }
    }

    @Test
    void unreachableDatabaseIsARuntimeErrorAndAWrongPasswordAUsageError() {
        String unreachable = "source: {url: 'jdbc:postgresql://127.0.0.1:1/x'}\ntarget: {url: 'jdbc:h2:mem:b'}\nsteps:\n"
                + "  - {name: a, from: t, key: id, changed: [c], into: u, target_key: id, columns: {x: y}}";
        try (SqlMigration m = new SqlMigration(LOADER.parse(unreachable, "p"))) {
            assertThatThrownBy(m::check).isInstanceOfSatisfying(CutoverException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.RUNTIME);
                assertThat(e.getMessage()).startsWith("cannot connect to source jdbc:postgresql://127.0.0.1:1/x:");
            });
        }
        String wrong = "source: {url: '" + LocalDatabases.mariadb().url("mysql") + "', user: root, password: 's3cret-pw'}\n"
                + "target: {url: 'jdbc:h2:mem:b'}\nsteps:\n"
                + "  - {name: a, from: t, key: id, changed: [c], into: u, target_key: id, columns: {x: y}}";
        try (SqlMigration m = new SqlMigration(LOADER.parse(wrong, "p"))) {
            assertThatThrownBy(m::check).isInstanceOfSatisfying(CutoverException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(e.getMessage()).contains("Access denied").doesNotContain("s3cret-pw").doesNotContain("\n");
            });
        }
    }

    @Test
    void aFutureUntilAnUnknownKeyAndAKeyOfTheWrongTypeAreUsageErrorsAndWriteNothing() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.H2); TestDb tgt = TestDb.create(TestDb.Kind.H2)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            try (SqlMigration m = new SqlMigration(f.plan())) {
                java.time.LocalDateTime tomorrow = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusDays(1);
                assertThatThrownBy(() -> m.migrate(new MigrateRequest(T0, tomorrow, false, Map.of(), 1, 10, false), Progress.silent()))
                        .isInstanceOfSatisfying(CutoverException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                            assertThat(e.getMessage()).contains("--until").contains("in the future").contains("--allow-future");
                        });
                assertThatThrownBy(() -> m.migrate(new MigrateRequest(T0, T1, false, Map.of("users", java.util.Set.of("abc")), 1, 10,
                        false), Progress.silent())).isInstanceOfSatisfying(CutoverException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                            assertThat(e.getMessage()).isEqualTo("--only users=abc: the key of step 'users' (id) is a number, not 'abc'");
                        });
                assertThatThrownBy(() -> m.migrate(new MigrateRequest(T0, T1, false, Map.of("users", java.util.Set.of("99999")), 1, 10,
                        false), Progress.silent())).isInstanceOfSatisfying(CutoverException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                            assertThat(e.getMessage()).isEqualTo("--only users=99999: no source row of step 'users' has key 99999");
                        });
                assertThat(tgt.hasTable("cutover_runs")).isFalse();
                // with --allow-future the same window runs
                MigrateRequest future = new MigrateRequest(T0, tomorrow, false, Map.of(), 1, 10, false, 2, true);
                assertThat(m.migrate(future, Progress.silent()).errors()).isZero();
            }
        }
    }

    @Test
    void aMigrationLogTheTargetRefusesToReadIsARuntimeFailureNotAFreshStart() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.PG); TestDb tgt = TestDb.create(TestDb.Kind.PG)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            try (SqlMigration m = new SqlMigration(f.plan())) {
                m.migrate(new MigrateRequest(T0, T1, false, Map.of(), 1, 10, false), Progress.silent());
            }
            String role = "cutover_ro_" + tgt.name.substring(tgt.name.length() - 8);
            tgt.exec("CREATE ROLE " + role + " LOGIN", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
                    "REVOKE SELECT ON cutover_log_users FROM " + role);
            try {
                String yaml = f.planYaml().replace("target: {url: \"" + tgt.url + "\", user: " + tgt.user + "}",
                        "target: {url: \"" + tgt.url + "\", user: " + role + "}");
                assertThat(yaml).contains(role);
                try (SqlMigration m = new SqlMigration(LOADER.parse(yaml, "plan.yaml"))) {
                    // before: the unreadable log was taken for "no log yet", and verify called every user unmigrated
                    assertThatThrownBy(() -> m.verify(io.cutover.sql.verify.VerifyRequest.all(), Progress.silent()))
                            .isInstanceOfSatisfying(CutoverException.class, e -> {
                                assertThat(e.exitCode()).isEqualTo(ExitCode.RUNTIME);
                                assertThat(e.getMessage()).contains("migration log of step users").contains("permission denied");
                            });
                }
            } finally {
                tgt.exec("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + role, "DROP OWNED BY " + role, "DROP ROLE " + role);
            }
        }
    }

    @Test
    void checkRefusesANonUniqueTargetKeyAndATypeThatCannotConvert() throws Exception {
        for (TestDb.Kind kind : TestDb.Kind.values()) {
            try (TestDb src = TestDb.create(kind); TestDb tgt = TestDb.create(kind)) {
                src.exec("CREATE TABLE films (id INT PRIMARY KEY, title VARCHAR(20), released " + src.ts() + ", changed_at " + src.ts() + ")");
                tgt.exec("CREATE TABLE movies (id INT, title VARCHAR(20), released_year INT)");
                String yaml = """
                        source: {url: "%s", user: %s}
                        target: {url: "%s", user: %s}
                        steps:
                          - {name: films, from: films, key: id, changed: [changed_at], into: movies, target_key: id,
                             columns: {id: id, title: title, released_year: released}}
                        """.formatted(src.url, src.user, tgt.url, tgt.user);
                try (SqlMigration m = new SqlMigration(LOADER.parse(yaml, "plan.yaml"))) {
                    CheckReport check = m.check();
                    assertThat(check.problems()).as(kind.name()).hasSize(2);
                    assertThat(check.problems().get(0)).startsWith("step 'films': column released_year: the source gives date/time")
                            .contains("is number").contains("CAST(released AS …)");
                    assertThat(check.problems().get(1)).startsWith("step 'films': target_key id is not unique in movies")
                            .contains("ADD PRIMARY KEY (id)");
                    assertThatThrownBy(() -> m.migrate(new MigrateRequest(T0, T1, false, Map.of(), 1, 10, false), Progress.silent()))
                            .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
                }
                assertThat(tgt.hasTable("cutover_runs")).isFalse();
            }
        }
    }
}

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
        CutoverException cycle = parseFails(plan(
                "  - {name: a, from: t, key: id, changed: [c], into: u, target_key: id, refs: {p: {from: p, step: b}}}\n"
                        + "  - {name: b, from: t, key: id, changed: [c], into: u, target_key: id, refs: {p: {from: p, step: a}}}"));
        assertThat(cycle.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cycle.getMessage()).contains("cycle").contains("a -> b -> a");
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
}

package io.cutover.runbook;

import io.cutover.core.error.CutoverException;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.RunbookInvalid;
import io.cutover.runbook.run.RunOptions;
import io.cutover.runbook.state.Decision;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.RunStatus;
import io.cutover.runbook.state.RunStore;
import io.cutover.runbook.state.StateLocation;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.state.StepState;
import io.cutover.testkit.sql.LocalDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs recorded in a database that several operators' machines share (H2 and the testkit's PostgreSQL). */
@Timeout(120)
class DatabaseStateTest {
    @TempDir
    Path dir;
    @TempDir
    Path otherMachine;

    private static String h2() {
        return "jdbc:h2:mem:runs-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private static String postgres() throws Exception {
        LocalDatabases.Server pg = LocalDatabases.postgres();
        String db = "runs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(pg.url("postgres"), pg.user(), pg.password()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        return pg.url(db) + "?user=" + pg.user();
    }

    private static String mariadb() throws Exception {
        LocalDatabases.Server m = LocalDatabases.mariadb();
        String db = "runs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(m.url(""), m.user(), m.password()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        return m.url(db) + "?user=" + m.user();
    }

    private static String night(String state) {
        return "name: night\n" + RunbookFiles.WINDOW + "state: \"" + state + "\"\n" + """
                steps:
                  - {id: prepare, title: Prepare, owner: carol, shell: "echo ready", planned: 1s}
                  - {id: switch, title: Switch DNS, owner: alice, manual: "Change the record", confirm: true, planned: 1s}
                  - {id: after, title: Tell everyone, owner: bob, shell: "echo told", planned: 1s}
                """;
    }

    @Test
    void h2RunIsSharedWithAnotherMachineAndASecondConductorIsRefused() throws Exception {
        sharedRun(h2());
    }

    @Test
    void postgresRunIsSharedWithAnotherMachineAndASecondConductorIsRefused() throws Exception {
        sharedRun(postgres());
    }

    @Test
    void mariadbRunIsSharedWithAnotherMachineAndASecondConductorIsRefused() throws Exception {
        sharedRun(mariadb());
    }

    /**
     * One operator runs the night; another, with the same runbook in another directory (another machine), sees
     * it, confirms and completes the manual step, and cannot run it a second time while the first runs it.
     */
    private void sharedRun(String url) throws Exception {
        Runbook here = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", night(url)));
        Runbook there = RunbookFiles.load(RunbookFiles.write(otherMachine, "night.yaml", night(url)));
        assertThat(here.state()).isInstanceOf(StateLocation.Database.class);

        Runs first = new Runs(here);
        CompletableFuture<Integer> code = first.background();
        RunnerTest.awaitState(there, "switch", StepState.WAITING);

        Runs second = new Runs(there, RunOptions.of(RunKind.RUN));
        assertThatThrownBy(second::run).isInstanceOf(CutoverException.class)
                .hasMessageContaining("night is being run by another process");

        Runs.post(there, new Decision(Decision.Action.CONFIRM, "switch", "alice"));
        RunnerTest.awaitState(there, "switch", StepState.RUNNING);
        Runs.post(there, new Decision(Decision.Action.DONE, "switch", "alice"));
        assertThat(code.get(30, TimeUnit.SECONDS)).isEqualTo(0);

        RunRecord rec = Runs.last(there);
        assertThat(rec.state()).isEqualTo(RunStatus.DONE);
        assertThat(rec.step("switch").confirmedBy()).isEqualTo("alice");
        assertThat(rec.step("after").state()).isEqualTo(StepState.DONE);
        assertThat(rec.step("prepare").output()).containsExactly("ready");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("night.yaml");

        // the lock went with the first conductor: a new run may start, from the other machine
        Runs again = new Runs(there, new RunOptions(RunKind.REHEARSAL, null, java.util.Set.of("switch"), null, false, "bob"));
        assertThat(again.run()).isEqualTo(0);
        try (RunStore s = here.state().open(here.name())) {
            assertThat(s.load().runs()).extracting(RunRecord::run).containsExactly(1, 2);
        }
    }

    @Test
    void aConductorWhoseReadIsStaleStopsInsteadOfOverwriting() {
        String url = h2();
        try (RunStore a = new StateLocation.Database(url).open("night"); RunStore b = new StateLocation.Database(url).open("night")) {
            History ha = a.load();
            History hb = b.load();
            a.save(ha.put(new RunRecord(1, RunKind.RUN, RunStatus.RUNNING, java.time.Instant.now(), null,
                    Map.of("x", StepRun.pending()), List.of())));
            assertThatThrownBy(() -> b.save(hb.put(new RunRecord(1, RunKind.RUN, RunStatus.RUNNING, java.time.Instant.now(), null,
                    Map.of("y", StepRun.pending()), List.of()))))
                    .isInstanceOf(CutoverException.class).hasMessageContaining("changed by another conductor");
            // a fresh read brings it up to date, and its next save goes through
            History fresh = b.load();
            assertThat(fresh.last().orElseThrow().steps()).containsOnlyKeys("x");
            b.save(fresh.put(fresh.last().orElseThrow().with(RunStatus.DONE, java.time.Instant.now())));
            assertThat(a.load().last().orElseThrow().state()).isEqualTo(RunStatus.DONE);
        }
    }

    @Test
    void eachDecisionIsTakenOnce() {
        String url = h2();
        try (RunStore a = new StateLocation.Database(url).open("night"); RunStore b = new StateLocation.Database(url).open("night");
             RunStore other = new StateLocation.Database(url).open("another")) {
            a.post(new Decision(Decision.Action.CONFIRM, "switch", "alice"));
            a.post(new Decision(Decision.Action.PAUSE, null, "bob"));
            other.post(new Decision(Decision.Action.ABORT, null, "mallory"));
            assertThat(b.take()).containsExactly(new Decision(Decision.Action.CONFIRM, "switch", "alice"),
                    new Decision(Decision.Action.PAUSE, null, "bob"));
            assertThat(a.take()).isEmpty();
            assertThat(other.take()).extracting(Decision::action).containsExactly(Decision.Action.ABORT);
        }
    }

    @Test
    void anUnsupportedJdbcUrlIsAProblemWithItsPlaceAndNoPassword() throws Exception {
        Path f = RunbookFiles.write(dir, "night.yaml", night("jdbc:oracle:thin:scott/tiger@db:1521/x?password=tiger"));
        assertThatThrownBy(() -> RunbookFiles.load(f)).isInstanceOf(RunbookInvalid.class)
                .satisfies(e -> assertThat(((RunbookInvalid) e).problems()).singleElement().asString()
                        .contains("night.yaml:3:8: state:").contains("not a PostgreSQL, MariaDB or H2 JDBC URL")
                        .doesNotContain("password=tiger"));
    }

    @Test
    void anUnreachableDatabaseIsOneLineRuntimeFailureWithoutThePassword() {
        try (RunStore s = new StateLocation.Database("jdbc:postgresql://127.0.0.1:" + io.cutover.testkit.Ports.free()
                + "/x?user=u&password=s3cret").open("night")) {
            assertThatThrownBy(s::load).isInstanceOf(CutoverException.class)
                    .hasMessageContaining("cannot connect").hasMessageNotContaining("s3cret");
        }
    }
}

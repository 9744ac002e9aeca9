package io.cutover.runbook;

import com.sun.net.httpserver.HttpServer;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.report.RunReport;
import io.cutover.runbook.state.Decision;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.RunStatus;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.state.StepState;
import io.cutover.runbook.timeline.Estimates;
import io.cutover.runbook.state.History;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class RunnerTest {
    @TempDir
    Path dir;
    HttpServer http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop(0);
        }
    }

    /** A real HTTP endpoint answering {@code status} to every GET: what an http gate watches. */
    private String serving(int status) throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        http.start();
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/health";
    }

    @Test
    void aGateThatTimesOutRollsBackWhatCompletedInReverse() throws Exception {
        String url = serving(503);
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                steps:
                  - {id: stop-jobs, title: Stop jobs, owner: bob, shell: "echo stopped > jobs.state; echo stop >> log", planned: 1s, rollback: [start-jobs]}
                  - {id: freeze, title: Freeze writes, owner: bob, shell: "echo freeze >> log", planned: 1s, rollback: [thaw]}
                  - {id: announce, title: Announce, owner: bob, shell: "echo announce >> log", planned: 1s}
                  - id: healthy
                    title: New system healthy
                    owner: carol
                    gate: {http: "%s", status: 200, every: 100ms}
                    timeout: 1s
                    planned: 1s
                    on_failure: rollback
                  - {id: switch, title: Switch, owner: alice, shell: "echo switch >> log", planned: 1s}
                  - {id: thaw, title: Thaw writes, owner: bob, shell: "echo thaw >> log", planned: 1s}
                  - {id: start-jobs, title: Start jobs, owner: bob, shell: "rm jobs.state; echo start >> log", planned: 1s}
                """.formatted(url)));
        // shell steps run in the runbook's directory: jobs.state and log are files beside it
        Runbook abs = r;
        Runs run = new Runs(abs);
        assertThat(run.run()).isEqualTo(3);
        RunRecord rec = Runs.last(abs);
        assertThat(rec.state()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(rec.step("healthy").state()).isEqualTo(StepState.FAILED);
        assertThat(rec.step("healthy").note()).isEqualTo("gate timed out after 1.0s: HTTP 503 (want 200)");
        assertThat(rec.step("healthy").output()).containsExactly("HTTP 503 (want 200)");
        assertThat(rec.step("switch").state()).isEqualTo(StepState.PENDING);
        assertThat(rec.step("freeze").state()).isEqualTo(StepState.ROLLED_BACK);
        assertThat(rec.step("stop-jobs").state()).isEqualTo(StepState.ROLLED_BACK);
        assertThat(rec.step("thaw").state()).isEqualTo(StepState.DONE);
        // a step with nothing to undo it stays done: the report must not claim it was undone
        assertThat(rec.step("announce").state()).isEqualTo(StepState.DONE);
        assertThat(Files.readAllLines(dir.resolve("log"))).containsExactly("stop", "freeze", "announce", "thaw", "start");
        assertThat(dir.resolve("jobs.state")).doesNotExist();
    }

    @Test
    void aPointOfNoReturnRefusesRollback() throws Exception {
        Path log = dir.resolve("log");
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                steps:
                  - {id: copy, title: Copy, owner: carol, shell: "echo copy >> %1$s", planned: 1s, rollback: [uncopy]}
                  - {id: switch, title: Switch, owner: alice, shell: "echo switch >> %1$s", planned: 1s, point_of_no_return: true, rollback: [unswitch]}
                  - {id: watch, title: Watch, owner: alice, manual: Watch the error rate, planned: 1m}
                  - {id: cleanup, title: Clean up, owner: bob, shell: "exit 4", planned: 1s, on_failure: rollback}
                  - {id: uncopy, title: Uncopy, owner: carol, shell: "echo uncopy >> %1$s", planned: 1s}
                  - {id: unswitch, title: Unswitch, owner: alice, shell: "echo unswitch >> %1$s", planned: 1s}
                """.formatted(log)));
        Runs run = new Runs(r);
        CompletableFuture<Integer> code = run.background();
        awaitState(r, "watch", StepState.RUNNING);
        // the operator's rollback button is refused at once, with the reason
        assertThat(run.runner.decide(new Decision(Decision.Action.ROLLBACK, null, "alice")))
                .startsWith("rollback refused: 'switch' is a point of no return, done at ").endsWith("; fix forward");
        // from another terminal (cutover runbook rollback) too: recorded as refused, and the run goes on
        Runs.post(r, new Decision(Decision.Action.ROLLBACK, null, "mallory"));
        for (int i = 0; i < 300 && Runs.last(r).events().isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(Runs.last(r).events()).as(run.out + " / " + code).singleElement().satisfies(e -> {
            assertThat(e.what()).startsWith("rollback refused: rollback refused: 'switch' is a point of no return");
            assertThat(e.by()).isEqualTo("mallory");
        });
        assertThat(Runs.last(r).state()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.runner.decide(new Decision(Decision.Action.DONE, "watch", "alice"))).isNull();
        // cleanup fails and says rollback: refused too, the run ends failed and nothing is undone
        assertThat(code.get(30, TimeUnit.SECONDS)).isEqualTo(3);
        RunRecord rec = Runs.last(r);
        assertThat(rec.state()).isEqualTo(RunStatus.FAILED);
        assertThat(rec.step("cleanup").note()).isEqualTo("exit 4");
        assertThat(rec.step("copy").state()).isEqualTo(StepState.DONE);
        assertThat(rec.step("switch").state()).isEqualTo(StepState.DONE);
        assertThat(rec.step("watch").doneBy()).isEqualTo("alice");
        assertThat(rec.events()).anySatisfy(e -> assertThat(e.what()).startsWith("rollback refused: 'switch'"));
        assertThat(Files.readAllLines(log)).containsExactly("copy", "switch");
    }

    @Test
    void forEachRunsFortyItemsEachWithItsOwnState() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        String jobs = IntStream.rangeClosed(1, 40).mapToObj(i -> String.format("batch-%02d", i)).collect(Collectors.joining("\n"));
        Files.writeString(dir.resolve("jobs.txt"), jobs + "\n");
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                steps:
                  - id: repoint
                    title: Repoint ${item}
                    owner: ops-${item}
                    for_each: jobs.txt
                    planned: 1s
                    shell: "echo new-redis > %s/${item}.conf"
                  - {id: verify, title: Verify, owner: carol, shell: "test $(ls %s | wc -l) -eq 40", planned: 1s}
                """.formatted(out, out)));
        assertThat(r.forward()).hasSize(41);
        assertThat(new Runs(r).run()).isEqualTo(0);
        RunRecord rec = Runs.last(r);
        assertThat(rec.state()).isEqualTo(RunStatus.DONE);
        assertThat(Files.list(out).count()).isEqualTo(40);
        Map<String, Object> report = RunReport.json(r, rec, Estimates.of(r, new History("night", List.of())), Instant.now());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) report.get("steps");
        assertThat(steps).hasSize(41);
        assertThat(steps.get(6)).containsEntry("id", "repoint[batch-07]").containsEntry("owner", "ops-batch-07")
                .containsEntry("title", "Repoint batch-07").containsEntry("state", "done");
        assertThat(steps.get(6).keySet()).containsExactly("id", "title", "owner", "state", "planned_seconds", "actual_seconds",
                "started_at", "finished_at", "confirmed_by");
        assertThat(report.keySet()).containsExactly("runbook", "run", "kind", "window", "forecast_end", "state", "steps");
    }

    @Test
    void aConfirmedStepStartsOnlyAfterItsConfirmationAndTheInboxCarriesDecisions() throws Exception {
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                steps:
                  - {id: switch, title: Switch, owner: alice, manual: Flip DNS, confirm: true, planned: 5m}
                  - {id: after, title: After, owner: bob, shell: "true", planned: 1s}
                """));
        Runs run = new Runs(r);
        CompletableFuture<Integer> code = run.background();
        awaitState(r, "switch", StepState.WAITING);
        assertThat(run.runner.decide(new Decision(Decision.Action.DONE, "switch", "bob"))).isEqualTo("'switch' is not a manual step in progress (it is waiting)");
        // as cutover runbook confirm/done from another terminal do
        Runs.post(r, new Decision(Decision.Action.CONFIRM, "switch", "dave"));
        awaitState(r, "switch", StepState.RUNNING);
        Runs.post(r, new Decision(Decision.Action.DONE, "switch", "erin"));
        assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo(0);
        RunRecord rec = Runs.last(r);
        assertThat(rec.step("switch").confirmedBy()).isEqualTo("dave");
        assertThat(rec.step("switch").doneBy()).isEqualTo("erin");
        assertThat(rec.step("switch").startedAt()).isAfterOrEqualTo(rec.step("switch").confirmedAt());
    }

    @Test
    void aPausedRunStartsNothingUntilResumed() throws Exception {
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                steps:
                  - {id: watch, title: Watch, owner: alice, manual: Watch the graphs, planned: 1m}
                  - {id: next, title: Next, owner: bob, shell: "true", planned: 1s}
                """));
        Runs run = new Runs(r);
        CompletableFuture<Integer> code = run.background();
        awaitState(r, "watch", StepState.RUNNING);
        assertThat(run.runner.decide(new Decision(Decision.Action.PAUSE, null, "alice"))).isNull();
        assertThat(run.runner.decide(new Decision(Decision.Action.DONE, "watch", "alice"))).isNull();
        awaitState(r, "watch", StepState.DONE);
        Thread.sleep(500);
        assertThat(Runs.last(r).state()).isEqualTo(RunStatus.PAUSED);
        assertThat(Runs.last(r).step("next").state()).isEqualTo(StepState.PENDING);
        assertThat(run.runner.decide(new Decision(Decision.Action.RESUME, null, "alice"))).isNull();
        assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo(0);
        assertThat(Runs.last(r).events()).extracting(e -> e.what()).containsExactly("pause", "done", "resume");
    }

    static void awaitState(Runbook r, String step, StepState s) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (Runs.lastStep(r, step) instanceof StepRun x && x.state() == s) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(step + " never became " + s.word() + ": " + Runs.lastStep(r, step));
    }
}

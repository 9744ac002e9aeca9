package io.cutover.runbook;

import io.cutover.core.error.CutoverException;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.run.ResumeChoice;
import io.cutover.runbook.run.RunOptions;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.RunStatus;
import io.cutover.runbook.state.StepState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(90)
class ResumeAfterKillTest {
    @TempDir
    Path dir;

    @Test
    void aRunKilledMidStepContinuesWhereItWasOnceToldWhatHappenedToTheStep() throws Exception {
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                steps:
                  - {id: first, title: First, owner: bob, shell: "echo first >> log", planned: 1s}
                  - id: slow
                    title: Slow
                    owner: bob
                    # the first attempt hangs; a rerun finds the marker and finishes at once
                    shell: "if [ -f marker ]; then echo rerun >> log; else touch marker; echo slow >> log; sleep 60; fi"
                    planned: 1m
                  - {id: last, title: Last, owner: bob, shell: "echo last >> log", planned: 1s}
                """));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RunMain.class.getName(), r.file().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
        try {
            RunnerTest.awaitState(r, "slow", StepState.RUNNING);
            for (int i = 0; i < 100 && Runs.last(r).step("slow").pid() == null; i++) {
                Thread.sleep(50);
            }
            List<ProcessHandle> shells = child.descendants().toList();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no last write
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(137);
            shells.forEach(ProcessHandle::destroyForcibly);
        } finally {
            child.destroyForcibly();
        }
        RunRecord killed = Runs.last(r);
        assertThat(killed.state()).isEqualTo(RunStatus.RUNNING);
        assertThat(killed.step("first").state()).isEqualTo(StepState.DONE);
        assertThat(killed.step("slow").state()).isEqualTo(StepState.RUNNING);

        // without an answer about the step that was running, nothing happens (exit 2)
        assertThatThrownBy(() -> new Runs(r)).isInstanceOfSatisfying(CutoverException.class, e -> {
            assertThat(e.exitCode().code()).isEqualTo(2);
            assertThat(e.getMessage()).isEqualTo("run 1 stopped while slow was running: say what happened with --resume-running rerun|done|fail");
        });

        Runs again = new Runs(r, new RunOptions(RunKind.RUN, null, Set.of(), ResumeChoice.RERUN, false, "alice"));
        assertThat(again.run()).isEqualTo(0);
        RunRecord rec = Runs.last(r);
        assertThat(rec.run()).isEqualTo(1);
        assertThat(rec.state()).isEqualTo(RunStatus.DONE);
        assertThat(rec.step("slow").attempts()).isEqualTo(2);
        assertThat(rec.events()).anySatisfy(e -> {
            assertThat(e.step()).isEqualTo("slow");
            assertThat(e.what()).isEqualTo("was running when the run stopped: rerun");
            assertThat(e.by()).isEqualTo("alice");
        });
        // first ran once: the continued run did not repeat what was done
        assertThat(Files.readAllLines(dir.resolve("log"))).containsExactly("first", "slow", "rerun", "last");
        assertThat(again.out.toString()).contains("continuing run 1 (it was running)");
    }

    @Test
    void fromAndSkipLeaveStepsOutAndANewRunGetsTheNextNumber() throws Exception {
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                steps:
                  - {id: a, title: A, owner: bob, shell: "echo a >> log", planned: 1s}
                  - {id: b, title: B, owner: bob, shell: "echo b >> log", planned: 1s}
                  - {id: c, title: C, owner: bob, shell: "echo c >> log", planned: 1s}
                  - {id: d, title: D, owner: bob, shell: "echo d >> log", planned: 1s}
                """));
        assertThat(new Runs(r, new RunOptions(RunKind.RUN, "b", Set.of("c"), null, false, "bob")).run()).isEqualTo(0);
        RunRecord rec = Runs.last(r);
        assertThat(rec.step("a").state()).isEqualTo(StepState.SKIPPED);
        assertThat(rec.step("a").note()).isEqualTo("before --from b");
        assertThat(rec.step("c").note()).isEqualTo("--skip");
        // d waits for c, skipped, which waits for b: d still comes after b
        assertThat(Files.readAllLines(dir.resolve("log"))).containsExactly("b", "d");
        assertThat(rec.step("d").startedAt()).isAfterOrEqualTo(rec.step("b").finishedAt());
        assertThat(new Runs(r).run()).isEqualTo(0);
        assertThat(Runs.last(r).run()).isEqualTo(2);
        assertThatThrownBy(() -> new Runs(r, new RunOptions(RunKind.RUN, "zz", Set.of(), null, false, "bob")))
                .hasMessage("--from: no step 'zz' in " + r.file());
    }
}

package io.cutover.runbook;

import io.cutover.core.command.CommandRunner;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.run.RunOptions;
import io.cutover.runbook.run.Runner;
import io.cutover.runbook.state.Decision;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.RunStatus;
import io.cutover.runbook.state.StepState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Abort and the steps it stops. Real commands (a Redis copy, a live copy) are aborted in the CLI's tests; here the
 * commands are stand-ins through the in-process seam, to show what the runner does with a command that heeds the
 * interrupt, and with one that does not.
 */
@Timeout(60)
class AbortTest {
    @TempDir
    Path dir;

    private Runbook night() throws Exception {
        return RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                steps:
                  - {id: copy, title: Copy, owner: carol, cutover: "redis copy --source a --target b", planned: 1h}
                  - {id: hold, title: Hold, owner: bob, after: [], shell: "sleep 60", planned: 1h}
                  - {id: next, title: Next, owner: bob, after: [copy, hold], shell: "echo next", planned: 1s}
                """));
    }

    @Test
    void anAbortStopsAnInProcessCommandAndTheThreadsItStartedAndRecordsThemAborted() throws Exception {
        Runbook r = night();
        CountDownLatch workerStarted = new CountDownLatch(1);
        AtomicBoolean workerStopped = new AtomicBoolean();
        // a command with a worker thread of its own, as a copy has: both must stop
        CommandRunner copy = (out, err, args) -> {
            Thread worker = new Thread(() -> {
                workerStarted.countDown();
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    workerStopped.set(true);
                }
            });
            worker.start();
            out.println("copying");
            try {
                Thread.sleep(600_000);
                return 0;
            } catch (InterruptedException e) {
                err.println("cutover: interrupted");
                return 3;
            }
        };
        StringWriter log = new StringWriter();
        Runner runner = new Runner(r, RunOptions.of(RunKind.RUN), copy, new PrintWriter(log, true), Clock.systemUTC());
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(runner::run);
        assertThat(workerStarted.await(20, TimeUnit.SECONDS)).isTrue();
        RunnerTest.awaitState(r, "hold", StepState.RUNNING);
        assertThat(runner.decide(new Decision(Decision.Action.ABORT, null, "alice"))).isNull();

        assertThat(code.get(30, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(workerStopped).isTrue();
        RunRecord rec = Runs.last(r);
        assertThat(rec.state()).isEqualTo(RunStatus.ABORTED);
        assertThat(rec.step("copy").state()).isEqualTo(StepState.ABORTED);
        assertThat(rec.step("copy").note()).isEqualTo("aborted by alice (interrupted: cutover redis copy stopped)");
        assertThat(rec.step("copy").output()).containsExactly("copying", "cutover: interrupted");
        assertThat(rec.step("hold").state()).isEqualTo(StepState.ABORTED);
        assertThat(rec.step("next").state()).isEqualTo(StepState.PENDING);
        assertThat(log.toString()).contains("aborted  copy after ").contains("run 1 aborted");
    }

    @Test
    void aCommandThatIgnoresTheInterruptIsRecordedAbortedAfterTheGraceAndTheRunEnds() throws Exception {
        Runbook r = night();
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        CommandRunner stubborn = (out, err, args) -> {
            started.countDown();
            while (!release.get()) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    // ignores it, as a command stuck in a call that cannot be interrupted would
                }
            }
            return 0;
        };
        try {
            StringWriter log = new StringWriter();
            Runner runner = new Runner(r, new RunOptions(RunKind.RUN, null, java.util.Set.of("hold"), null, false, "carol"),
                    stubborn, new PrintWriter(log, true), Clock.systemUTC()).abortGrace(Duration.ofMillis(500));
            CompletableFuture<Integer> code = CompletableFuture.supplyAsync(runner::run);
            assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(runner.decide(new Decision(Decision.Action.ABORT, null, "alice"))).isNull();
            assertThat(code.get(30, TimeUnit.SECONDS)).isEqualTo(3);
            RunRecord rec = Runs.last(r);
            assertThat(rec.state()).isEqualTo(RunStatus.ABORTED);
            assertThat(rec.step("copy").state()).isEqualTo(StepState.ABORTED);
            assertThat(rec.step("copy").note()).contains("did not stop within 500ms").contains("end with this process");
            assertThat(rec.step("next").state()).isEqualTo(StepState.PENDING);
        } finally {
            release.set(true);
        }
    }

    @Test
    void anAbortedRunContinuesWithTheAbortedStepsRunAgain() throws Exception {
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                steps:
                  - {id: slow, title: Slow, owner: bob, shell: "if [ -f again ]; then echo second; else touch again; sleep 60; fi", planned: 1m}
                  - {id: next, title: Next, owner: bob, shell: "echo next", planned: 1s}
                """));
        Runs first = new Runs(r);
        CompletableFuture<Integer> code = first.background();
        RunnerTest.awaitState(r, "slow", StepState.RUNNING);
        while (!java.nio.file.Files.exists(dir.resolve("again"))) {
            Thread.sleep(20);
        }
        assertThat(first.runner.decide(new Decision(Decision.Action.ABORT, null, "alice"))).isNull();
        assertThat(code.get(30, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(Runs.last(r).step("slow").state()).isEqualTo(StepState.ABORTED);

        Runs second = new Runs(r);
        CompletableFuture<Integer> again = second.background();
        assertThat(again.get(30, TimeUnit.SECONDS)).as(() -> second.out.toString()).isEqualTo(0);
        RunRecord rec = Runs.last(r);
        assertThat(rec.run()).isEqualTo(1);
        assertThat(rec.step("slow").output()).containsExactly("second");
        assertThat(rec.step("next").state()).isEqualTo(StepState.DONE);
    }
}

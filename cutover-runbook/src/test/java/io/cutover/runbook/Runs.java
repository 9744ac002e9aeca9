package io.cutover.runbook;

import io.cutover.runbook.plan.Runbook;
import io.cutover.core.command.CommandRunner;
import io.cutover.runbook.run.RunOptions;
import io.cutover.runbook.run.Runner;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.Decision;
import io.cutover.runbook.state.RunStore;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/** Runs runbooks in tests: in this thread, or in the background while the test decides. */
final class Runs {
    /** The runbook module has no Cutover commands of its own: a cutover: step in these tests is a usage error. */
    static final CommandRunner NO_COMMANDS = (out, err, args) -> {
        err.println("no cutover commands in this test");
        return 2;
    };

    final StringWriter out = new StringWriter();
    final Runner runner;

    Runs(Runbook r, RunOptions o) {
        runner = new Runner(r, o, NO_COMMANDS, new PrintWriter(out, true), Clock.systemUTC());
    }

    Runs(Runbook r) {
        this(r, RunOptions.of(RunKind.RUN));
    }

    int run() {
        return runner.run();
    }

    CompletableFuture<Integer> background() {
        return CompletableFuture.supplyAsync(runner::run);
    }

    static RunRecord last(Runbook r) {
        try (RunStore s = r.state().open(r.name())) {
            return s.load().last().orElseThrow();
        }
    }

    /** A step of the last run, or "no run" when none is recorded yet (for failure messages). */
    static Object lastStep(Runbook r, String step) {
        try (RunStore s = r.state().open(r.name())) {
            return s.load().last().<Object>map(x -> x.step(step)).orElse("no run");
        }
    }

    static void post(Runbook r, Decision d) {
        try (RunStore s = r.state().open(r.name())) {
            s.post(d);
        }
    }
}

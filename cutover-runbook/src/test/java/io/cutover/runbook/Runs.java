package io.cutover.runbook;

import io.cutover.runbook.plan.Runbook;
import io.cutover.core.command.CommandRunner;
import io.cutover.runbook.run.RunOptions;
import io.cutover.runbook.run.Runner;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.StateFile;

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
        History h = new StateFile(r.state()).load(r.name());
        return h.last().orElseThrow();
    }
}

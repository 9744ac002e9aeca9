package io.cutover.runbook;

import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.run.RunOptions;
import io.cutover.runbook.run.Runner;
import io.cutover.runbook.state.RunKind;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/** A runbook run in a child JVM, for the test that kills it with SIGKILL. */
public final class RunMain {
    private RunMain() {
    }

    public static void main(String[] args) {
        Runbook r = RunbookFiles.load(Path.of(args[0]));
        System.exit(new Runner(r, RunOptions.of(RunKind.RUN), Runs.NO_COMMANDS, new PrintWriter(System.out, true),
                Clock.systemUTC()).run());
    }
}

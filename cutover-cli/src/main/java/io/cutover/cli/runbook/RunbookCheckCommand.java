package io.cutover.cli.runbook;

import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.timeline.Estimates;
import io.cutover.runbook.timeline.Forecast;
import io.cutover.runbook.timeline.TimelineText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code cutover runbook check}: validate, and print the plan as a timeline against the window. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the runbook (one line with file:line:col per problem, exit 2) and print the timeline: "
                + "planned start and end per step, the critical path, and whether it fits the window (with "
                + "rehearsal medians and p90 when there are any).")
public final class RunbookCheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunbookFile file;

    @Override
    public Integer call() {
        Runbook r = file.load(spec.commandLine().getErr());
        Estimates est = Estimates.of(r, RunbookFile.history(r));
        Forecast f = Forecast.of(r, null, est, Instant.now());
        spec.commandLine().getOut().print(TimelineText.render(r, est, f));
        spec.commandLine().getOut().flush();
        return 0;
    }
}

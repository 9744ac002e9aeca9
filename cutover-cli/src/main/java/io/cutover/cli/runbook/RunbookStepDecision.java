package io.cutover.cli.runbook;

import io.cutover.core.error.CutoverException;
import io.cutover.runbook.plan.Action;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;
import io.cutover.runbook.state.Decision;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.StepState;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** A decision about one step of the running runbook, posted from another terminal ({@code done}, {@code confirm}). */
abstract class RunbookStepDecision implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunbookFile file;

    @Parameters(index = "1", paramLabel = "STEP", description = "The step id.")
    String step;

    @Option(names = "--by", paramLabel = "NAME", description = "Who decides (default: the user name).")
    String by;

    /** What is decided. */
    abstract Decision.Action action();

    @Override
    public Integer call() {
        Runbook r = file.load(spec.commandLine().getErr());
        Step s = r.step(step).orElseThrow(() -> CutoverException.usage("no step '" + step + "' in " + r.file()));
        History h = RunbookFile.history(r);
        RunRecord run = h.last().filter(x -> x.state().resumable())
                .orElseThrow(() -> CutoverException.usage("no run of " + r.name() + " in progress"));
        Decision.Action a = action();
        if (a == Decision.Action.CONFIRM) {
            if (!s.confirm()) {
                throw CutoverException.usage("'" + step + "' needs no confirmation");
            }
        } else if (!(s.action() instanceof Action.Manual)) {
            throw CutoverException.usage("'" + step + "' is a " + s.action().kind() + " step, not a manual one");
        } else if (run.step(step).state() != StepState.RUNNING) {
            throw CutoverException.usage("'" + step + "' is " + run.step(step).state().word() + ", not in progress");
        }
        String who = by == null ? System.getProperty("user.name") : by;
        RunbookFile.post(r, new Decision(a, step, who));
        spec.commandLine().getOut().println(a.word() + " " + step + " by " + who + ": handed to run " + run.run());
        spec.commandLine().getOut().flush();
        return 0;
    }
}

package io.cutover.cli.runbook;

import io.cutover.core.error.CutoverException;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.state.Decision;
import io.cutover.runbook.state.RunRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code cutover runbook pause|resume|abort|rollback FILE}: a decision about the whole run from another terminal,
 * checked by the running process as the page's buttons are (a rollback after a point of no return is refused).
 */
public abstract class RunbookDecisionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunbookFile file;

    @Option(names = "--by", paramLabel = "NAME", description = "Who decides (default: the user name).")
    String by;

    abstract Decision.Action action();

    @Override
    public Integer call() {
        Runbook r = file.load(spec.commandLine().getErr());
        RunRecord run = RunbookFile.history(r).last().filter(x -> x.state().resumable())
                .orElseThrow(() -> CutoverException.usage("no run of " + r.name() + " in progress"));
        String who = by == null ? System.getProperty("user.name") : by;
        RunbookFile.post(r, new Decision(action(), null, who));
        spec.commandLine().getOut().println(action().word() + " by " + who + ": handed to run " + run.run()
                + " (its output says whether it was taken)");
        spec.commandLine().getOut().flush();
        return 0;
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "No new step starts until resume.")
    public static final class Pause extends RunbookDecisionCommand {
        Decision.Action action() {
            return Decision.Action.PAUSE;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Steps start again after a pause.")
    public static final class Resume extends RunbookDecisionCommand {
        Decision.Action action() {
            return Decision.Action.RESUME;
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, description = "Stop every step now (shell steps are killed).")
    public static final class Abort extends RunbookDecisionCommand {
        Decision.Action action() {
            return Decision.Action.ABORT;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Run the rollback steps of what has completed, newest first (refused after a point of no return).")
    public static final class Rollback extends RunbookDecisionCommand {
        Decision.Action action() {
            return Decision.Action.ROLLBACK;
        }
    }
}

package io.cutover.cli.runbook;

import io.cutover.runbook.state.Decision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cutover runbook done}: mark a manual step done (or failed) from another terminal. */
@Command(name = "done", mixinStandardHelpOptions = true,
        description = "Mark a manual step of the running runbook done (or --failed); the running process picks it up.")
public final class RunbookDoneCommand extends RunbookStepDecision {
    @Option(names = "--failed", description = "The step failed (its on_failure applies).")
    boolean failed;

    @Override
    Decision.Action action() {
        return failed ? Decision.Action.FAILED : Decision.Action.DONE;
    }
}

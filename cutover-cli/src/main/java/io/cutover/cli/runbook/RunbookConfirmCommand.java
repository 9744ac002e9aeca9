package io.cutover.cli.runbook;

import io.cutover.runbook.state.Decision;
import picocli.CommandLine.Command;

/** {@code cutover runbook confirm}: approve the start of a {@code confirm: true} step from another terminal. */
@Command(name = "confirm", mixinStandardHelpOptions = true,
        description = "Approve the start of a step marked confirm: true; the running process picks it up.")
public final class RunbookConfirmCommand extends RunbookStepDecision {
    @Override
    Decision.Action action() {
        return Decision.Action.CONFIRM;
    }
}

package io.cutover.cli.runbook;

import io.cutover.runbook.state.RunKind;
import picocli.CommandLine.Command;

/** {@code cutover runbook rehearse}: a run recorded as a rehearsal, ending with planned vs actual. */
@Command(name = "rehearse", mixinStandardHelpOptions = true,
        description = "Run everything for real against rehearsal targets (give them with --vars), record each step's "
                + "duration as a rehearsal (later timelines use their median and p90), and end with a planned-vs-actual "
                + "table and what changed since the last rehearsal.")
public final class RunbookRehearseCommand extends RunbookRunCommand {
    @Override
    RunKind kind() {
        return RunKind.REHEARSAL;
    }
}

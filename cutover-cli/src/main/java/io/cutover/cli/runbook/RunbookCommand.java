package io.cutover.cli.runbook;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cutover runbook}: the cutover night as a checked plan, rehearsed, run and reported. */
@Command(name = "runbook", mixinStandardHelpOptions = true,
        description = "The cutover night as a checked plan: check, rehearse, run (resumable, with a control-room "
                + "page), status, report, compare; done/confirm from another terminal.",
        subcommands = {RunbookCheckCommand.class, RunbookRehearseCommand.class, RunbookRunCommand.class,
                RunbookStatusCommand.class, RunbookReportCommand.class, RunbookCompareCommand.class, RunbookDoneCommand.class, RunbookConfirmCommand.class,
                RunbookDecisionCommand.Pause.class, RunbookDecisionCommand.Resume.class, RunbookDecisionCommand.Abort.class,
                RunbookDecisionCommand.Rollback.class})
public final class RunbookCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

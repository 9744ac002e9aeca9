package io.cutover.cli.sql;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cutover sql}: relational incremental migration driven by a plan. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Relational incremental migration: plans, time windows, migration log, deletions, errors, "
                + "subsets, hiding, verification, estimates.",
        subcommands = {SqlDraftCommand.class, SqlCheckCommand.class, SqlMigrateCommand.class, SqlVerifyCommand.class, SqlStatusCommand.class,
                SqlErrorsCommand.class, SqlEstimateCommand.class, SqlRevealCommand.class})
public final class SqlCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

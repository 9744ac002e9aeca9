package io.cutover.cli.sql;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cutover sql}: the sql commands. */
@Command(name = "sql", mixinStandardHelpOptions = true, description = "sql commands (not built yet).", subcommands = {})
public final class SqlCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

package io.cutover.cli.router;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cutover router}: the router commands. */
@Command(name = "router", mixinStandardHelpOptions = true, description = "router commands (not built yet).", subcommands = {})
public final class RouterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

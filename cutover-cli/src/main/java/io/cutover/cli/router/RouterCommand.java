package io.cutover.cli.router;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cutover router}: the strangler router. */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Strangler router: send traffic to the new system path by path and id by id.",
        subcommands = {RouterRunCommand.class, RouterCheckCommand.class, RouterKeygenCommand.class, RouterDiffsCommand.class})
public final class RouterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

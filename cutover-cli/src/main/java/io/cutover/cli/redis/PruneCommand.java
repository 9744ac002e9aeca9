package io.cutover.cli.redis;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code cutover redis prune} (not built yet). */
@Command(name = "prune", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class PruneCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("cutover redis prune: not built yet");
        return 2;
    }
}

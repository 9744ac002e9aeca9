package io.cutover.cli.redis;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code cutover redis clients} (not built yet). */
@Command(name = "clients", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class ClientsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("cutover redis clients: not built yet");
        return 2;
    }
}

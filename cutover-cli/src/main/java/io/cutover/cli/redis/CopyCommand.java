package io.cutover.cli.redis;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code cutover redis copy} (not built yet). */
@Command(name = "copy", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class CopyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("cutover redis copy: not built yet");
        return 2;
    }
}

package io.cutover.cli.redis;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cutover redis}: the redis commands. */
@Command(name = "redis", mixinStandardHelpOptions = true, description = "redis commands (not built yet).", subcommands = {})
public final class RedisCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

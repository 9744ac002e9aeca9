package io.cutover.cli.redis;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cutover redis}: inventory, copy, prune, verify and watch clients of Redis keyspaces. */
@Command(name = "redis", mixinStandardHelpOptions = true,
        description = "Move Redis keyspaces: inventory, filtered cross-version copy, prune, verify, client drain.",
        subcommands = {InventoryCommand.class, CopyCommand.class, PruneCommand.class, VerifyCommand.class,
                ClientsCommand.class, SwitchCommand.class, UsageCommand.class})
public final class RedisCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

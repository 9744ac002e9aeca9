package io.cutover.cli.deploy;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A worker's command line from a deploy file, parsed by the real {@code cutover} command model. */
final class WorkerArgs {
    private static final List<String> WORKER_OPTIONS = List.of("--workers-total", "--worker");

    private WorkerArgs() {
    }

    /**
     * The parse result of the innermost command ({@code cutover sql migrate}). The worker options are parsed where
     * the command defines them and set aside where it does not, so the rest of the line is checked either way.
     */
    static CommandLine.ParseResult parse(List<String> args) {
        CommandLine command = DeployFiles.commandLine().getSubcommands().get(args.get(0)).getSubcommands().get(args.get(1));
        List<String> line = args;
        if (command.getCommandSpec().findOption("--workers-total") == null) {
            line = new ArrayList<>(args);
            for (String option : WORKER_OPTIONS) {
                int i = line.indexOf(option);
                if (i >= 0) {
                    line.subList(i, Math.min(i + 2, line.size())).clear();
                }
            }
        }
        CommandLine.ParseResult r = DeployFiles.commandLine().parseArgs(line.toArray(String[]::new));
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r;
    }

    /** Where the command defines the worker options: {@code --workers-total N --worker auto} as parsed. */
    static void assertWorkerOptions(CommandLine.ParseResult command, int workers) {
        if (command.commandSpec().findOption("--workers-total") == null) {
            return;
        }
        assertThat(command.matchedOption("--workers-total").originalStringValues()).containsExactly(String.valueOf(workers));
        Object total = command.matchedOption("--workers-total").getValue();
        if (total instanceof Number n) {
            assertThat(n.intValue()).isEqualTo(workers);
        }
        assertThat(command.matchedOption("--worker").originalStringValues()).containsExactly("auto");
    }
}

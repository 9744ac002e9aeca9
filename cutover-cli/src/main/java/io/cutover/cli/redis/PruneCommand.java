package io.cutover.cli.redis;

import io.cutover.cli.Cutover;
import io.cutover.cli.Terminal;
import io.cutover.core.error.CutoverException;
import io.cutover.core.output.Json;
import io.cutover.core.output.OutputFormat;
import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.prune.Confirmation;
import io.cutover.redis.prune.PruneOptions;
import io.cutover.redis.prune.PruneReport;
import io.cutover.redis.prune.PruneRule;
import io.cutover.redis.prune.RedisPrune;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cutover redis prune}: delete the keys that don't belong (after restoring a whole snapshot). */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Delete the keys that don't belong on a server, in batches (UNLINK; DEL before Redis 4.0): "
                + "--keep GLOB... deletes everything else, --delete GLOB... deletes what matches.")
public final class PruneCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TargetOption target;

    @Mixin
    TlsOption tls;

    @Option(names = "--keep", arity = "1..*", paramLabel = "GLOB", description = "Keep only keys matching these globs.")
    List<String> keep;

    @Option(names = "--delete", arity = "1..*", paramLabel = "GLOB", description = "Delete keys matching these globs.")
    List<String> delete;

    @Option(names = "--dry-run", description = "Count per prefix what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Don't ask for confirmation (needed without a terminal).")
    boolean yes;

    @Option(names = "--batch", defaultValue = "1000", description = "Keys per SCAN batch and per UNLINK/DEL (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        OutputFormat f = OutputFormat.parse(format);
        PruneOptions options = new PruneOptions(PruneRule.of(keep, delete), dryRun, batch, ":");
        Confirmation confirmation = yes ? Confirmation.yes() : question -> askOnTerminal(Terminal.of(spec), question);
        try (RedisEndpoint endpoint = target.endpoint(tls);
             Progress progress = f == OutputFormat.TABLE ? Cutover.progress(spec, "prune", 0) : Progress.silent()) {
            PruneReport report = new RedisPrune(endpoint, options, confirmation, progress).run();
            progress.close();
            PrintWriter out = spec.commandLine().getOut();
            out.print(f == OutputFormat.JSON ? Json.write(report) + "\n" : report.table());
            out.flush();
        }
        return 0;
    }

    private static boolean askOnTerminal(Optional<Terminal> terminal, String question) {
        return terminal.orElseThrow(() -> CutoverException.usage(
                        "prune: no terminal to confirm on; nothing deleted (add --yes, or --dry-run to only count)"))
                .confirm(question + System.lineSeparator() + "Delete these keys?");
    }
}

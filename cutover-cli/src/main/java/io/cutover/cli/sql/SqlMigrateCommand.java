package io.cutover.cli.sql;

import io.cutover.cli.WorkerOptions;
import io.cutover.cli.deploy.KubernetesJobOptions;
import io.cutover.core.error.ExitCode;
import io.cutover.core.output.Json;
import io.cutover.core.output.Table;
import io.cutover.core.progress.Progress;
import io.cutover.core.time.Durations;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.migrate.StepResult;
import io.cutover.sql.migrate.Shard;
import io.cutover.sql.migrate.WorkerResult;
import io.cutover.sql.migrate.Workers;
import io.cutover.core.error.CutoverException;
import io.cutover.sql.migrate.Subset;
import io.cutover.sql.plan.Window;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cutover sql migrate}: migrate one window (or a subset of it). */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Migrate the rows changed in [--since, --until): deletions first, then steps in dependency order. "
                + "Exit 1 when rows were recorded as errors.")
public final class SqlMigrateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    PlanOptions options;

    @Option(names = "--since", paramLabel = "T", description = "Window start, e.g. 2024-01-01 or 2024-01-01T12:00:00.")
    String since;

    @Option(names = "--until", required = true, paramLabel = "T", description = "Window end (exclusive).")
    String until;

    @Option(names = "--next", description = "Start where the last completed window ended.")
    boolean next;

    @Option(names = "--only", paramLabel = "STEP=K1,K2", description = "Only these rows of STEP and, following refs, the rows pointing at them.")
    List<String> only;

    @Option(names = "--parallel", defaultValue = "2", paramLabel = "N", description = "Independent steps run at once (default 2).")
    int parallel;

    @Option(names = "--batch", defaultValue = "5000", paramLabel = "N", description = "Rows per target transaction (default 5000).")
    int batch;

    @Option(names = "--writers", defaultValue = "2", paramLabel = "N", description = "Threads writing each step's batches (default 2).")
    int writers;

    @Option(names = "--dry-run", description = "Read and translate, write nothing.")
    boolean dryRun;

    @Option(names = "--allow-future", description = "Accept an --until later than now.")
    boolean allowFuture;

    @CommandLine.Mixin
    WorkerOptions workerOptions;

    @Option(names = "--shard-by", defaultValue = "hash", paramLabel = "hash|range", description = "Split each step by a "
            + "hash of its key (any key type; default) or by integer key ranges.")
    String shardBy;

    @Option(names = "--lease", defaultValue = "60s", paramLabel = "D", description = "How long a shard stays a dead worker's "
            + "before another takes it (default 60s); a live worker renews it every third of that.")
    String lease;

    @CommandLine.Mixin
    KubernetesJobOptions kubernetesJob;

    @Override
    public Integer call() {
        if (next && since != null) {
            throw io.cutover.core.error.CutoverException.usage("give either --since or --next, not both");
        }
        if (batch < 1 || parallel < 1 || writers < 1) {
            throw io.cutover.core.error.CutoverException.usage("--batch, --parallel and --writers must be at least 1");
        }
        Window.parseTime(since, "--since"); // a bad time is reported before the plan is read
        Window.parseTime(until, "--until");
        if (kubernetesJob.requested()) {
            return printJob();
        }
        Workers workers = workers();
        try (SqlMigration m = options.open(parallel * writers);
             Progress progress = options.json() ? Progress.silent() : io.cutover.cli.Cutover.progress(spec, "migrate", 0)) {
            java.time.ZoneId zone = m.plan().zone();
            MigrateRequest req = new MigrateRequest(Window.parseTime(since, "--since", zone), Window.parseTime(until, "--until", zone),
                    next, Subset.parse(only), parallel, batch, dryRun, writers, allowFuture);
            if (workers != null) {
                WorkerResult w = m.migrate(req, workers, progress);
                progress.close();
                print(spec.commandLine().getOut(), w);
                return w.result().errors() > 0 ? ExitCode.DIFFERENCES.code() : ExitCode.OK.code();
            }
            MigrateResult r = m.migrate(req, progress);
            progress.close();
            print(spec.commandLine().getOut(), r);
            return r.errors() > 0 ? ExitCode.DIFFERENCES.code() : ExitCode.OK.code();
        }
    }

    /** The worker settings, checked before the plan is read; null when the window is not split among workers. */
    private Workers workers() {
        if (!workerOptions.given()) {
            return null;
        }
        return new Workers(workerOptions.worker(), shardBy(), Durations.parse(lease, "--lease"));
    }

    private Shard.ShardBy shardBy() {
        return switch (shardBy.toLowerCase(java.util.Locale.ROOT)) {
            case "hash" -> Shard.ShardBy.HASH;
            case "range" -> Shard.ShardBy.RANGE;
            default -> throw CutoverException.usage("--shard-by: '" + shardBy + "' is not hash or range");
        };
    }

    /**
     * Prints the Kubernetes Job whose pods run this command as workers; checks what a worker would refuse before it
     * connects (so that no pod fails for it), and connects to nothing itself.
     */
    private int printJob() {
        if (since == null && !next) {
            throw CutoverException.usage("give --since T (or --next)");
        }
        new MigrateRequest(null, null, next, Subset.parse(only), parallel, batch, dryRun, writers, allowFuture).requireSharable();
        shardBy();
        Durations.parse(lease, "--lease");
        String plan = options.planText();
        PrintWriter out = spec.commandLine().getOut();
        out.print(kubernetesJob.job("sql-window", workerOptions.total(), plan).yaml());
        out.flush();
        return ExitCode.OK.code();
    }

    private void print(PrintWriter out, WorkerResult w) {
        if (options.json()) {
            out.println(Json.write(w));
            return;
        }
        MigrateResult r = w.result();
        String who = "worker " + w.worker() + " of " + w.workersTotal();
        if (w.nothingToDo()) {
            out.println(who + ": nothing to do, run " + r.runId() + " of window " + r.window() + " is complete");
            return;
        }
        out.println(who + (w.createdRun() ? " made" : " joined") + " run " + r.runId() + ", window " + r.window() + ", "
                + Durations.format(Duration.ofMillis(r.durationMs())) + "; did " + w.units().size() + " unit(s): "
                + String.join(", ", w.units()));
        print(out, r, false);
    }

    private void print(PrintWriter out, MigrateResult r) {
        if (options.json()) {
            out.println(Json.write(r));
            return;
        }
        out.println((r.dryRun() ? "dry run (nothing written), window " : "run " + r.runId() + ", window ") + r.window()
                + ", " + Durations.format(Duration.ofMillis(r.durationMs())));
        print(out, r, true);
    }

    private void print(PrintWriter out, MigrateResult r, boolean rate) {
        Table t = rate ? new Table("step", "read", "inserted", "updated", "deleted", "errors", "rows/s")
                : new Table("step", "read", "inserted", "updated", "deleted", "errors");
        for (StepResult s : r.steps()) {
            if (rate) {
                t.row(s.step(), s.read(), s.inserted(), s.updated(), s.deleted(), s.errors(), String.format("%.0f", s.rowsPerSecond()));
            } else {
                t.row(s.step(), s.read(), s.inserted(), s.updated(), s.deleted(), s.errors());
            }
        }
        out.println(t.render().stripTrailing());
        if (r.errors() > 0) {
            out.println(r.errors() + (r.dryRun() ? " row(s) would fail (nothing recorded); first ones:"
                    : " row(s) recorded as errors and skipped; first ones:"));
            r.steps().forEach(s -> s.firstErrors().forEach(e ->
                    out.println("  " + e.step() + " " + e.sourceKey() + " " + e.kind() + ": " + e.message())));
            if (!r.dryRun()) {
                out.println("see: cutover sql errors --plan " + options.plan + " --run " + r.runId());
            }
        }
    }
}

package io.cutover.cli.sql;

import io.cutover.core.error.ExitCode;
import io.cutover.core.output.Json;
import io.cutover.core.output.Table;
import io.cutover.core.progress.Progress;
import io.cutover.core.time.Durations;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.migrate.StepResult;
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
        try (SqlMigration m = options.open(parallel * writers);
             Progress progress = options.json() ? Progress.silent() : Progress.onTerminal("migrate", 0)) {
            java.time.ZoneId zone = m.plan().zone();
            MigrateRequest req = new MigrateRequest(Window.parseTime(since, "--since", zone), Window.parseTime(until, "--until", zone),
                    next, Subset.parse(only), parallel, batch, dryRun, writers, allowFuture);
            MigrateResult r = m.migrate(req, progress);
            progress.close();
            print(spec.commandLine().getOut(), r);
            return r.errors() > 0 ? ExitCode.DIFFERENCES.code() : ExitCode.OK.code();
        }
    }

    private void print(PrintWriter out, MigrateResult r) {
        if (options.json()) {
            out.println(Json.write(r));
            return;
        }
        out.println((r.dryRun() ? "dry run (nothing written), window " : "run " + r.runId() + ", window ") + r.window()
                + ", " + Durations.format(Duration.ofMillis(r.durationMs())));
        Table t = new Table("step", "read", "inserted", "updated", "deleted", "errors", "rows/s");
        for (StepResult s : r.steps()) {
            t.row(s.step(), s.read(), s.inserted(), s.updated(), s.deleted(), s.errors(), String.format("%.0f", s.rowsPerSecond()));
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

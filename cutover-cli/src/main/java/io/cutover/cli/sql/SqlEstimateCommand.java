package io.cutover.cli.sql;

import io.cutover.core.output.Json;
import io.cutover.core.output.Table;
import io.cutover.core.time.Durations;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.plan.Window;
import io.cutover.sql.report.EstimateReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code cutover sql estimate}: pending rows and predicted duration; with --fit, where to end the last online window. */
@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = "Count what is pending per step up to --until and predict the duration from earlier runs' throughput; "
                + "with --fit 6h, propose where to end the last online window so the final window fits.")
public final class SqlEstimateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    PlanOptions options;

    @Option(names = "--until", required = true, paramLabel = "T", description = "End of the window to estimate (e.g. the cutover time).")
    String until;

    @Option(names = "--fit", paramLabel = "DURATION", description = "The final window's budget, e.g. 6h.")
    String fit;

    @Option(names = "--workers-total", defaultValue = "1", paramLabel = "N", description = "Predict for N workers sharing "
            + "the window (migrate --workers-total N): the best case, when the target database is not the limit.")
    int workersTotal;

    @Override
    public Integer call() {
        Duration budget = fit == null ? null : io.cutover.core.time.Durations.parse(fit, "--fit");
        try (SqlMigration m = options.open(2)) {
            EstimateReport r = m.estimate(Window.parseTime(until, "--until", m.plan().zone()), budget, workersTotal);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                out.println(Json.write(r));
                return 0;
            }
            out.println("pending " + new Window(r.since(), r.until()));
            Table t = new Table("step", "pending", "rows/s", "predicted", "changes/h");
            for (EstimateReport.StepEstimate s : r.steps()) {
                t.row(s.step(), s.pending(), s.rowsPerSecond() == null ? "unmeasured" : String.format("%.0f", s.rowsPerSecond()),
                        s.seconds() == null ? "?" : Durations.format(Duration.ofMillis((long) (s.seconds() * 1000))),
                        String.format("%.1f", s.changesPerHour()));
            }
            out.println(t.render().stripTrailing());
            out.println("predicted duration: " + (r.seconds() == null ? "unknown (no earlier run measured every step)"
                    : Durations.format(Duration.ofMillis((long) (r.seconds() * 1000))))
                    + (r.workers() > 1 ? " with " + r.workers() + " workers, if the target database keeps up (it is usually "
                    + "the limit: see docs/sql.md, Many workers)" : ""));
            if (r.fit() != null) {
                out.println("fit " + fit + ": " + r.fit().advice()
                        + (r.fit().endOnlineWindowAt() == null ? "" : String.format(" (final window ≈ %d rows, ≈ %s)",
                        r.fit().finalRows(), Durations.format(Duration.ofMillis((long) (r.fit().finalSeconds() * 1000))))));
            }
            return 0;
        }
    }
}

package io.cutover.cli.sql;

import io.cutover.core.output.Json;
import io.cutover.core.output.Table;
import io.cutover.core.time.Durations;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.report.StatusReport;
import io.cutover.sql.state.RunRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code cutover sql status}: windows done, rows, errors and throughput per step. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Windows done, rows, errors and throughput per step.")
public final class SqlStatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    PlanOptions options;

    @Override
    public Integer call() {
        try (SqlMigration m = options.open(2)) {
            StatusReport r = m.status();
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                out.println(Json.write(r));
                return 0;
            }
            if (r.runs().isEmpty()) {
                out.println("no runs yet");
                return 0;
            }
            Table runs = new Table("run", "since", "until", "scope", "status", "rows", "errors", "took");
            for (RunRecord x : r.runs()) {
                runs.row(x.id(), x.since(), x.until(), x.scope() == null ? "all" : x.scope(), x.status(), x.rows(), x.errors(),
                        x.finishedAt() == null ? "" : Durations.format(Duration.between(x.startedAt(), x.finishedAt())));
            }
            out.println(runs.render().stripTrailing());
            out.println();
            out.println(r.windowsDone() + " window(s) done");
            Table steps = new Table("step", "runs", "rows", "deleted", "errors", "outstanding", "rows/s");
            for (StatusReport.StepStatus s : r.steps()) {
                steps.row(s.step(), s.windows(), s.rows(), s.deleted(), s.errors(), s.outstanding(),
                        String.format("%.0f", s.rowsPerSecond()));
            }
            out.println(steps.render().stripTrailing());
            out.println(r.outstanding() == 0 ? "no outstanding rows"
                    : r.outstanding() + " row(s) outstanding now (retried by every later window): cutover sql errors --plan "
                    + options.plan + " --open");
            if (!r.sharedUnits().isEmpty()) {
                out.println();
                out.println("shards of run " + r.sharedUnits().get(0).runId() + " (shared by workers):");
                Table units = new Table("step", "unit", "state", "worker", "since", "read", "written", "errors");
                long now = System.currentTimeMillis();
                for (io.cutover.sql.state.WorkUnit u : r.sharedUnits()) {
                    String state = switch (u.status()) {
                        case DONE -> "done";
                        case WAITING -> "waiting";
                        case RUNNING -> u.leaseUntil() < now ? "lease expired" : "running";
                    };
                    String unit = u.label().substring(u.step().length() + 1);
                    units.row(u.step(), unit, state, u.worker() == null ? "" : u.worker(),
                            u.claimedAt() == null ? "" : u.claimedAt().withNano(0) + "Z", u.read(), u.inserted() + u.updated(), u.errors());
                }
                out.println(units.render().stripTrailing());
            }
            return 0;
        }
    }
}

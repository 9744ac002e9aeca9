package io.cutover.cli.sql;

import io.cutover.cli.WorkerOptions;
import io.cutover.core.error.ExitCode;
import io.cutover.core.output.Json;
import io.cutover.core.output.Table;
import io.cutover.core.progress.Progress;
import io.cutover.core.workers.Worker;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.migrate.Subset;
import io.cutover.sql.plan.Window;
import io.cutover.sql.verify.Mismatch;
import io.cutover.sql.verify.StepCheck;
import io.cutover.sql.verify.VerifyReport;
import io.cutover.sql.verify.VerifyRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cutover sql verify}: recompute rows from the source and compare with the target. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Recompute each source row (or a sample) and compare it with the target row the log points at; "
                + "find target rows the log does not know and broken refs. Exit 1 with the mismatches. With --workers-total N, "
                + "this worker compares its hash shard of each step's rows; worker 0 also makes the whole-table checks.")
public final class SqlVerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    PlanOptions options;

    @Option(names = "--since", paramLabel = "T", description = "Only rows changed since T.")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Only rows changed before T.")
    String until;

    @Option(names = "--only", paramLabel = "STEP=K1,K2", description = "Only this subset (as migrate --only).")
    List<String> only;

    @Option(names = "--sample", defaultValue = "0", paramLabel = "N", description = "Compare about N rows per step (default: all).")
    int sample;

    @CommandLine.Mixin
    WorkerOptions workerOptions;

    @Override
    public Integer call() {
        Window.parseTime(since, "--since"); // a bad time is reported before the plan is read
        Window.parseTime(until, "--until");
        Worker worker = workerOptions.worker();
        VerifyRequest.checkSample(sample, worker); // before any connection: a usage error is exit 2 with the database down too
        try (SqlMigration m = options.open(2);
             Progress progress = options.json() ? Progress.silent() : io.cutover.cli.Cutover.progress(spec, "verify", 0)) {
            VerifyRequest req = new VerifyRequest(Window.parseTime(since, "--since", m.plan().zone()),
                    Window.parseTime(until, "--until", m.plan().zone()), Subset.parse(only), sample, worker);
            VerifyReport r = m.verify(req, progress);
            progress.close();
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                out.println(Json.write(r));
            } else {
                if (workerOptions.given()) {
                    out.println(worker + ": " + r.rows() + " of each step's rows; whole-table checks: " + (r.wholeTableChecks().isEmpty()
                            ? "left to worker 0" : String.join(", ", r.wholeTableChecks())));
                }
                // a worker that leaves the whole-table checks to worker 0 has no counts of its own to show for them
                boolean whole = !r.wholeTableChecks().isEmpty();
                Table t = whole ? new Table("step", "source rows", "logged", "compared", "mismatches", "unknown target rows", "broken refs")
                        : new Table("step", "source rows", "logged", "compared", "mismatches");
                for (StepCheck c : r.steps()) {
                    if (whole) {
                        t.row(c.step(), c.sourceRows(), c.logged(), c.compared(), c.mismatches(), c.unknownTargetRows(), c.brokenRefs());
                    } else {
                        t.row(c.step(), c.sourceRows(), c.logged(), c.compared(), c.mismatches());
                    }
                }
                out.println(t.render().stripTrailing());
                if (!r.ok()) {
                    Table mm = new Table("step", "key", "column", "expected", "actual");
                    for (Mismatch x : r.mismatches()) {
                        mm.row(x.step(), x.key(), x.column(), x.expected(), x.actual());
                    }
                    out.println();
                    out.println(mm.render().stripTrailing());
                    out.println(r.mismatchCount() + " mismatch(es)" + (r.mismatchCount() > r.mismatches().size()
                            ? " (first " + r.mismatches().size() + " listed)" : ""));
                } else {
                    out.println(workerOptions.given() ? "verify ok: this worker's part of the target matches the source"
                            : "verify ok: the target matches the source");
                }
            }
            return r.ok() ? ExitCode.OK.code() : ExitCode.DIFFERENCES.code();
        }
    }
}

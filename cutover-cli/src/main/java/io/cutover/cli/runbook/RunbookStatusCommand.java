package io.cutover.cli.runbook;

import io.cutover.core.error.CutoverException;
import io.cutover.core.output.Json;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.report.RunHtml;
import io.cutover.runbook.report.RunReport;
import io.cutover.runbook.report.RunText;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.timeline.Estimates;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code cutover runbook status} and {@code report}: a recorded run, as a table, markdown or JSON. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "The last run (or --run N): each step's state, planned vs actual, who confirmed; the forecast "
                + "against the window while it runs.")
public class RunbookStatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunbookFile file;

    @Option(names = "--run", paramLabel = "N", description = "Which run (default: the last).")
    Integer run;

    String format() {
        return "text";
    }

    @Override
    public Integer call() {
        Runbook r = file.load(spec.commandLine().getErr());
        History h = RunbookFile.history(r);
        RunRecord rec = (run == null ? h.last() : h.run(run)).orElseThrow(() -> CutoverException.usage(
                run == null ? "no run of " + r.name() + " recorded yet (in " + r.state() + ")" : "no run " + run + " in " + r.state()));
        Estimates est = Estimates.of(r, h);
        Instant now = Instant.now();
        PrintWriter out = spec.commandLine().getOut();
        switch (format()) {
            case "json" -> out.println(Json.write(RunReport.json(r, rec, est, now)));
            case "md" -> out.print(RunText.markdown(r, rec, est, now));
            case "html" -> out.print(RunHtml.of(r, rec, est, now));
            default -> out.print(RunText.status(r, rec, est, now));
        }
        out.flush();
        return 0;
    }
}

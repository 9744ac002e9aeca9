package io.cutover.cli.runbook;

import io.cutover.core.error.CutoverException;
import io.cutover.core.output.Json;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.report.RunComparison;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code cutover runbook compare}: two recorded runs side by side, by state, duration and measured size. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two runs (the night with its last rehearsal, or two rehearsals): per step the state, the "
                + "duration and the sizes its output reported (keys, rows, bytes, errors), flagging the steps whose size "
                + "changed by more than --threshold: their rehearsed durations do not forecast the other run. "
                + "Exit 0, or 1 when a step is flagged.")
public final class RunbookCompareCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunbookFile file;

    @Option(names = "--run", paramLabel = "N", description = "The run to look at (default: the last).")
    Integer run;

    @Option(names = "--with", paramLabel = "M",
            description = "The run to compare it with (default: the rehearsal before it, else the run before it).")
    Integer with;

    @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "20%",
            description = "Flag a step whose measured size changed by more than this (default ${DEFAULT-VALUE}).")
    String threshold;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "text (default) or json.")
    String format;

    @Override
    public Integer call() {
        double t = threshold();
        if (!format.equals("text") && !format.equals("json")) {
            throw CutoverException.usage("--format: '" + format + "' is not text or json");
        }
        Runbook r = file.load(spec.commandLine().getErr());
        History h = RunbookFile.history(r);
        RunRecord after = (run == null ? h.last() : h.run(run)).orElseThrow(() -> CutoverException.usage(
                run == null ? "no run of " + r.name() + " recorded yet (in " + r.state() + ")" : "no run " + run + " in " + r.state()));
        RunRecord before = with != null ? h.run(with).orElseThrow(() -> CutoverException.usage("--with: no run " + with + " in " + r.state()))
                : h.runs().stream().filter(x -> x.run() < after.run() && x.kind() == RunKind.REHEARSAL).reduce((a, b) -> b)
                .or(() -> h.runs().stream().filter(x -> x.run() < after.run()).reduce((a, b) -> b))
                .orElseThrow(() -> CutoverException.usage("no run before run " + after.run() + " to compare it with (give --with M)"));
        if (before.run() == after.run()) {
            throw CutoverException.usage("--with " + with + ": that is the run itself");
        }
        RunComparison c = RunComparison.of(r, before, after, t);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.equals("json") ? Json.write(c.json()) + "\n" : c.text());
        out.flush();
        return c.flagged().isEmpty() ? 0 : 1;
    }

    /** "20%" or "20" as 0.2. */
    private double threshold() {
        String s = threshold.strip();
        try {
            double v = Double.parseDouble(s.endsWith("%") ? s.substring(0, s.length() - 1).strip() : s);
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v / 100;
        } catch (NumberFormatException e) {
            throw CutoverException.usage("--threshold: '" + threshold + "' is not a percentage (e.g. 20%)");
        }
    }
}

package io.cutover.runbook.report;

import io.cutover.core.output.Table;
import io.cutover.core.time.Durations;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunEvent;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.RunStatus;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.state.StepState;
import io.cutover.runbook.timeline.Estimates;
import io.cutover.runbook.timeline.Forecast;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** A run for people: {@code status} (terminal), {@code report --format md}, and a rehearsal's closing table. */
public final class RunText {
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm:ss");

    private RunText() {
    }

    /** The planned-vs-actual table, then the forecast (for a run still going) or the end. */
    public static String status(Runbook r, RunRecord run, Estimates est, Instant now) {
        ZoneOffset zone = r.window().start().getOffset();
        Table t = new Table("step", "owner", "state", "planned", "actual", "started", "finished", "confirmed by", "note");
        for (Step s : r.steps()) {
            StepRun x = run.step(s.id());
            if (s.rollbackOnly() && x.state() == StepState.PENDING) {
                continue;
            }
            t.row(s.id(), s.owner(), x.state().word(), Durations.format(s.planned()), seconds(x), clock(x.startedAt(), zone),
                    clock(x.finishedAt(), zone), x.confirmedBy() == null ? "" : x.confirmedBy(), x.note() == null ? "" : x.note());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(r.name()).append(": ").append(run.kind().word()).append(' ').append(run.run()).append(", ")
                .append(run.state().word()).append("\n\n").append(t.render());
        if (run.state() == RunStatus.RUNNING || run.state() == RunStatus.PAUSED) {
            Forecast f = Forecast.of(r, run, est, now);
            sb.append("\nforecast end ").append(clock(f.expected().end(), zone)).append(" (window ends ")
                    .append(clock(r.window().end().toInstant(), zone)).append("): ").append(f.verdict()).append('\n');
            if (f.warning() != null) {
                sb.append("warning: ").append(f.warning()).append('\n');
            }
        } else if (run.finishedAt() != null) {
            Duration took = Duration.between(run.startedAt(), run.finishedAt());
            sb.append("\nended ").append(clock(run.finishedAt(), zone)).append(" after ").append(Durations.format(took)).append('\n');
        }
        return sb.toString();
    }

    /** The markdown report: the table, the decisions, and the last output lines of each step. */
    public static String markdown(Runbook r, RunRecord run, Estimates est, Instant now) {
        ZoneOffset zone = r.window().start().getOffset();
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.name()).append(" — ").append(run.kind().word()).append(' ').append(run.run()).append("\n\n");
        sb.append("Window ").append(r.window().start()).append(" → ").append(r.window().end()).append("; state **")
                .append(run.state().word()).append("**; forecast end ")
                .append(RunReport.time(RunReport.forecastEnd(r, run, est, now), zone)).append(".\n\n");
        java.util.List<String> stopped = r.steps().stream().filter(s -> run.step(s.id()).state() == StepState.ABORTED)
                .map(s -> s.id() + " (" + run.step(s.id()).note() + ")").toList();
        if (!stopped.isEmpty()) {
            sb.append("Stopped by the abort while running: ").append(String.join("; ", stopped)).append(".\n\n");
        }
        sb.append("| step | title | owner | state | planned | actual | started | finished | confirmed by |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Step s : r.steps()) {
            StepRun x = run.step(s.id());
            sb.append("| ").append(s.id()).append(" | ").append(s.title()).append(" | ").append(s.owner()).append(" | ")
                    .append(x.state().word()).append(" | ").append(Durations.format(s.planned())).append(" | ").append(seconds(x))
                    .append(" | ").append(clock(x.startedAt(), zone)).append(" | ").append(clock(x.finishedAt(), zone)).append(" | ")
                    .append(x.confirmedBy() == null ? "" : x.confirmedBy() + " at " + clock(x.confirmedAt(), zone)).append(" |\n");
        }
        if (!run.events().isEmpty()) {
            sb.append("\n## Decisions\n\n");
            for (RunEvent e : run.events()) {
                sb.append("- ").append(clock(e.at(), zone)).append(' ').append(e.step() == null ? "run" : e.step()).append(": ")
                        .append(e.what()).append(e.by() == null ? "" : " (" + e.by() + ")").append('\n');
            }
        }
        sb.append("\n## Output\n");
        for (Step s : r.steps()) {
            StepRun x = run.step(s.id());
            if (x.output().isEmpty() && x.note() == null) {
                continue;
            }
            sb.append("\n### ").append(s.id()).append("\n\n");
            if (x.note() != null) {
                sb.append(x.note()).append("\n\n");
            }
            if (!x.output().isEmpty()) {
                sb.append("```\n");
                x.output().forEach(l -> sb.append(l).append('\n'));
                sb.append("```\n");
            }
        }
        return sb.toString();
    }

    /** A rehearsal's end: planned vs actual per step, and what changed since the rehearsal before it. */
    public static String plannedVsActual(Runbook r, RunRecord run, History h) {
        Optional<RunRecord> before = h.runs().stream()
                .filter(x -> x.kind() == RunKind.REHEARSAL && x.run() < run.run()).reduce((a, b) -> b);
        Table t = new Table("step", "planned", "actual", "vs plan", "last rehearsal", "change");
        for (Step s : r.forward()) {
            StepRun x = run.step(s.id());
            Double act = x.actualSeconds();
            Double prev = before.map(b -> b.step(s.id()).actualSeconds()).orElse(null);
            double plan = s.planned().toMillis() / 1000.0;
            t.row(s.id(), Durations.format(s.planned()), seconds(x), act == null ? "" : signed(act - plan),
                    prev == null ? "" : fmt(prev), act == null || prev == null ? "" : signed(act - prev));
        }
        String sizes = before.map(b -> RunComparison.of(r, b, run, RunComparison.DEFAULT_THRESHOLD))
                .filter(c -> c.steps().stream().anyMatch(s -> !s.sizes().isEmpty())).map(c -> "\n" + c.text()).orElse("");
        return "planned vs actual (" + run.kind().word() + " " + run.run()
                + before.map(b -> ", compared with rehearsal " + b.run()).orElse("") + "):\n" + t.render() + sizes;
    }

    private static String seconds(StepRun x) {
        Double a = x.actualSeconds();
        return a == null ? "" : fmt(a);
    }

    private static String fmt(double s) {
        return Durations.format(Duration.ofMillis(Math.round(s * 1000)));
    }

    private static String signed(double s) {
        return (s < 0 ? "-" : "+") + fmt(Math.abs(s));
    }

    private static String clock(Instant i, ZoneOffset zone) {
        return i == null ? "" : HHMM.format(i.atOffset(zone));
    }
}

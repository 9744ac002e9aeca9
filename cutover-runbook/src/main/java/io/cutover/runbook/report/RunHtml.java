package io.cutover.runbook.report;

import io.cutover.core.error.Secrets;
import io.cutover.core.time.Durations;
import io.cutover.runbook.plan.Action;
import io.cutover.runbook.plan.GateCheck;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;
import io.cutover.runbook.state.RunEvent;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.RunStatus;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.state.StepState;
import io.cutover.runbook.timeline.Estimate;
import io.cutover.runbook.timeline.Estimates;
import io.cutover.runbook.timeline.Forecast;
import io.cutover.runbook.timeline.Schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report --format html}: one self-contained page (styles inline, no script, nothing fetched) to attach to
 * a post-mortem or mail to the team: the forecast against the window, planned vs actual per step with owner,
 * state, durations and gates, a Gantt chart of both, the decisions, and each step's last output. Every text from
 * the runbook or the run goes through {@link #esc}.
 */
public final class RunHtml {
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HH:mm:ss");

    private RunHtml() {
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    public static String of(Runbook r, RunRecord run, Estimates est, Instant now) {
        ZoneOffset zone = r.window().start().getOffset();
        StringBuilder h = new StringBuilder(16_384);
        String title = r.name() + " — " + run.kind().word() + " " + run.run();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        h.append("<p class=\"run state-").append(run.state().word()).append("\">state <b>").append(esc(run.state().word()))
                .append("</b>; window ").append(esc(r.window().start().toString())).append(" → ").append(esc(r.window().end().toString()))
                .append(" (").append(esc(Durations.format(Duration.between(r.window().start(), r.window().end())))).append(")</p>\n");
        h.append("<p class=\"forecast\">").append(esc(forecast(r, run, est, now, zone))).append("</p>\n");
        Forecast live = Forecast.of(r, run, est, now);
        if (live.warning() != null && (run.state() == RunStatus.RUNNING || run.state() == RunStatus.PAUSED)) {
            h.append("<p class=\"warning\">warning: ").append(esc(live.warning())).append("</p>\n");
        }
        steps(h, r, run, est, zone);
        gantt(h, r, run);
        if (!run.events().isEmpty()) {
            h.append("<h2>Decisions</h2>\n<ul class=\"events\">\n");
            for (RunEvent e : run.events()) {
                h.append("<li>").append(esc(clock(e.at(), zone))).append(' ').append(esc(e.step() == null ? "run" : e.step()))
                        .append(": ").append(esc(e.what())).append(e.by() == null ? "" : " (" + esc(e.by()) + ")").append("</li>\n");
            }
            h.append("</ul>\n");
        }
        output(h, r, run);
        h.append("<p class=\"foot\">cutover runbook report, ").append(esc(RunReport.time(now, zone))).append("</p>\n</body>\n</html>\n");
        return h.toString();
    }

    /**
     * The end against the window: while the run goes on, the forecast; once it is over, its end, or (for a run
     * held outside the window, such as a rehearsal) where a night of the same length starting at the window's
     * start would end.
     */
    static String forecast(Runbook r, RunRecord run, Estimates est, Instant now, ZoneOffset zone) {
        Instant start = r.window().start().toInstant();
        Instant end = r.window().end().toInstant();
        if (run.state() == RunStatus.RUNNING || run.state() == RunStatus.PAUSED || run.finishedAt() == null) {
            Forecast f = Forecast.of(r, run, est, now);
            return "forecast end " + clock(f.expected().end(), zone) + " (p90 " + clock(f.pessimistic().end(), zone)
                    + "), window ends " + clock(end, zone) + ": " + f.verdict();
        }
        Duration took = Duration.between(run.startedAt(), run.finishedAt());
        boolean inWindow = !run.startedAt().isBefore(start) && run.startedAt().isBefore(end);
        Instant asNight = inWindow ? run.finishedAt() : start.plus(took);
        Duration margin = Duration.between(asNight, end);
        String verdict = margin.isNegative() ? "does not fit: " + Durations.format(margin.negated()) + " over"
                : "fits with " + Durations.format(margin) + " to spare";
        return (inWindow ? "ended " + clock(run.finishedAt(), zone) + " after " + Durations.format(took)
                : "took " + Durations.format(took) + "; started at the start of the window it would end " + clock(asNight, zone))
                + ", window ends " + clock(end, zone) + ": " + verdict;
    }

    private static void steps(StringBuilder h, Runbook r, RunRecord run, Estimates est, ZoneOffset zone) {
        h.append("<h2>Steps</h2>\n<table>\n<thead><tr><th>step</th><th>title</th><th>owner</th><th>kind</th><th>state</th>")
                .append("<th>planned</th><th>expected</th><th>actual</th><th>vs plan</th><th>started</th><th>finished</th>")
                .append("<th>confirmed by</th><th>gate / note</th></tr></thead>\n<tbody>\n");
        for (Step s : r.steps()) {
            StepRun x = run.step(s.id());
            if (s.rollbackOnly() && x.state() == StepState.PENDING) {
                continue;
            }
            Estimate e = est.of(s);
            Double act = x.actualSeconds();
            double plan = s.planned().toMillis() / 1000.0;
            String gate = s.action() instanceof Action.Gate g ? describe(g.check()) + (x.output().isEmpty() ? ""
                    : " — last reading: " + x.output().get(x.output().size() - 1)) : "";
            String note = x.note() == null ? "" : x.note();
            h.append("<tr class=\"state-").append(x.state().word()).append("\"><td class=\"id\">").append(esc(s.id()))
                    .append("</td><td>").append(esc(s.title())).append(s.pointOfNoReturn() ? " <span class=\"ponr\">point of no return</span>" : "")
                    .append("</td><td>").append(esc(s.owner())).append("</td><td>").append(esc(s.action().kind()))
                    .append("</td><td class=\"st\">").append(esc(x.state().word())).append("</td><td class=\"num\">")
                    .append(esc(Durations.format(s.planned()))).append("</td><td class=\"num\" title=\"").append(esc(e.basis())).append("\">")
                    .append(esc(Durations.format(e.expected()))).append("</td><td class=\"num\">").append(act == null ? "" : esc(fmt(act)))
                    .append("</td><td class=\"num ").append(act != null && act > plan ? "over" : "").append("\">")
                    .append(act == null ? "" : esc(signed(act - plan))).append("</td><td>").append(esc(clock(x.startedAt(), zone)))
                    .append("</td><td>").append(esc(clock(x.finishedAt(), zone))).append("</td><td>")
                    .append(x.confirmedBy() == null ? "" : esc(x.confirmedBy() + " at " + clock(x.confirmedAt(), zone)))
                    .append("</td><td>").append(esc(gate.isEmpty() ? note : note.isEmpty() ? gate : gate + "; " + note))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /** What a gate watches, in words. */
    static String describe(GateCheck g) {
        if (g instanceof GateCheck.RedisLag l) {
            return "redis_lag of " + l.step() + " at most " + Durations.format(l.max());
        } else if (g instanceof GateCheck.RedisClients c) {
            return "at most " + c.max() + " client(s) on " + Secrets.redact(c.uri())
                    + (c.except().isEmpty() ? "" : " besides " + String.join(", ", c.except()));
        } else if (g instanceof GateCheck.SqlVerify v) {
            return "sql verify of " + v.plan().getFileName() + " clean";
        } else if (g instanceof GateCheck.SqlOutstanding o) {
            return "at most " + o.max() + " row(s) outstanding for " + o.plan().getFileName();
        } else if (g instanceof GateCheck.Http x) {
            return "GET " + Secrets.redact(x.url()) + " answers " + x.status();
        } else if (g instanceof GateCheck.Prometheus p) {
            return p.query() + " at most " + p.max() + " (" + Secrets.redact(p.url()) + ")";
        }
        return g.toString();
    }

    /**
     * Planned bars (the plan laid out from its start) over actual bars (from the run's start), on one scale, so that
     * a rehearsal held at another time of day compares with the plan too.
     */
    private static void gantt(StringBuilder h, Runbook r, RunRecord run) {
        Instant origin = r.window().start().toInstant();
        Schedule plan = Schedule.of(r.forward(), Step::planned, origin, Map.of());
        Map<String, Schedule.Slot> slots = new HashMap<>();
        plan.slots().forEach(s -> slots.put(s.step().id(), s));
        Instant runStart = run.startedAt();
        long span = Math.max(1, Duration.between(origin, plan.end()).toMillis());
        for (Step s : r.forward()) {
            StepRun x = run.step(s.id());
            if (x.finishedAt() != null && runStart != null) {
                span = Math.max(span, Duration.between(runStart, x.finishedAt()).toMillis());
            }
        }
        h.append("<h2>Planned vs actual</h2>\n<p class=\"legend\"><span class=\"bar planned\"></span> planned (darker: critical path) ")
                .append("<span class=\"bar actual\"></span> actual, both from the start; the whole width is ")
                .append(esc(Durations.format(Duration.ofMillis(span)))).append("</p>\n<div class=\"gantt\">\n");
        for (Step s : r.forward()) {
            StepRun x = run.step(s.id());
            Schedule.Slot p = slots.get(s.id());
            h.append("<div class=\"row state-").append(x.state().word()).append("\"><span class=\"label\">").append(esc(s.id()))
                    .append("</span><span class=\"track\">");
            if (p != null) {
                bar(h, "planned" + (p.critical() ? " critical" : ""), Duration.between(origin, p.start()).toMillis(),
                        p.length().toMillis(), span);
            }
            if (x.startedAt() != null && runStart != null) {
                Instant end = x.finishedAt() != null ? x.finishedAt() : x.startedAt();
                bar(h, "actual", Duration.between(runStart, x.startedAt()).toMillis(), Duration.between(x.startedAt(), end).toMillis(), span);
            }
            h.append("</span></div>\n");
        }
        h.append("</div>\n");
    }

    private static void bar(StringBuilder h, String cls, long fromMs, long lengthMs, long span) {
        double left = 100.0 * Math.max(0, fromMs) / span;
        double width = Math.max(0.4, 100.0 * Math.max(0, lengthMs) / span);
        h.append("<span class=\"bar ").append(cls).append("\" style=\"left:")
                .append(String.format(Locale.ROOT, "%.2f", Math.min(left, 99.6))).append("%;width:")
                .append(String.format(Locale.ROOT, "%.2f", Math.min(width, 100 - Math.min(left, 99.6)))).append("%\"></span>");
    }

    private static void output(StringBuilder h, Runbook r, RunRecord run) {
        boolean any = false;
        for (Step s : r.steps()) {
            StepRun x = run.step(s.id());
            if (x.output().isEmpty()) {
                continue;
            }
            if (!any) {
                h.append("<h2>Output</h2>\n");
                any = true;
            }
            h.append("<details><summary>").append(esc(s.id())).append(" (").append(x.output().size()).append(" lines)</summary><pre>");
            x.output().forEach(l -> h.append(esc(l)).append('\n'));
            h.append("</pre></details>\n");
        }
    }

    private static String clock(Instant i, ZoneOffset zone) {
        return i == null ? "" : HHMMSS.format(i.atOffset(zone));
    }

    private static String fmt(double s) {
        return Durations.format(Duration.ofMillis(Math.round(s * 1000)));
    }

    private static String signed(double s) {
        return (s < 0 ? "-" : "+") + fmt(Math.abs(s));
    }

    private static final String STYLE = """
            body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; color: #222; }
            h1 { font-size: 1.3rem; margin: 0 0 .4rem; } h2 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
            table { border-collapse: collapse; width: 100%; font-size: .85rem; }
            th, td { border-bottom: 1px solid #ddd; padding: .25rem .4rem; text-align: left; vertical-align: top; }
            td.num { text-align: right; white-space: nowrap; } td.over { color: #c62828; } td.id { white-space: nowrap; }
            .state-done .st { color: #2e7d32; } .state-failed .st, .state-aborted .st { color: #c62828; font-weight: 600; }
            .state-running .st, .state-waiting .st { color: #e65100; font-weight: 600; } .state-rolled_back .st { color: #6a1b9a; }
            .ponr { color: #6a1b9a; font-size: .75rem; font-weight: 600; }
            .forecast { font-weight: 600; } .warning { color: #c62828; font-weight: 600; }
            .gantt .row { display: flex; align-items: center; height: 1.5rem; }
            .gantt .label { width: 14rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: .8rem; }
            .gantt .track { position: relative; flex: 1; height: 1.4rem; background: #fafafa; }
            .bar { position: absolute; height: .55rem; border-radius: 2px; display: inline-block; }
            .legend .bar { position: static; width: 1.5rem; vertical-align: middle; }
            .bar.planned { top: .1rem; background: #cfd8dc; } .bar.planned.critical { background: #90a4ae; }
            .bar.actual { top: .75rem; background: #64b5f6; } .legend .bar.actual { background: #66bb6a; }
            .state-done .bar.actual { background: #66bb6a; } .state-failed .bar.actual, .state-aborted .bar.actual { background: #e53935; }
            .state-running .bar.actual { background: #fb8c00; } .state-rolled_back .bar.actual { background: #8e24aa; }
            pre { font-size: .75rem; background: #f5f5f5; padding: .4rem; overflow-x: auto; }
            .foot { color: #777; font-size: .75rem; margin-top: 1.5rem; }
            @media (max-width: 600px) { .gantt .label { width: 7rem; } table { font-size: .75rem; } }
            """;
}

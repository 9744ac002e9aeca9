package io.cutover.runbook.report;

import io.cutover.core.output.Bytes;
import io.cutover.core.output.Table;
import io.cutover.core.time.Durations;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.StepRun;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Two runs side by side (a rehearsal and the night, or two rehearsals): per step its state, its duration and the
 * sizes its output reported, with the steps whose size changed by more than {@code threshold} flagged. A duration
 * measured on data of one size does not forecast a night on data of another, so these are the steps whose
 * rehearsed time the forecast cannot trust.
 *
 * @param threshold a relative change, 0.2 for 20%
 */
public record RunComparison(Runbook runbook, RunRecord before, RunRecord after, double threshold, List<StepChange> steps) {
    /** What {@code compare} and a rehearsal's closing table flag unless told otherwise: 20%. */
    public static final double DEFAULT_THRESHOLD = 0.2;

    /** One quantity in both runs; null where a run did not report it. */
    public record SizeChange(String name, Long before, Long after) {
        /** The relative change, or null when it has no meaning (missing on a side, or from zero to zero). */
        public Double change() {
            if (before == null || after == null) {
                return null;
            }
            if (before == 0) {
                return after == 0 ? 0.0 : null;
            }
            return (after - before) / (double) Math.abs(before);
        }

        /** Changed by more than the threshold, appeared, disappeared, or grew from zero. */
        public boolean beyond(double threshold) {
            if (before == null || after == null) {
                return (before == null ? after : before) != 0;
            }
            Double c = change();
            return c == null || Math.abs(c) > threshold;
        }
    }

    /** One step in both runs. */
    public record StepChange(Step step, StepRun before, StepRun after, List<SizeChange> sizes, boolean flagged) {
        public Double durationChange() {
            Double a = before.actualSeconds();
            Double b = after.actualSeconds();
            return a == null || b == null ? null : b - a;
        }
    }

    public static RunComparison of(Runbook r, RunRecord before, RunRecord after, double threshold) {
        List<StepChange> steps = new ArrayList<>();
        for (Step s : r.steps()) {
            StepRun a = before.step(s.id());
            StepRun b = after.step(s.id());
            if (s.rollbackOnly() && a.startedAt() == null && b.startedAt() == null) {
                continue;
            }
            Set<String> names = new LinkedHashSet<>(a.measured().keySet());
            names.addAll(b.measured().keySet());
            List<SizeChange> sizes = new ArrayList<>();
            for (String n : names) {
                sizes.add(new SizeChange(n, a.measured().get(n), b.measured().get(n)));
            }
            steps.add(new StepChange(s, a, b, sizes, sizes.stream().anyMatch(c -> c.beyond(threshold))));
        }
        return new RunComparison(r, before, after, threshold, steps);
    }

    public List<StepChange> flagged() {
        return steps.stream().filter(StepChange::flagged).toList();
    }

    private String name(RunRecord x) {
        return x.kind().word() + " " + x.run();
    }

    /** The table, then the flagged steps and what they mean for the forecast. */
    public String text() {
        Table t = new Table("step", "state", name(before), name(after), "change", "sizes (" + name(before) + " → " + name(after) + ")");
        for (StepChange c : steps) {
            String state = c.before().state() == c.after().state() ? c.after().state().word()
                    : c.before().state().word() + " → " + c.after().state().word();
            Double d = c.durationChange();
            t.row((c.flagged() ? "! " : "  ") + c.step().id(), state, secs(c.before().actualSeconds()), secs(c.after().actualSeconds()),
                    d == null ? "" : signed(d) + percent(c.before().actualSeconds(), c.after().actualSeconds()), sizes(c));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(runbook.name()).append(": ").append(name(after)).append(" compared with ").append(name(before))
                .append(" (sizes flagged beyond ").append(pct(threshold)).append(")\n\n").append(t.render());
        List<StepChange> f = flagged();
        if (f.isEmpty()) {
            sb.append("\nno step's measured size changed by more than ").append(pct(threshold)).append('\n');
        } else {
            sb.append('\n').append(f.size()).append(f.size() == 1 ? " step's" : " steps'").append(" measured size changed by more than ")
                    .append(pct(threshold)).append(": ");
            List<String> parts = new ArrayList<>();
            for (StepChange c : f) {
                parts.add(c.step().id() + " (" + String.join(", ", c.sizes().stream().filter(s -> s.beyond(threshold)).map(RunComparison::size).toList()) + ")");
            }
            sb.append(String.join("; ", parts)).append('\n')
                    .append("their durations in ").append(name(before)).append(" do not forecast ").append(name(after))
                    .append("'s size: rehearse on data of the size the night will move\n");
        }
        return sb.toString();
    }

    private static String sizes(StepChange c) {
        List<String> out = new ArrayList<>();
        for (SizeChange s : c.sizes()) {
            if (s.before() != null && s.before().equals(s.after())) {
                continue;
            }
            out.add(size(s));
        }
        if (out.isEmpty()) {
            return c.sizes().isEmpty() ? "" : "same (" + String.join(", ", c.sizes().stream().map(s -> s.name() + " " + value(s.name(), s.after())).toList()) + ")";
        }
        return String.join("; ", out);
    }

    private static String size(SizeChange s) {
        Double ch = s.change();
        return s.name() + " " + value(s.name(), s.before()) + " → " + value(s.name(), s.after())
                + (ch == null || s.before() == null || s.after() == null ? "" : " (" + (ch >= 0 ? "+" : "") + pct(ch) + ")");
    }

    private static String value(String name, Long v) {
        if (v == null) {
            return "—";
        }
        return name.equals("bytes") ? Bytes.human(v) : String.format(Locale.ROOT, "%,d", v);
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runbook", runbook.name());
        m.put("before", Map.of("run", before.run(), "kind", before.kind().word()));
        m.put("after", Map.of("run", after.run(), "kind", after.kind().word()));
        m.put("threshold", threshold);
        List<Map<String, Object>> list = new ArrayList<>();
        for (StepChange c : steps) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", c.step().id());
            s.put("before", side(c.before()));
            s.put("after", side(c.after()));
            s.put("duration_change_seconds", c.durationChange());
            List<Map<String, Object>> sizes = new ArrayList<>();
            for (SizeChange z : c.sizes()) {
                Map<String, Object> zm = new LinkedHashMap<>();
                zm.put("name", z.name());
                zm.put("before", z.before());
                zm.put("after", z.after());
                zm.put("change", z.change());
                zm.put("flagged", z.beyond(threshold));
                sizes.add(zm);
            }
            s.put("sizes", sizes);
            s.put("flagged", c.flagged());
            list.add(s);
        }
        m.put("steps", list);
        m.put("flagged", flagged().stream().map(c -> c.step().id()).toList());
        return m;
    }

    private static Map<String, Object> side(StepRun x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", x.state().word());
        m.put("actual_seconds", x.actualSeconds());
        m.put("measured", x.measured());
        return m;
    }

    private static String secs(Double s) {
        return s == null ? "" : Durations.format(Duration.ofMillis(Math.round(s * 1000)));
    }

    private static String signed(double s) {
        return (s < 0 ? "-" : "+") + secs(Math.abs(s));
    }

    private static String percent(Double a, Double b) {
        return a == null || b == null || a == 0 ? "" : " (" + (b >= a ? "+" : "") + pct((b - a) / a) + ")";
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }
}

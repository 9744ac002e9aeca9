package io.cutover.runbook.timeline;

import io.cutover.core.output.Table;
import io.cutover.core.time.Durations;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/** The plan as text: one row per step with planned start and end, the critical path, and the fit in the window. */
public final class TimelineText {
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm:ss");

    private TimelineText() {
    }

    public static String render(Runbook r, Estimates est, Forecast f) {
        ZoneOffset zone = r.window().start().getOffset();
        boolean measured = est.anyRehearsals();
        Table t = measured
                ? new Table("", "step", "owner", "kind", "start", "end", "planned", "p50", "p90", "basis")
                : new Table("", "step", "owner", "kind", "start", "end", "planned");
        for (Schedule.Slot s : f.expected().slots()) {
            Step st = s.step();
            Estimate e = est.of(st);
            String mark = s.critical() ? "*" : "";
            String kind = st.action().kind() + (st.confirm() ? ", confirm" : "") + (st.pointOfNoReturn() ? ", no return" : "");
            if (measured) {
                t.row(mark, st.id(), st.owner(), kind, time(s.start(), zone), time(s.end(), zone), Durations.format(e.planned()),
                        e.median() == null ? "" : Durations.format(e.median()), e.p90() == null ? "" : Durations.format(e.p90()), e.basis());
            } else {
                t.row(mark, st.id(), st.owner(), kind, time(s.start(), zone), time(s.end(), zone), Durations.format(e.planned()));
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("runbook ").append(r.name()).append(": ").append(r.forward().size()).append(" steps");
        long rollbackOnly = r.steps().size() - r.forward().size();
        if (rollbackOnly > 0) {
            sb.append(" (+").append(rollbackOnly).append(" rollback only)");
        }
        sb.append("\n\n").append(t.render()).append('\n');
        Duration total = Duration.between(r.window().start().toInstant(), f.expected().end());
        sb.append("critical path (*): ").append(f.expected().criticalPath().stream().map(Step::id).collect(Collectors.joining(" → ")))
                .append(" = ").append(Durations.format(total)).append('\n');
        sb.append("window: ").append(r.window().start()).append(" → ").append(r.window().end()).append(" (")
                .append(Durations.format(r.window().length())).append(")\n");
        sb.append("planned end ").append(time(f.expected().end(), zone)).append(measured ? " (p50)" : "").append(": ")
                .append(f.verdict()).append('\n');
        if (measured) {
            sb.append("p90 end ").append(time(f.pessimistic().end(), zone)).append(": ")
                    .append(f.warning() == null ? "fits with " + Durations.format(f.pessimisticMargin()) + " to spare" : "warning: " + f.warning())
                    .append('\n');
        }
        return sb.toString();
    }

    static String time(Instant i, ZoneOffset zone) {
        return HHMM.format(i.atOffset(zone));
    }
}

package io.cutover.runbook.timeline;

import io.cutover.runbook.plan.Step;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Start and end of every step: each starts when all its {@code after} steps have ended (and not before its
 * {@code at} time nor before {@code origin}); what has already happened is taken as it happened. The critical
 * path is the chain of steps that decides the end. One rule serves the plan (origin = window start, nothing
 * happened yet) and the forecast of a running night (origin = now).
 */
public final class Schedule {
    /** What a run has done so far with one step: started (and finished) at, or skipped. */
    public record Actual(Instant started, Instant finished, boolean skipped) {
    }

    /** One step's place in the schedule. */
    public record Slot(Step step, Instant start, Instant end, boolean critical) {
        public Duration length() {
            return Duration.between(start, end);
        }
    }

    private final List<Slot> slots;
    private final List<Step> criticalPath;
    private final Instant end;

    private Schedule(List<Slot> slots, List<Step> criticalPath, Instant end) {
        this.slots = slots;
        this.criticalPath = criticalPath;
        this.end = end;
    }

    /**
     * @param steps    the steps to place (a run's forward steps)
     * @param duration how long a step not yet finished is expected to take
     * @param origin   nothing not yet started starts before this
     * @param actuals  what has happened, by step id (missing: not started)
     */
    public static Schedule of(List<Step> steps, Function<Step, Duration> duration, Instant origin, Map<String, Actual> actuals) {
        Map<String, Step> byId = new HashMap<>();
        steps.forEach(s -> byId.put(s.id(), s));
        Map<String, Instant[]> placed = new HashMap<>();
        Map<String, String> decidedBy = new HashMap<>();
        for (Step s : steps) {
            place(s, byId, duration, origin, actuals, placed, decidedBy);
        }
        Step last = null;
        Instant end = origin;
        for (Step s : steps) {
            Instant e = placed.get(s.id())[1];
            if (last == null || e.isAfter(end)) {
                last = s;
                end = e;
            }
        }
        List<Step> path = new ArrayList<>();
        for (String id = last == null ? null : last.id(); id != null; id = decidedBy.get(id)) {
            path.add(byId.get(id));
        }
        Collections.reverse(path);
        List<String> onPath = path.stream().map(Step::id).toList();
        List<Slot> slots = steps.stream().map(s -> new Slot(s, placed.get(s.id())[0], placed.get(s.id())[1],
                onPath.contains(s.id()))).toList();
        return new Schedule(slots, path, end);
    }

    private static Instant[] place(Step s, Map<String, Step> byId, Function<Step, Duration> duration, Instant origin,
                                   Map<String, Actual> actuals, Map<String, Instant[]> placed, Map<String, String> decidedBy) {
        Instant[] known = placed.get(s.id());
        if (known != null) {
            return known;
        }
        Instant ready = origin;
        String by = null;
        for (String a : s.after()) {
            Step dep = byId.get(a);
            if (dep == null) {
                continue;
            }
            Instant depEnd = place(dep, byId, duration, origin, actuals, placed, decidedBy)[1];
            if (depEnd.isAfter(ready) || (by == null && depEnd.equals(ready) && !depEnd.equals(origin))) {
                ready = depEnd;
                by = a;
            }
        }
        if (s.at() != null && s.at().toInstant().isAfter(ready)) {
            ready = s.at().toInstant();
            by = null;
        }
        Actual act = actuals.get(s.id());
        Instant start;
        Instant end;
        if (act != null && act.skipped()) {
            start = ready;
            end = ready;
        } else if (act != null && act.started() != null) {
            start = act.started();
            end = act.finished() != null ? act.finished() : later(origin, start.plus(duration.apply(s)));
        } else {
            start = ready;
            end = start.plus(duration.apply(s));
        }
        if (by != null) {
            decidedBy.put(s.id(), by);
        }
        Instant[] r = {start, end};
        placed.put(s.id(), r);
        return r;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    public List<Slot> slots() {
        return slots;
    }

    public List<Step> criticalPath() {
        return criticalPath;
    }

    public Instant end() {
        return end;
    }
}

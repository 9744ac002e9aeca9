package io.cutover.runbook.timeline;

import io.cutover.core.time.Durations;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.state.StepState;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Expected end of a night: now plus the remaining critical path, with each remaining step at its expected
 * duration (rehearsal median, else plan) and again at its pessimistic one (rehearsal p90, else plan).
 *
 * @param expected    the schedule at expected durations
 * @param pessimistic the schedule at pessimistic durations
 * @param windowEnd   the end of the maintenance window
 */
public record Forecast(Schedule expected, Schedule pessimistic, Instant windowEnd) {
    /** The forecast for {@code run} at {@code now}; with a null run, the plan from the window's start. */
    public static Forecast of(Runbook r, RunRecord run, Estimates est, Instant now) {
        List<Step> steps = r.forward();
        Map<String, Schedule.Actual> actuals = new HashMap<>();
        Instant origin = r.window().start().toInstant();
        if (run != null) {
            origin = now;
            for (Step s : steps) {
                StepRun x = run.step(s.id());
                if (x.state() == StepState.SKIPPED) {
                    actuals.put(s.id(), new Schedule.Actual(null, null, true));
                } else if (x.state() == StepState.RUNNING || x.state().finished()) {
                    actuals.put(s.id(), new Schedule.Actual(x.startedAt(), x.finishedAt(), false));
                }
            }
        }
        return new Forecast(Schedule.of(steps, s -> est.of(s).expected(), origin, actuals),
                Schedule.of(steps, s -> est.of(s).pessimistic(), origin, actuals), r.window().end().toInstant());
    }

    /** Time left in the window at the expected end (negative: over). */
    public Duration margin() {
        return Duration.between(expected.end(), windowEnd);
    }

    public Duration pessimisticMargin() {
        return Duration.between(pessimistic.end(), windowEnd);
    }

    public boolean fits() {
        return !expected.end().isAfter(windowEnd);
    }

    /** A warning as soon as the pessimistic end crosses the window's end; null while it does not. */
    public String warning() {
        if (!pessimistic.end().isAfter(windowEnd)) {
            return null;
        }
        return "at p90 the night ends " + Durations.format(pessimisticMargin().negated()) + " after the window closes";
    }

    /** "fits with 1h20m to spare" or "does not fit: 20m over". */
    public String verdict() {
        return fits() ? "fits with " + Durations.format(margin()) + " to spare"
                : "does not fit: " + Durations.format(margin().negated()) + " over";
    }
}

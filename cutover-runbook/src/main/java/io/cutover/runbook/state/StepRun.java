package io.cutover.runbook.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One step in one run, as recorded.
 *
 * @param confirmedBy who approved the start of a {@code confirm: true} step
 * @param doneBy      who marked a manual step done or failed
 * @param output      the last lines of its output (or its gate readings)
 * @param note        why it is in this state, when that is not obvious (skipped by --skip, gate timed out, …)
 * @param pid         the shell process while it runs, so that a resumed run can say it is still alive
 * @param measured    the sizes its output reported when it finished (keys, rows, bytes, errors), by name
 */
public record StepRun(StepState state, Instant startedAt, Instant finishedAt, String confirmedBy, Instant confirmedAt,
                      String doneBy, int attempts, List<String> output, String note, Long pid, Map<String, Long> measured) {
    public StepRun {
        measured = measured == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(measured));
    }

    /** Lines of output kept per step in the state file. */
    public static final int KEPT_LINES = 40;

    public static StepRun pending() {
        return new StepRun(StepState.PENDING, null, null, null, null, null, 0, List.of(), null, null, Map.of());
    }

    public StepRun state(StepState s) {
        return new StepRun(s, startedAt, finishedAt, confirmedBy, confirmedAt, doneBy, attempts, output, note, pid, measured);
    }

    public StepRun started(Instant at) {
        return new StepRun(StepState.RUNNING, at, null, confirmedBy, confirmedAt, null, attempts + 1, List.of(), null, null, Map.of());
    }

    public StepRun finished(StepState s, Instant at, String why) {
        return new StepRun(s, startedAt == null ? at : startedAt, at, confirmedBy, confirmedAt, doneBy, attempts, output,
                why, null, measured);
    }

    public StepRun confirmed(String by, Instant at) {
        return new StepRun(state, startedAt, finishedAt, by, at, doneBy, attempts, output, note, pid, measured);
    }

    public StepRun doneBy(String by) {
        return new StepRun(state, startedAt, finishedAt, confirmedBy, confirmedAt, by, attempts, output, note, pid, measured);
    }

    public StepRun note(String why) {
        return new StepRun(state, startedAt, finishedAt, confirmedBy, confirmedAt, doneBy, attempts, output, why, pid, measured);
    }

    public StepRun pid(Long p) {
        return new StepRun(state, startedAt, finishedAt, confirmedBy, confirmedAt, doneBy, attempts, output, note, p, measured);
    }

    public StepRun withOutput(List<String> lines) {
        List<String> kept = new ArrayList<>(lines.subList(Math.max(0, lines.size() - KEPT_LINES), lines.size()));
        return new StepRun(state, startedAt, finishedAt, confirmedBy, confirmedAt, doneBy, attempts, List.copyOf(kept), note, pid, measured);
    }

    /** Reset for another attempt, keeping who confirmed it. */
    public StepRun again() {
        return new StepRun(StepState.PENDING, null, null, confirmedBy, confirmedAt, null, attempts, output, null, null, Map.of());
    }

    public StepRun measured(Map<String, Long> m) {
        return new StepRun(state, startedAt, finishedAt, confirmedBy, confirmedAt, doneBy, attempts, output, note, pid, m);
    }

    /** Seconds it took, when it has finished. */
    public Double actualSeconds() {
        return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt).toMillis() / 1000.0;
    }
}

package io.cutover.sql.migrate;

import io.cutover.sql.state.RowError;

import java.util.List;

/** What one step did in a run; {@code firstErrors} holds up to 5 of its row errors for the summary. */
public record StepResult(String step, long read, long inserted, long updated, long deleted, long errors,
                         long durationMs, List<RowError> firstErrors) {
    public double rowsPerSecond() {
        return durationMs <= 0 ? 0 : (inserted + updated) * 1000.0 / durationMs;
    }
}

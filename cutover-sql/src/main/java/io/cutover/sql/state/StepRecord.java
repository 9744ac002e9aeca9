package io.cutover.sql.state;

/** What one step did in one run: rows read, written, deleted, failed, and how long it took. */
public record StepRecord(long runId, String step, long read, long inserted, long updated, long deleted, long errors,
                         long durationMs) {
    /** Rows written (inserted or updated) per second; 0 when nothing was timed. */
    public double rowsPerSecond() {
        return durationMs <= 0 ? 0 : (inserted + updated) * 1000.0 / durationMs;
    }
}

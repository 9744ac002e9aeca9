package io.cutover.sql.report;

import io.cutover.sql.state.RunRecord;
import io.cutover.sql.state.WorkUnit;

import java.util.List;

/**
 * {@code status}: the recorded runs and, per step, completed windows, rows written, errors and throughput, and the
 * rows outstanding now (failed and not migrated since); for the latest run shared by several workers, its units
 * (done, running by which worker since when, or waiting).
 */
public record StatusReport(List<RunRecord> runs, List<StepStatus> steps, List<WorkUnit> sharedUnits) {
    /** One step over every completed run; {@code outstanding}: its source rows not migrated now. */
    public record StepStatus(String step, long windows, long rows, long deleted, long errors, double rowsPerSecond,
                             long outstanding) {
    }

    /** Source rows not migrated now, over every step. */
    public long outstanding() {
        return steps.stream().mapToLong(StepStatus::outstanding).sum();
    }

    /** Completed full windows (subset runs excluded). */
    public long windowsDone() {
        return runs.stream().filter(r -> r.done() && r.scope() == null).count();
    }
}

package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
import java.util.List;

/** The outcome of a migrate run: its id (0 for a dry run), window, and per-step results in dependency order. */
public record MigrateResult(long runId, Window window, boolean dryRun, List<StepResult> steps, long durationMs) {
    public long errors() {
        return steps.stream().mapToLong(StepResult::errors).sum();
    }

    public long written() {
        return steps.stream().mapToLong(s -> s.inserted() + s.updated()).sum();
    }

    public long deleted() {
        return steps.stream().mapToLong(StepResult::deleted).sum();
    }
}

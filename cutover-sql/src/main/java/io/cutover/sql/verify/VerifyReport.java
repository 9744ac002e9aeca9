package io.cutover.sql.verify;

import java.util.List;

/**
 * Verify's result: per-step counts and the mismatches (the first 1000 are listed; {@code mismatchCount} has all),
 * and what this worker covered: {@code worker} of {@code workersTotal} (0 of 1 for a verify nobody splits), which
 * source rows it compared ({@code rows}: "all" or "hash shard 3/4") and the whole-table checks it made (none on
 * workers other than 0, whose unknown target rows and broken refs are then 0).
 */
public record VerifyReport(List<StepCheck> steps, List<Mismatch> mismatches, long mismatchCount, int worker,
                           int workersTotal, String rows, List<String> wholeTableChecks) {
    public boolean ok() {
        return mismatchCount == 0;
    }
}

package io.cutover.sql.verify;

import java.util.List;

/** Verify's result: per-step counts and the mismatches (the first 1000 are listed; {@code mismatchCount} has all). */
public record VerifyReport(List<StepCheck> steps, List<Mismatch> mismatches, long mismatchCount) {
    public boolean ok() {
        return mismatchCount == 0;
    }
}

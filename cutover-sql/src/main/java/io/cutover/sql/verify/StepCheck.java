package io.cutover.sql.verify;

/**
 * Verify's counts for one step: source rows in scope, how many the log knows, how many were compared,
 * mismatching rows, target rows unknown to the log, and target refs pointing at no row.
 */
public record StepCheck(String step, long sourceRows, long logged, long compared, long mismatches,
                        long unknownTargetRows, long brokenRefs) {
}

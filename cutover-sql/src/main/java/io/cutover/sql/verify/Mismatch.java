package io.cutover.sql.verify;

/**
 * One difference found by verify: the step, the source key (or {@code target:<key>} for a target row the log
 * does not know), the column ({@code (row)} for a whole row, {@code (log)} for the log itself), expected and actual.
 */
public record Mismatch(String step, String key, String column, String expected, String actual) {
}

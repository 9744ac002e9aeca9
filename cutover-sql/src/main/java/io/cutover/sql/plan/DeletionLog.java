package io.cutover.sql.plan;

/**
 * The source table recording physical deletes: which table, which key, when.
 * Deletions recorded inside a window are applied on the target before the window's rows.
 */
public record DeletionLog(String table, String tableColumn, String keyColumn, String timeColumn) {
}

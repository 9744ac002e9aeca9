package io.cutover.sql.migrate;

/** A row read from the source: its key, the column expressions' values, then the raw ref values. */
public record SourceRow(String key, Object[] values) {
}

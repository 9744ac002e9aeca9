package io.cutover.sql.migrate;

/** A source row translated for the target: values in {@link CompiledStep#targetColumns()} order. */
public record TargetRow(String key, Object[] values, SourceRow source) {
}

package io.cutover.sql.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a plan: rows of a source table or query, changed in a window, written into a target table.
 *
 * @param from        source table (or null when {@code query} is given)
 * @param query       source query exposing the key and time columns
 * @param sourceTable the table name the deletion log uses for this step (defaults to {@code from})
 * @param columns     target column to source SQL expression, in order
 * @param refs        target column to a foreign key translated through another step's migration log
 * @param transform   name of a {@link io.cutover.sql.RowTransformer} applied to each row
 */
public record Step(String name, String from, String query, String sourceTable,
                   @com.fasterxml.jackson.annotation.JsonProperty("key")
                   @com.fasterxml.jackson.annotation.JsonFormat(with = com.fasterxml.jackson.annotation.JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                   List<String> keyColumns, List<String> changed, String into,
                   @com.fasterxml.jackson.annotation.JsonProperty("target_key")
                   @com.fasterxml.jackson.annotation.JsonFormat(with = com.fasterxml.jackson.annotation.JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                   List<String> targetKeyColumns, Map<String, String> columns, Map<String, Ref> refs, Hide hide,
                   List<String> after, String transform) {
    /** A composite key's text: its parts' text joined by this (in the migration log, the deletion log, --only). */
    public static final String KEY_SEPARATOR = ":";

    public Step {
        keyColumns = keyColumns == null ? List.of() : List.copyOf(keyColumns);
        targetKeyColumns = targetKeyColumns == null ? List.of() : List.copyOf(targetKeyColumns);
        changed = changed == null ? List.of() : List.copyOf(changed);
        columns = columns == null ? Map.of() : new LinkedHashMap<>(columns);
        refs = refs == null ? Map.of() : new LinkedHashMap<>(refs);
        after = after == null ? List.of() : List.copyOf(after);
    }

    /** The source relation as SQL: the table name or the query in parentheses. */
    public String relation() {
        return from != null ? from : "(" + query + ")";
    }

    /** The name deletions are recorded under, or null when the step has none. */
    public String deletionName() {
        return sourceTable != null ? sourceTable : from;
    }

    /** The source key as written in messages: {@code id}, or {@code a:b} for a composite key. */
    public String key() {
        return String.join(KEY_SEPARATOR, keyColumns);
    }

    /** The target key as written in messages and, when it is one column, in SQL. */
    public String targetKey() {
        return String.join(KEY_SEPARATOR, targetKeyColumns);
    }

    public boolean compositeKey() {
        return keyColumns.size() > 1;
    }

    public boolean compositeTargetKey() {
        return targetKeyColumns.size() > 1;
    }

    /** Whether the target key is supplied by the plan (columns or refs), else the target generates it. */
    public boolean suppliesTargetKey() {
        return targetKeyColumns.stream().allMatch(k -> writes(k));
    }

    /** Whether the step writes target column {@code column} (from columns, a ref's name or a ref's {@code into}). */
    public boolean writes(String column) {
        return columns.keySet().stream().anyMatch(c -> c.equalsIgnoreCase(column))
                || refs.entrySet().stream().anyMatch(r -> r.getValue().targetColumns(r.getKey()).stream()
                .anyMatch(c -> c.equalsIgnoreCase(column)));
    }

    /** Steps this one refers to or names in {@code after} (itself excluded). */
    public List<String> dependencies() {
        java.util.LinkedHashSet<String> deps = new java.util.LinkedHashSet<>(after);
        refs.values().forEach(r -> deps.add(r.step()));
        deps.remove(name);
        return List.copyOf(deps);
    }
}

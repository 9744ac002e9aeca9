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
public record Step(String name, String from, String query, String sourceTable, String key, List<String> changed,
                   String into, String targetKey, Map<String, String> columns, Map<String, Ref> refs, Hide hide,
                   List<String> after, String transform) {
    public Step {
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

    /** Whether the target key is supplied by an expression (else the target generates it). */
    public boolean suppliesTargetKey() {
        return columns.containsKey(targetKey);
    }

    /** Steps this one refers to or names in {@code after} (itself excluded). */
    public List<String> dependencies() {
        java.util.LinkedHashSet<String> deps = new java.util.LinkedHashSet<>(after);
        refs.values().forEach(r -> deps.add(r.step()));
        deps.remove(name);
        return List.copyOf(deps);
    }
}

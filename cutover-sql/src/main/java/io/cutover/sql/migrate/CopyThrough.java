package io.cutover.sql.migrate;

import io.cutover.sql.db.Database;
import io.cutover.sql.db.Dialect;
import io.cutover.sql.db.PgSequence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

/**
 * Whether a step can move PostgreSQL → PostgreSQL as COPY text: the source rows are read with
 * {@code COPY (select) TO STDOUT} and each value's text is written unchanged into the target's COPY, which
 * gives the target the value the JDBC path would have given it. That holds when every column's source and
 * target types are of one family (numbers, text, timestamp, timestamptz, date, boolean; not char(n), whose padding
 * the JDBC path drops), keys and refs are integers or text,
 * there is no transformer, and the target key comes from a sequence the rows' keys can be reserved from.
 *
 * @param sequence the target key's sequence
 */
public record CopyThrough(String sequence) {
    private static final Map<String, String> FAMILY = Map.ofEntries(
            Map.entry("int2", "number"), Map.entry("int4", "number"), Map.entry("int8", "number"),
            Map.entry("numeric", "number"), Map.entry("varchar", "text"), Map.entry("text", "text"),
            Map.entry("timestamp", "timestamp"), Map.entry("timestamptz", "timestamptz"), Map.entry("date", "date"),
            Map.entry("bool", "bool"),
            // same type only: PostgreSQL prints floats with the shortest text that reads back exactly (12+)
            Map.entry("float4", "float4"), Map.entry("float8", "float8"));
    /** Key types whose COPY text is exactly the key text the JDBC path logs. */
    private static final Set<String> KEY_TYPES = Set.of("int2", "int4", "int8", "varchar", "text");

    /** The COPY path for {@code step}, or null when it does not apply (the JDBC path is used then). */
    public static CopyThrough of(CompiledStep step, Database source, Database target) {
        if (source.dialect() != Dialect.POSTGRES || target.dialect() != Dialect.POSTGRES || step.transformer() != null
                || !KEY_TYPES.contains(step.sourceKeyTypeName()) || step.hasDeferredRefs() || step.step().compositeKey()
                || step.step().compositeTargetKey() || step.refs().stream().anyMatch(r -> !r.into().isEmpty())) {
            return null;
        }
        for (int i = 0; i < step.targetColumns().size(); i++) {
            String column = step.targetColumns().get(i);
            if (column.equalsIgnoreCase(step.step().targetKey())) {
                return null; // a supplied key: no sequence to reserve from
            }
            String from = step.sourceTypeName(i);
            String to = FAMILY.get(step.targetTypeName(column));
            boolean ok = i < step.expressions()
                    ? to != null && to.equals(FAMILY.get(from))
                    : KEY_TYPES.contains(from) && ("number".equals(to) || "text".equals(to));
            if (!ok) {
                return null;
            }
        }
        try (Connection c = target.connection()) {
            String sequence = PgSequence.of(c, step.step().into(), step.step().targetKey());
            return sequence.isEmpty() ? null : new CopyThrough(sequence);
        } catch (SQLException e) {
            return null;
        }
    }
}

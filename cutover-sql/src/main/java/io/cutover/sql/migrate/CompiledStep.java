package io.cutover.sql.migrate;

import io.cutover.sql.RowTransformer;
import io.cutover.sql.db.Shape;
import io.cutover.sql.plan.Ref;
import io.cutover.sql.plan.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A step turned into SQL for both sides, with the column types it reads and writes: the source select
 * (key, column expressions, raw ref values) and the target columns in a fixed order (columns, then refs).
 */
public final class CompiledStep {
    private final Step step;
    private final List<String> targetColumns = new ArrayList<>();
    private final List<Ref> refs = new ArrayList<>();
    private final int expressions;
    private final Shape targetShape;
    private final int sourceKeyType;
    private final int[] sourceTypes;
    private final String[] sourceTypeNames;
    private final String sourceKeyTypeName;
    private final int[] targetTypes;
    private final io.cutover.sql.db.ColumnType[] sourceColumns;
    private final io.cutover.sql.db.ColumnType[] targetColumnTypes;
    private final RowTransformer transformer;
    private final java.time.ZoneId zone;
    private final boolean[] deferred;
    private final Shape targetProbe;

    private CompiledStep(Step step, Shape source, Shape target, RowTransformer transformer, java.time.ZoneId zone,
                         java.util.Set<String> deferredRefs) {
        this.zone = zone;
        this.targetProbe = target;
        this.deferred = new boolean[step.refs().size()];
        int d = 0;
        for (String column : step.refs().keySet()) {
            deferred[d++] = deferredRefs.contains(column);
        }
        this.step = step;
        targetColumns.addAll(step.columns().keySet());
        expressions = targetColumns.size();
        for (Map.Entry<String, Ref> r : step.refs().entrySet()) {
            targetColumns.add(r.getKey());
            refs.add(r.getValue());
        }
        this.targetShape = target;
        this.sourceKeyType = source.type("cutover_key");
        this.sourceKeyTypeName = source.typeName("cutover_key");
        this.targetTypes = targetColumns.stream().mapToInt(target::type).toArray();
        this.sourceTypes = new int[targetColumns.size()];
        this.sourceTypeNames = new String[targetColumns.size()];
        this.sourceColumns = new io.cutover.sql.db.ColumnType[targetColumns.size()];
        this.targetColumnTypes = targetColumns.stream().map(target::column).toArray(io.cutover.sql.db.ColumnType[]::new);
        for (int i = 0; i < sourceTypes.length; i++) {
            String label = i < expressions ? "cutover_c" + (i + 1) : "cutover_r" + (i - expressions + 1);
            sourceTypes[i] = source.type(label);
            sourceTypeNames[i] = source.typeName(label);
            sourceColumns[i] = source.column(label);
        }
        this.transformer = transformer;
    }

    /** Compiles {@code step}, running its source and target SQL with no rows (errors name the failing side). */
    public static CompiledStep compile(Step step, Connection source, Connection target, RowTransformer transformer,
                                       java.time.ZoneId zone, java.util.Set<String> deferredRefs) throws StepSqlException {
        Shape s;
        try {
            s = Shape.of(source, sourceSelect(step, false, null) + " WHERE 1=0"
                    + String.join("", step.changed().stream().map(c -> " AND s." + c + " IS NULL").toList()));
        } catch (SQLException e) {
            throw new StepSqlException("source", e);
        }
        Shape t;
        try {
            t = Shape.of(target, "SELECT " + String.join(", ", targetProbe(step)) + " FROM " + step.into() + " WHERE 1=0");
        } catch (SQLException e) {
            throw new StepSqlException("target", e);
        }
        return new CompiledStep(step, s, t, transformer, zone, deferredRefs);
    }

    private static List<String> targetProbe(Step step) {
        List<String> cols = new ArrayList<>();
        cols.add(step.targetKey());
        for (String c : step.columns().keySet()) {
            if (!c.equalsIgnoreCase(step.targetKey())) {
                cols.add(c);
            }
        }
        cols.addAll(step.refs().keySet());
        if (step.hide() != null) {
            cols.add(step.hide().column());
        }
        return cols;
    }

    /**
     * The source select: key, expressions, raw ref values; with the window condition when {@code windowed}
     * (two parameters per changed column) and a key filter when {@code keys} is not null.
     */
    public static String sourceSelect(Step step, boolean windowed, io.cutover.sql.db.KeyList keys) {
        return sourceSelect(step, windowed ? "?" : null, "?", keys);
    }

    /**
     * The source select with the window's bounds written as literals (for {@code COPY (…) TO STDOUT}, which takes
     * no parameters); the bounds are times this program formats, never user text. A null window selects every row.
     */
    public String sourceSelect(Window window) {
        if (window == null) {
            return sourceSelect(step, null, null, null);
        }
        java.time.LocalDateTime since = window.since() == null ? java.time.LocalDateTime.of(1, 1, 1, 0, 0) : window.since();
        java.time.LocalDateTime until = window.until() == null ? java.time.LocalDateTime.of(9999, 1, 1, 0, 0) : window.until();
        return sourceSelect(step, "'" + since + "'", "'" + until + "'", null);
    }

    private static String sourceSelect(Step step, String since, String until, io.cutover.sql.db.KeyList keys) {
        StringBuilder sb = new StringBuilder("SELECT s.").append(step.key()).append(" AS cutover_key");
        int i = 0;
        for (String expr : step.columns().values()) {
            sb.append(", (").append(expr).append(") AS cutover_c").append(++i);
        }
        int r = 0;
        for (Ref ref : step.refs().values()) {
            sb.append(", s.").append(ref.from()).append(" AS cutover_r").append(++r);
        }
        sb.append(" FROM ").append(step.relation()).append(" s");
        List<String> where = new ArrayList<>();
        if (since != null) {
            where.add("(" + String.join(" OR ", step.changed().stream()
                    .map(c -> "(s." + c + " >= " + since + " AND s." + c + " < " + until + ")").toList()) + ")");
        }
        if (keys != null) {
            where.add(keys.condition("s." + step.key()));
        }
        if (!where.isEmpty()) {
            sb.append(" WHERE ").append(String.join(" AND ", where));
        }
        return sb.toString();
    }

    public String sourceSelect(boolean windowed, io.cutover.sql.db.KeyList keys) {
        return sourceSelect(step, windowed, keys);
    }

    public Step step() {
        return step;
    }

    public String name() {
        return step.name();
    }

    /** Target columns in write order: the columns' keys, then the refs' keys. */
    public List<String> targetColumns() {
        return targetColumns;
    }

    /** How many leading target columns come from expressions (the rest are refs). */
    public int expressions() {
        return expressions;
    }

    public List<Ref> refs() {
        return refs;
    }

    public int targetType(String column) {
        return targetShape.type(column);
    }

    /** The JDBC type of the i-th target column (in {@link #targetColumns()} order). */
    public int targetType(int i) {
        return targetTypes[i];
    }

    public int targetKeyType() {
        return targetShape.type(step.targetKey());
    }

    /** The JDBC type of the i-th value read from the source (expressions, then raw refs). */
    public int sourceType(int i) {
        return sourceTypes[i];
    }

    public int sourceKeyType() {
        return sourceKeyType;
    }

    /** The source database's name of the i-th value's type (e.g. "int8"). */
    public String sourceTypeName(int i) {
        return sourceTypeNames[i];
    }

    public String sourceKeyTypeName() {
        return sourceKeyTypeName;
    }

    /** The target database's name of a column's type. */
    public String targetTypeName(String column) {
        return targetShape.typeName(column);
    }

    /** The i-th value's source type (expressions, then raw refs), which says how to read it. */
    public io.cutover.sql.db.ColumnType sourceColumn(int i) {
        return sourceColumns[i];
    }

    /** The i-th target column's type (in {@link #targetColumns()} order). */
    public io.cutover.sql.db.ColumnType targetColumn(int i) {
        return targetColumnTypes[i];
    }

    /** The zone times without zone are in (the plan's {@code time_zone}). */
    public java.time.ZoneId zone() {
        return zone;
    }

    /** Whether the r-th ref is deferred: written NULL with the row and filled once the run's rows are in. */
    public boolean deferred(int r) {
        return deferred[r];
    }

    public boolean hasDeferredRefs() {
        for (boolean d : deferred) {
            if (d) {
                return true;
            }
        }
        return false;
    }

    /** Whether the target column may hold NULL (true when the driver cannot tell). */
    public boolean targetNullable(String column) {
        return targetProbe.nullable(column);
    }

    public RowTransformer transformer() {
        return transformer;
    }

    /** An SQL failure while compiling, on the named side. */
    public static final class StepSqlException extends Exception {
        private final String side;

        StepSqlException(String side, SQLException cause) {
            super(cause.getMessage(), cause);
            this.side = side;
        }

        public String side() {
            return side;
        }
    }
}

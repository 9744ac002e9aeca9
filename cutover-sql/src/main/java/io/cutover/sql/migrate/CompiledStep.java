package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
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

    private final io.cutover.sql.db.Dialect sourceDialect;
    private final io.cutover.sql.db.Dialect targetDialect;
    private final int[][] refTargets;

    private CompiledStep(Step step, Shape source, Shape target, RowTransformer transformer, java.time.ZoneId zone,
                         java.util.Set<String> deferredRefs, io.cutover.sql.db.Dialect sourceDialect,
                         io.cutover.sql.db.Dialect targetDialect) {
        this.zone = zone;
        this.sourceDialect = sourceDialect;
        this.targetDialect = targetDialect;
        this.targetProbe = target;
        this.deferred = new boolean[step.refs().size()];
        int d = 0;
        for (String column : step.refs().keySet()) {
            deferred[d++] = deferredRefs.contains(column);
        }
        this.step = step;
        targetColumns.addAll(step.columns().keySet());
        expressions = targetColumns.size();
        refTargets = new int[step.refs().size()][];
        for (Map.Entry<String, Ref> r : step.refs().entrySet()) {
            List<String> into = r.getValue().targetColumns(r.getKey());
            int[] at = new int[into.size()];
            for (int k = 0; k < at.length; k++) {
                at[k] = targetColumns.size();
                targetColumns.add(into.get(k));
            }
            refTargets[refs.size()] = at;
            refs.add(r.getValue());
        }
        this.targetShape = target;
        this.sourceKeyType = source.type("cutover_key");
        this.sourceKeyTypeName = source.typeName("cutover_key");
        this.targetTypes = targetColumns.stream().mapToInt(target::type).toArray();
        int sourceWidth = expressions + refs.size();
        this.sourceTypes = new int[sourceWidth];
        this.sourceTypeNames = new String[sourceWidth];
        this.sourceColumns = new io.cutover.sql.db.ColumnType[sourceWidth];
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
        io.cutover.sql.db.Dialect sd;
        io.cutover.sql.db.Dialect td;
        try {
            sd = io.cutover.sql.db.Dialect.of(source.getMetaData().getURL());
            td = io.cutover.sql.db.Dialect.of(target.getMetaData().getURL());
        } catch (SQLException e) {
            throw new StepSqlException("source", e);
        }
        Shape s;
        try {
            s = Shape.of(source, sourceSelect(step, sd, null, null, null, null) + " WHERE 1=0"
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
        return new CompiledStep(step, s, t, transformer, zone, deferredRefs, sd, td);
    }

    private static List<String> targetProbe(Step step) {
        java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>();
        step.targetKeyColumns().forEach(k -> cols.add(k.toLowerCase(java.util.Locale.ROOT)));
        step.columns().keySet().forEach(c -> cols.add(c.toLowerCase(java.util.Locale.ROOT)));
        step.refs().forEach((name, r) -> r.targetColumns(name).forEach(c -> cols.add(c.toLowerCase(java.util.Locale.ROOT))));
        if (step.hide() != null) {
            cols.add(step.hide().column().toLowerCase(java.util.Locale.ROOT));
        }
        return new ArrayList<>(cols);
    }

    /**
     * The source select: key, expressions, raw ref values; with the window condition when {@code windowed}
     * (two parameters per changed column) and a key filter when {@code keys} is not null.
     */
    public String sourceSelect(boolean windowed, io.cutover.sql.db.KeyList keys) {
        return sourceSelect(windowed, keys, null);
    }

    /** {@link #sourceSelect(boolean, io.cutover.sql.db.KeyList)} restricted to {@code shard}'s rows when not null. */
    public String sourceSelect(boolean windowed, io.cutover.sql.db.KeyList keys, Shard shard) {
        return sourceSelect(step, sourceDialect, windowed ? "?" : null, "?", keys, shard);
    }

    /** The source key as one SQL expression over alias {@code s}: the column, or a composite key's text. */
    public String sourceKeyExpr() {
        return sourceKeyExpr(step, sourceDialect);
    }

    private static String sourceKeyExpr(Step step, io.cutover.sql.db.Dialect d) {
        return d.joinText(step.keyColumns().stream().map(c -> "s." + c).toList(), Step.KEY_SEPARATOR);
    }

    /** The text of the r-th ref's source column(s) over alias {@code s}. */
    public String refSourceExpr(int r) {
        return refSourceExpr(refs.get(r), sourceDialect);
    }

    private static String refSourceExpr(Ref ref, io.cutover.sql.db.Dialect d) {
        return d.joinText(ref.from().stream().map(c -> "s." + c).toList(), Step.KEY_SEPARATOR);
    }

    /** The target key as one SQL expression over {@code alias} (a composite key's text), for comparing with the log. */
    public String targetKeyExpr(String alias) {
        return targetDialect.joinText(step.targetKeyColumns().stream().map(c -> alias + c).toList(), Step.KEY_SEPARATOR);
    }

    /** A condition that the row over {@code alias} has the target key bound as parameters by {@link #bindTargetKey}. */
    public String targetKeyIs(String alias) {
        return String.join(" AND ", step.targetKeyColumns().stream().map(c -> alias + c + " = ?").toList());
    }

    /** Binds a target key's text (split into its parts for a composite key) from parameter {@code at}; returns the next. */
    public int bindTargetKey(java.sql.PreparedStatement ps, int at, String key) throws SQLException {
        if (!step.compositeTargetKey()) {
            io.cutover.sql.db.Values.bind(ps, at, key, targetKeyType());
            return at + 1;
        }
        String[] parts = key.split(java.util.regex.Pattern.quote(Step.KEY_SEPARATOR), -1);
        for (int k = 0; k < step.targetKeyColumns().size(); k++) {
            io.cutover.sql.db.Values.bind(ps, at + k, k < parts.length ? parts[k] : null,
                    targetShape.type(step.targetKeyColumns().get(k)));
        }
        return at + step.targetKeyColumns().size();
    }

    /** The target key's text of a translated row (values in {@link #targetColumns()} order). */
    public String targetKeyOf(Object[] values) {
        List<String> parts = new ArrayList<>();
        for (String k : step.targetKeyColumns()) {
            int i = indexOf(k);
            parts.add(i < 0 ? null : io.cutover.sql.db.Values.key(values[i]));
        }
        return parts.contains(null) ? null : String.join(Step.KEY_SEPARATOR, parts);
    }

    private int indexOf(String column) {
        for (int i = 0; i < targetColumns.size(); i++) {
            if (targetColumns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /** The target column indexes the r-th ref writes (one, or one per part of a composite key). */
    public int[] refTargets(int r) {
        return refTargets[r];
    }

    /** How many values are read from the source per row: the expressions, then one per ref. */
    public int sourceWidth() {
        return expressions + refs.size();
    }

    /** The ref whose column is target column {@code i}, or -1 for an expression's column. */
    public int refAt(int i) {
        for (int r = 0; r < refTargets.length; r++) {
            for (int t : refTargets[r]) {
                if (t == i) {
                    return r;
                }
            }
        }
        return -1;
    }

    /**
     * The source select with the window's bounds written as literals (for {@code COPY (…) TO STDOUT}, which takes
     * no parameters); the bounds are times this program formats, never user text. A null window selects every row.
     */
    public String sourceSelect(Window window) {
        return sourceSelect(window, null);
    }

    /** {@link #sourceSelect(Window)} restricted to {@code shard}'s rows when not null. */
    public String sourceSelect(Window window, Shard shard) {
        if (window == null) {
            return sourceSelect(step, sourceDialect, null, null, null, shard);
        }
        java.time.LocalDateTime since = window.since() == null ? java.time.LocalDateTime.of(1, 1, 1, 0, 0) : window.since();
        java.time.LocalDateTime until = window.until() == null ? java.time.LocalDateTime.of(9999, 1, 1, 0, 0) : window.until();
        return sourceSelect(step, sourceDialect, "'" + since + "'", "'" + until + "'", null, shard);
    }

    private static String sourceSelect(Step step, io.cutover.sql.db.Dialect d, String since, String until,
                                       io.cutover.sql.db.KeyList keys, Shard shard) {
        StringBuilder sb = new StringBuilder("SELECT ").append(sourceKeyExpr(step, d)).append(" AS cutover_key");
        int i = 0;
        for (String expr : step.columns().values()) {
            sb.append(", (").append(expr).append(") AS cutover_c").append(++i);
        }
        int r = 0;
        for (Ref ref : step.refs().values()) {
            sb.append(", ").append(refSourceExpr(ref, d)).append(" AS cutover_r").append(++r);
        }
        sb.append(" FROM ").append(step.relation()).append(" s");
        List<String> where = new ArrayList<>();
        if (since != null) {
            where.add("(" + String.join(" OR ", step.changed().stream()
                    .map(c -> "(s." + c + " >= " + since + " AND s." + c + " < " + until + ")").toList()) + ")");
        }
        if (keys != null) {
            where.add(keys.condition(sourceKeyExpr(step, d)));
        }
        if (shard != null) {
            where.add("(" + shard.condition(d, sourceKeyExpr(step, d)) + ")");
        }
        if (!where.isEmpty()) {
            sb.append(" WHERE ").append(String.join(" AND ", where));
        }
        return sb.toString();
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

    /** The JDBC type of the target key (text for a composite key, whose log entries hold its text). */
    public int targetKeyType() {
        return step.compositeTargetKey() ? java.sql.Types.VARCHAR : targetShape.type(step.targetKey());
    }

    /** The target database's name of the target key's type ("" for a composite key). */
    public String targetKeyTypeName() {
        return step.compositeTargetKey() ? "varchar" : targetShape.typeName(step.targetKey());
    }

    /** The JDBC type of the i-th value read from the source (expressions, then raw refs). */
    public int sourceType(int i) {
        return sourceTypes[i];
    }

    /** The step's keys as the state tables see them. */
    public io.cutover.sql.state.StepKeys keys() {
        return new io.cutover.sql.state.StepKeys(name(), step.key(), sourceKeyType(), sourceKeyTypeName(), step.targetKey(),
                targetKeyType(), targetKeyTypeName());
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

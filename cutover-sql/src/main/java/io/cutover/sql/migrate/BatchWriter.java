package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
import io.cutover.sql.db.Dialect;
import io.cutover.sql.db.PgCopy;
import io.cutover.sql.db.PgSequence;
import io.cutover.sql.db.Sql;
import io.cutover.sql.db.Values;
import io.cutover.sql.plan.Hide;
import io.cutover.sql.state.ErrorKind;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one batch of translated rows as one target transaction together with their migration-log entries:
 * rows the log knows are updated where they live, new rows are inserted (multi-row VALUES, generated keys
 * returned) and logged. When the batch fails, it is redone row by row under savepoints so that only the
 * failing rows are skipped and recorded as errors.
 */
final class BatchWriter {
    private final CompiledStep step;
    private final StateStore state;
    private final Dialect dialect;
    private final Window window;
    private final long runId;
    private final List<String> updateColumns = new ArrayList<>();
    private final List<Integer> updateIndexes = new ArrayList<>();
    private final Map<Integer, String> insertSql = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String sequence;
    private final int maxRowsPerInsert;
    private final StagedUpdate staged;
    private final RefusedColumn refused;

    /** Counts of one batch, and the (source key, target key) pairs written. */
    record Outcome(long inserted, long updated, List<RowError> errors, List<String[]> written) {
    }

    private final RowWay way;

    /** {@code fresh}: the step's log was empty when the run started, so no row needs looking up. */
    BatchWriter(CompiledStep step, StateStore state, Window window, long runId, boolean fresh, OpenRows open) {
        this.step = step;
        this.state = state;
        this.dialect = state.database().dialect();
        this.window = window;
        this.runId = runId;
        this.way = new RowWay(step, state, fresh, open);
        updateIndexes.addAll(way.updatedColumns());
        updateColumns.addAll(way.updatedColumnNames());
        List<String> cols = step.targetColumns();
        this.staged = new StagedUpdate(step, updateColumns);
        this.refused = new RefusedColumn(step);
        int width = cols.size() + (step.step().hide() != null ? 1 : 0);
        this.maxRowsPerInsert = Math.max(1, 30_000 / Math.max(1, width));
    }

    /** Writes {@code rows} (plus already known {@code errors}) in one transaction; the connection is not auto-commit. */
    Outcome write(Connection c, List<TargetRow> rows, List<RowError> errors) throws SQLException {
        List<String> keys = new ArrayList<>(rows.size());
        rows.forEach(r -> keys.add(r.key()));
        RowWay.Split split = way.split(c, keys, i -> false);
        Map<String, String> known = split.known();
        List<TargetRow> updates = split.updates().stream().map(rows::get).toList();
        List<TargetRow> inserts = split.inserts().stream().map(rows::get).toList();
        try {
            int changed = updateAll(c, updates, known);
            List<String[]> logged = insertAll(c, inserts);
            state.log().insertLog(c, step.name(), logged, runId, window);
            state.log().touchLog(c, step.name(), updates.stream().map(TargetRow::key).toList(), runId, window);
            for (TargetRow r : updates) {
                logged.add(new String[] {r.key(), known.get(r.key())});
            }
            way.finish(c, logged, errors);
            return new Outcome(inserts.size(), changed, errors, logged);
        } catch (SQLException batchFailure) {
            c.rollback();
            return rowByRow(c, updates, inserts, known, new ArrayList<>(errors));
        }
    }

    private Outcome rowByRow(Connection c, List<TargetRow> updates, List<TargetRow> inserts, Map<String, String> known,
                             List<RowError> errors) throws SQLException {
        long inserted = 0;
        long updated = 0;
        List<String[]> written = new ArrayList<>();
        Translator errorsOf = new Translator(step, state);
        for (TargetRow r : updates) {
            Savepoint sp = c.setSavepoint();
            try {
                updated += updateAll(c, List.of(r), known);
                state.log().touchLog(c, step.name(), List.of(r.key()), runId, window);
                written.add(new String[] {r.key(), known.get(r.key())});
            } catch (SQLException e) {
                c.rollback(sp);
                errors.add(errorsOf.error(runId, r.source(), ErrorKind.of(e),
                        io.cutover.sql.db.Refusal.describe(e, refused.find(c, dialect, e, r.values()))));
            }
        }
        for (TargetRow r : inserts) {
            Savepoint sp = c.setSavepoint();
            try {
                List<String[]> logged = insertAll(c, List.of(r));
                state.log().insertLog(c, step.name(), logged, runId, window);
                inserted++;
                written.addAll(logged);
            } catch (SQLException e) {
                c.rollback(sp);
                errors.add(errorsOf.error(runId, r.source(), ErrorKind.of(e),
                        io.cutover.sql.db.Refusal.describe(e, refused.find(c, dialect, e, r.values()))));
            }
        }
        way.finish(c, written, errors);
        return new Outcome(inserted, updated, errors, written);
    }

    /**
     * Updates rows the log knows; returns how many changed. A row whose values are all the same is left alone and
     * not counted; a row the log points at that is gone from the target fails the batch.
     */
    private int updateAll(Connection c, List<TargetRow> updates, Map<String, String> known) throws SQLException {
        if (updates.isEmpty() || updateColumns.isEmpty()) {
            return 0;
        }
        if (dialect == Dialect.POSTGRES && !step.step().compositeTargetKey()) {
            return updateByCopy(c, updates, known);
        }
        String sql = "UPDATE " + step.step().into() + " SET " + String.join(", ", updateColumns.stream().map(x -> x + " = ?").toList())
                + " WHERE " + step.targetKeyIs("") + " AND (" + String.join(" OR ", differs()) + ")";
        int changed = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (TargetRow r : updates) {
                int p = 1;
                for (int i = 0; i < updateIndexes.size(); i++) {
                    Values.bind(ps, p++, r.values()[updateIndexes.get(i)], step.targetType(updateColumns.get(i)));
                }
                p = step.bindTargetKey(ps, p, known.get(r.key()));
                for (int i = 0; i < updateIndexes.size(); i++) {
                    Values.bind(ps, p++, r.values()[updateIndexes.get(i)], step.targetType(updateColumns.get(i)));
                }
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            List<String> unchanged = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    unchanged.add(known.get(updates.get(i).key()));
                } else {
                    changed++;
                }
            }
            requirePresent(c, unchanged);
        }
        return changed;
    }

    /**
     * Per updated column, a condition that the row's value differs from the new one (NULL-safe; text compared byte by
     * byte, as a case-insensitive collation would call 'Ann' and 'ANN' the same).
     */
    private List<String> differs() {
        List<String> out = new ArrayList<>(updateColumns.size());
        for (int i = 0; i < updateColumns.size(); i++) {
            String c = updateColumns.get(i);
            boolean text = switch (step.targetType(updateIndexes.get(i))) {
                case java.sql.Types.CHAR, java.sql.Types.VARCHAR, java.sql.Types.LONGVARCHAR, java.sql.Types.CLOB,
                     java.sql.Types.NCHAR, java.sql.Types.NVARCHAR, java.sql.Types.LONGNVARCHAR -> true;
                default -> false;
            };
            out.add(dialect == Dialect.MARIADB ? "NOT (" + (text ? "BINARY " + c + " <=> BINARY ?" : c + " <=> ?") + ")"
                    : c + " IS DISTINCT FROM ?");
        }
        return out;
    }

    /** Fails when a target row the log points at (an update that changed nothing) is gone. */
    private void requirePresent(Connection c, List<String> targetKeys) throws SQLException {
        for (String k : targetKeys) {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + step.step().into() + " WHERE "
                    + step.targetKeyIs(""))) {
                step.bindTargetKey(ps, 1, k);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        throw new SQLException("the target row " + step.step().into() + "." + step.step().targetKey() + " = "
                                + k + " recorded in the migration log is missing", "23000");
                    }
                }
            }
        }
    }

    /**
     * PostgreSQL: COPY the new values into a temporary table and update the target from it in one statement.
     * Fails (so the batch is redone row by row) when a row the log points at is missing.
     */
    private int updateByCopy(Connection c, List<TargetRow> updates, Map<String, String> known) throws SQLException {
        String staging = staged.prepare(c);
        List<Object[]> rows = new ArrayList<>(updates.size());
        for (TargetRow r : updates) {
            Object[] v = new Object[updateColumns.size() + 1];
            v[0] = known.get(r.key());
            for (int i = 0; i < updateIndexes.size(); i++) {
                v[i + 1] = r.values()[updateIndexes.get(i)];
            }
            rows.add(v);
        }
        PgCopy.copy(c, staging, staged.stagingColumns(), rows);
        return staged.apply(c, updates.size());
    }

    /** Inserts new rows; returns (source key, target key) pairs for the log. */
    private List<String[]> insertAll(Connection c, List<TargetRow> inserts) throws SQLException {
        List<String[]> logged = new ArrayList<>(inserts.size());
        for (int from = 0; from < inserts.size(); from += maxRowsPerInsert) {
            List<TargetRow> part = inserts.subList(from, Math.min(inserts.size(), from + maxRowsPerInsert));
            insertPart(c, part, logged);
        }
        return logged;
    }

    /**
     * PostgreSQL fast path: reserve the generated keys from the target key's own sequence, then COPY the rows
     * with those keys. Returns false (nothing done) when the key has no sequence.
     */
    private boolean copyPart(Connection c, List<TargetRow> part, List<String[]> logged) throws SQLException {
        String sequence = sequence(c);
        if (sequence.isEmpty()) {
            return false;
        }
        long[] ids = PgSequence.reserve(c, sequence, part.size());
        Hide hide = step.step().hide();
        List<String> cols = new ArrayList<>();
        cols.add(step.step().targetKey());
        cols.addAll(step.targetColumns());
        if (hide != null) {
            cols.add(hide.column());
        }
        List<Object[]> rows = new ArrayList<>(part.size());
        for (int i = 0; i < part.size(); i++) {
            TargetRow r = part.get(i);
            Object[] v = new Object[cols.size()];
            v[0] = ids[i];
            System.arraycopy(r.values(), 0, v, 1, r.values().length);
            if (hide != null) {
                v[v.length - 1] = hide.value();
            }
            rows.add(v);
            logged.add(new String[] {r.key(), String.valueOf(ids[i])});
        }
        PgCopy.copy(c, step.step().into(), cols, rows);
        return true;
    }

    /** The sequence behind the generated target key ("" when none), looked up once. */
    private String sequence(Connection c) throws SQLException {
        String s = sequence;
        if (s == null) {
            try {
                s = PgSequence.of(c, step.step().into(), step.step().targetKey());
            } catch (SQLException e) {
                c.rollback();
                s = "";
            }
            sequence = s;
        }
        return s;
    }

    private void insertPart(Connection c, List<TargetRow> part, List<String[]> logged) throws SQLException {
        List<String> cols = step.targetColumns();
        Hide hide = step.step().hide();
        int width = cols.size() + (hide != null ? 1 : 0);
        boolean supplied = step.step().suppliesTargetKey();
        if (!supplied && part.size() > 1 && dialect == Dialect.POSTGRES && copyPart(c, part, logged)) {
            return;
        }
        String sql = insertSql.computeIfAbsent(part.size(), n -> {
            String s = "INSERT INTO " + step.step().into() + " (" + String.join(", ", cols)
                    + (hide != null ? ", " + hide.column() : "") + ") VALUES " + Sql.rows(n, width);
            return !supplied && dialect.insertReturning() ? s + " RETURNING " + step.step().targetKey() : s;
        });
        try (PreparedStatement ps = supplied || dialect.insertReturning() ? c.prepareStatement(sql)
                : c.prepareStatement(sql, new String[] {step.step().targetKey()})) {
            int p = 1;
            for (TargetRow r : part) {
                for (int i = 0; i < cols.size(); i++) {
                    Values.bind(ps, p++, r.values()[i], step.targetType(i));
                }
                if (hide != null) {
                    Values.bind(ps, p++, hide.value(), step.targetType(hide.column()));
                }
            }
            if (supplied) {
                ps.executeUpdate();
                for (TargetRow r : part) {
                    logged.add(new String[] {r.key(), step.targetKeyOf(r.values())});
                }
                return;
            }
            // generated keys come back in VALUES order
            try (ResultSet rs = dialect.insertReturning() ? ps.executeQuery() : generated(ps)) {
                int i = 0;
                while (rs.next()) {
                    logged.add(new String[] {part.get(i++).key(), Values.key(rs.getObject(1))});
                }
                if (i != part.size()) {
                    throw new SQLException("the target returned " + i + " generated keys for " + part.size() + " rows", "XX000");
                }
            }
        }
    }

    private static ResultSet generated(PreparedStatement ps) throws SQLException {
        ps.executeUpdate();
        return ps.getGeneratedKeys();
    }


}

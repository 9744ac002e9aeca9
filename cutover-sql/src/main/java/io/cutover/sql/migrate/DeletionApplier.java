package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
import io.cutover.sql.db.Database;
import io.cutover.sql.db.Values;
import io.cutover.sql.plan.DeletionLog;
import io.cutover.sql.state.ErrorKind;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the physical deletes recorded in the source's deletion log during a window: each deleted source key
 * is found in the step's migration log, its target row deleted and its log entry removed, in batches of one
 * transaction each. A delete the target refuses (a child still points at the row) is recorded as an error.
 */
final class DeletionApplier {
    private final Database source;
    private final StateStore state;
    private final DeletionLog log;
    private final long runId;
    private final int batch;

    DeletionApplier(Database source, StateStore state, DeletionLog log, long runId, int batch) {
        this.source = source;
        this.state = state;
        this.log = log;
        this.runId = runId;
        this.batch = batch;
    }

    /** Deleted-row count and errors of one step. */
    record Outcome(long deleted, List<RowError> errors) {
    }

    /** Applies the step's deletions in {@code window}, only for {@code subset} keys when not null. */
    Outcome apply(CompiledStep step, Window window, Set<String> subset, boolean dryRun) {
        String name = step.step().deletionName();
        if (name == null) {
            return new Outcome(0, List.of());
        }
        List<String> keys = new ArrayList<>();
        String sql = "SELECT " + log.keyColumn() + " FROM " + log.table() + " WHERE " + log.tableColumn() + " = ? AND "
                + log.timeColumn() + " >= ? AND " + log.timeColumn() + " < ?";
        try (Connection c = source.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setObject(2, window.since() == null ? LocalDateTime.of(1, 1, 1, 0, 0) : window.since());
            ps.setObject(3, window.until() == null ? LocalDateTime.of(9999, 1, 1, 0, 0) : window.until());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String k = Values.key(rs.getObject(1));
                    if (k != null && (subset == null || subset.contains(k))) {
                        keys.add(k);
                    }
                }
            }
        } catch (SQLException e) {
            throw source.failure("reading the deletion log " + log.table(), e);
        }
        long deleted = 0;
        List<RowError> errors = new ArrayList<>();
        Database target = state.database();
        try (Connection c = target.connection()) {
            c.setAutoCommit(false);
            try {
                for (int from = 0; from < keys.size(); from += batch) {
                    List<String> part = keys.subList(from, Math.min(keys.size(), from + batch));
                    Map<String, String> known = state.log().lookup(c, step.name(), part);
                    if (dryRun) {
                        deleted += known.size();
                        continue;
                    }
                    try {
                        deleteRows(c, step, known.values());
                        state.log().deleteLog(c, step.name(), known.keySet());
                        state.outstanding().resolve(c, step.name(), part); // a deleted row is no longer waiting
                        c.commit();
                        deleted += known.size();
                    } catch (SQLException batchFailure) {
                        c.rollback();
                        List<RowError> failed = new ArrayList<>();
                        for (Map.Entry<String, String> e : known.entrySet()) {
                            Savepoint sp = c.setSavepoint();
                            try {
                                deleteRows(c, step, List.of(e.getValue()));
                                state.log().deleteLog(c, step.name(), List.of(e.getKey()));
                                deleted++;
                            } catch (SQLException rowFailure) {
                                c.rollback(sp);
                                failed.add(new RowError(runId, step.name(), e.getKey(), ErrorKind.of(rowFailure).label(),
                                        "deleting target row " + e.getValue() + ": " + io.cutover.sql.db.Refusal.describe(rowFailure),
                                        null, LocalDateTime.now(java.time.ZoneOffset.UTC)));
                            }
                        }
                        state.history().recordErrors(c, failed);
                        c.commit();
                        errors.addAll(failed);
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw target.failure("applying deletions of step " + step.name(), e);
        }
        return new Outcome(deleted, errors);
    }

    private static void deleteRows(Connection c, CompiledStep step, java.util.Collection<String> targetKeys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + step.step().into() + " WHERE " + step.targetKeyIs(""))) {
            for (String k : targetKeys) {
                step.bindTargetKey(ps, 1, k);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}

package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
import io.cutover.sql.db.Database;
import io.cutover.sql.db.Dialect;
import io.cutover.sql.db.Values;
import io.cutover.sql.plan.Ref;
import io.cutover.sql.state.ErrorKind;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The second pass of a step with deferred refs (a self-reference, or a ref closing a cycle): once the run's rows are
 * in, its rows of the window (and the outstanding rows it retried) are read again and each deferred column is set to
 * the parent's target key, or NULL. A parent that has no migrated row is a {@code dangling_reference}: the row stays
 * with the column NULL and is outstanding, so a later window fills it once the parent is in.
 */
final class DeferredRefs {
    private final Database source;
    private final StateStore state;
    private final CompiledStep step;
    private final int batch;
    private final RunCache cache;

    DeferredRefs(Database source, StateStore state, CompiledStep step, int batch, RunCache cache) {
        this.source = source;
        this.state = state;
        this.step = step;
        this.batch = batch;
        this.cache = cache;
    }

    /** Fills the deferred columns of the rows of {@code window} (or of {@code keys}) and of {@code retried}; returns the errors. */
    List<RowError> fill(Window window, Set<String> keys, Set<String> retried, long runId) {
        List<RowError> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        RowReader reader = new RowReader(source, step, batch);
        BatchPipeline.Worker<SourceRow> worker = (c, rows) -> errors.addAll(fillBatch(c, rows, runId));
        BatchPipeline.run("filling the deferred refs of step " + step.name(), reader, keys == null ? window : null, keys, state.database(), 1, worker);
        Set<String> more = new HashSet<>(retried);
        if (keys != null) {
            more.removeAll(keys);
        }
        if (!more.isEmpty()) {
            BatchPipeline.run("filling the deferred refs of step " + step.name(), reader, null, more, state.database(), 1, worker);
        }
        return errors;
    }

    private List<RowError> fillBatch(Connection c, List<SourceRow> rows, long runId) throws SQLException {
        List<String> keys = new ArrayList<>(rows.size());
        rows.forEach(r -> keys.add(r.key()));
        Map<String, String> own = state.log().lookup(c, step.name(), keys);
        RefResolver resolver = new RefResolver(state, cache);
        List<Ref> refs = step.refs();
        int exprs = step.expressions();
        List<RowError> errors = new ArrayList<>();
        Translator errorsOf = new Translator(step, state);
        for (int r = 0; r < refs.size(); r++) {
            if (!step.deferred(r)) {
                continue;
            }
            int at = exprs + r;
            Set<String> wanted = new HashSet<>();
            rows.forEach(row -> {
                if (row.values()[at] != null) {
                    wanted.add(Values.key(row.values()[at]));
                }
            });
            Map<String, String> parents = resolver.resolve(c, refs.get(r).step(), () -> wanted, true);
            int[] into = step.refTargets(r);
            List<String> columns = new ArrayList<>();
            for (int t : into) {
                columns.add(step.targetColumns().get(t));
            }
            String column = String.join(", ", columns);
            Dialect d = state.database().dialect();
            String differs = String.join(" OR ", columns.stream().map(col -> d == Dialect.MARIADB ? "NOT (" + col + " <=> ?)"
                    : col + " IS DISTINCT FROM ?").toList());
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + step.step().into() + " SET "
                    + String.join(", ", columns.stream().map(col -> col + " = ?").toList()) + " WHERE "
                    + step.targetKeyIs("") + " AND (" + differs + ")")) {
                for (SourceRow row : rows) {
                    String target = own.get(row.key());
                    if (target == null) {
                        continue; // the row itself did not go in: its error is recorded already
                    }
                    Object raw = row.values()[at];
                    String parent = raw == null ? null : parents.get(Values.key(raw));
                    if (raw != null && parent == null) {
                        errors.add(errorsOf.error(runId, row, ErrorKind.DANGLING_REFERENCE, refs.get(r).source() + " = "
                                + Values.key(raw) + " has no migrated row in step " + refs.get(r).step()
                                + " (the row is in, with " + column + " NULL until it has)"));
                        continue;
                    }
                    String[] parts = parent == null ? new String[into.length]
                            : parent.split(java.util.regex.Pattern.quote(io.cutover.sql.plan.Step.KEY_SEPARATOR), -1);
                    int p = 1;
                    for (int k = 0; k < into.length; k++) {
                        Values.bind(ps, p++, k < parts.length ? parts[k] : null, step.targetType(into[k]));
                    }
                    p = step.bindTargetKey(ps, p, target);
                    for (int k = 0; k < into.length; k++) {
                        Values.bind(ps, p++, k < parts.length ? parts[k] : null, step.targetType(into[k]));
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        state.history().recordErrors(c, errors);
        state.outstanding().record(c, errors);
        c.commit();
        return errors;
    }
}

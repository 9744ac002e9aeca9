package io.cutover.sql.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cutover.core.output.Json;
import io.cutover.sql.db.Values;
import io.cutover.sql.plan.Ref;
import io.cutover.sql.state.ErrorKind;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a batch of source rows into target rows: runs the step's transformer, translates every ref through
 * its parent step's migration log (one look-up per ref per batch) and converts values to the target's types.
 * Rows that cannot be translated become {@link RowError}s. Migrate and verify share it, so verify recomputes
 * exactly what migrate wrote.
 */
public final class Translator {
    private final CompiledStep step;
    private final StateStore state;
    private final RefResolver resolver;
    private final boolean deferring;

    public Translator(CompiledStep step, StateStore state) {
        this(step, state, null);
    }

    /** With {@code cache} consulted first for parents' keys; every ref translated (as verify compares them). */
    public Translator(CompiledStep step, StateStore state, RunCache cache) {
        this(step, state, cache, false);
    }

    /** {@code deferring}: leave deferred refs NULL (migrate's first pass; {@link DeferredRefs} fills them). */
    Translator(CompiledStep step, StateStore state, RunCache cache, boolean deferring) {
        this.step = step;
        this.state = state;
        this.resolver = new RefResolver(state, cache);
        this.deferring = deferring;
    }

    /** The result of translating one batch. */
    public record Translation(List<TargetRow> rows, List<RowError> errors) {
    }

    public Translation translate(Connection target, List<SourceRow> batch, long runId, boolean stateExists) throws SQLException {
        List<TargetRow> rows = new ArrayList<>(batch.size());
        List<RowError> errors = new ArrayList<>();
        int exprs = step.expressions();
        List<Ref> refs = step.refs();
        List<Map<String, String>> maps = new ArrayList<>(refs.size());
        for (int r = 0; r < refs.size(); r++) {
            int at = exprs + r;
            if (deferring && step.deferred(r)) {
                maps.add(Map.of());
                continue;
            }
            maps.add(resolver.resolve(target, refs.get(r).step(), () -> {
                Set<String> wanted = new HashSet<>();
                for (SourceRow row : batch) {
                    Object v = row.values()[at];
                    if (v != null) {
                        wanted.add(Values.key(v));
                    }
                }
                return wanted;
            }, stateExists));
        }
        for (SourceRow row : batch) {
            translateRow(row, maps, runId, rows, errors);
        }
        return new Translation(rows, errors);
    }

    /** Adds {@code row} translated to {@code rows}, or its error to {@code errors}. */
    private void translateRow(SourceRow row, List<Map<String, String>> maps, long runId, List<TargetRow> rows,
                              List<RowError> errors) {
        int exprs = step.expressions();
        List<String> cols = step.targetColumns();
        List<Ref> refs = step.refs();
        if (row.key() == null) {
            errors.add(error(runId, row, ErrorKind.CONVERSION, nullKey(step)));
            return;
        }
        Object[] out = new Object[cols.size()];
        System.arraycopy(row.values(), 0, out, 0, exprs);
        if (step.transformer() != null && !transform(row, out, runId, errors)) {
            return;
        }
        String failure = null;
        ErrorKind kind = null;
        for (int r = 0; r < refs.size() && failure == null; r++) {
            Object v = row.values()[exprs + r];
            if (v == null) {
                continue; // NULL references stay NULL
            }
            if (deferring && step.deferred(r)) {
                continue; // filled once the run's rows are in
            }
            String mapped = maps.get(r).get(Values.key(v));
            if (mapped == null) {
                kind = ErrorKind.DANGLING_REFERENCE;
                failure = refs.get(r).source() + " = " + Values.key(v) + " has no migrated row in step " + refs.get(r).step();
            } else {
                int[] into = step.refTargets(r);
                if (into.length == 1) {
                    out[into[0]] = mapped;
                } else {
                    // a composite parent key's text, written part by part into the ref's columns
                    String[] parts = mapped.split(java.util.regex.Pattern.quote(io.cutover.sql.plan.Step.KEY_SEPARATOR), -1);
                    for (int k = 0; k < into.length; k++) {
                        out[into[k]] = k < parts.length ? parts[k] : null;
                    }
                }
            }
        }
        for (int i = 0; i < cols.size() && failure == null; i++) {
            try {
                out[i] = Values.convert(out[i], step.targetColumn(i), step.zone());
            } catch (RuntimeException e) {
                // the value itself stays out of the message (it may be personal data); the source row is kept apart
                kind = ErrorKind.CONVERSION;
                failure = "column " + cols.get(i) + ": cannot convert a " + Values.typeName(out[i]) + " to "
                        + step.targetTypeName(cols.get(i)) + " (" + e.getClass().getSimpleName() + ")";
            }
        }
        if (failure != null) {
            errors.add(error(runId, row, kind, failure));
        } else {
            rows.add(new TargetRow(row.key(), out, row));
        }
    }

    /** Runs the step's transformer on the expressions' values in {@code out}; false (error recorded) when it throws. */
    private boolean transform(SourceRow row, Object[] out, long runId, List<RowError> errors) {
        List<String> cols = step.targetColumns();
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < step.expressions(); i++) {
            m.put(cols.get(i), out[i]);
        }
        try {
            step.transformer().transform(m);
        } catch (Exception e) {
            errors.add(error(runId, row, ErrorKind.TRANSFORM, step.transformer().name() + ": " + e));
            return false;
        }
        for (int i = 0; i < step.expressions(); i++) {
            out[i] = m.get(cols.get(i));
        }
        return true;
    }

    /** The error of a source row whose key is NULL (it cannot be logged, so it is never migrated). */
    public static String nullKey(CompiledStep step) {
        return "the source key " + step.step().key() + " is NULL";
    }

    /** A row error with the source row as JSON. */
    public RowError error(long runId, SourceRow row, ErrorKind kind, String message) {
        return new RowError(runId, step.name(), row.key(), kind.label(), message, json(row), LocalDateTime.now(java.time.ZoneOffset.UTC));
    }

    private String json(SourceRow row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(step.step().key(), row.key());
        List<String> cols = step.targetColumns();
        for (int i = 0; i < step.expressions(); i++) {
            m.put(cols.get(i), Values.jsonable(row.values()[i]));
        }
        for (int r = 0; r < step.refs().size(); r++) {
            m.put(step.refs().get(r).source(), Values.jsonable(row.values()[step.expressions() + r]));
        }
        try {
            return Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (JsonProcessingException e) {
            return String.valueOf(m);
        }
    }
}

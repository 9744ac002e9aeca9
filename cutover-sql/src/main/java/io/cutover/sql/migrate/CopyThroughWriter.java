package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
import io.cutover.sql.db.CopyBuffer;
import io.cutover.sql.db.CopyLine;
import io.cutover.sql.db.PgSequence;
import io.cutover.sql.plan.Hide;
import io.cutover.sql.state.ErrorKind;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one batch of raw source COPY rows ({@link CopyThrough}) as one target transaction: refs translated,
 * keys reserved from the target's sequence, the rows and their migration-log entries copied in, rows the log
 * already knows updated through a staging table. Rows it cannot write this way (a dangling ref, or the whole
 * batch when the target refuses it) are handed back by key for the JDBC path, which records their errors
 * exactly as it always does.
 */
final class CopyThroughWriter {
    private final CompiledStep step;
    private final StateStore state;
    private final RefResolver resolver;
    private final CopyThrough copy;
    private final Window window;
    private final long runId;
    private final RowWay way;
    private final StagedUpdate staged;
    private final String insertColumns;
    private final byte[] hide;

    /** The (source key, target key) pairs written, and the keys left to the JDBC path. */
    record Outcome(long inserted, long updated, List<String[]> written, List<String> handedBack, List<RowError> errors) {
    }

    CopyThroughWriter(CompiledStep step, StateStore state, RunCache cache, CopyThrough copy, Window window, long runId,
                      boolean fresh, OpenRows open) {
        this.step = step;
        this.state = state;
        this.resolver = new RefResolver(state, cache);
        this.copy = copy;
        this.window = window;
        this.runId = runId;
        this.way = new RowWay(step, state, fresh, open);
        if (!way.updatedColumnNames().equals(step.targetColumns())) {
            // CopyThrough.of takes no step with a supplied key or deferred refs, so an update sets every column
            throw new IllegalStateException("step " + step.name() + ": COPY-through needs every column updatable");
        }
        this.staged = new StagedUpdate(step, way.updatedColumnNames());
        Hide h = step.step().hide();
        this.insertColumns = String.join(", ", staged.stagingColumns()) + (h == null ? "" : ", " + h.column());
        this.hide = h == null ? null : bytes(new CopyBuffer(16).tab().value(h.value()));
    }

    /** Writes {@code lines} in one transaction of {@code c} (not auto-commit). */
    Outcome write(Connection c, List<byte[]> lines, Translator errorsOf) throws SQLException {
        List<String> keys = new ArrayList<>(lines.size());
        List<RowError> errors = new ArrayList<>();
        List<CopyLine> rows = parse(lines, keys, errors, errorsOf);
        List<Map<String, String>> maps = resolver.resolveAll(c, step, rows);
        List<String> handedBack = new ArrayList<>();
        String[][] mapped = new String[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            mapped[i] = translateRefs(rows.get(i), maps);
            if (mapped[i] == null) {
                handedBack.add(keys.get(i));
            }
        }
        RowWay.Split split = way.split(c, keys, i -> mapped[i] == null);
        Map<String, String> known = split.known();
        List<Integer> inserts = split.inserts();
        List<Integer> updates = split.updates();
        List<String[]> written = new ArrayList<>(rows.size());
        try {
            insert(c, rows, keys, mapped, inserts, written);
            int changed = update(c, rows, keys, mapped, updates, known, written);
            way.finish(c, written, errors);
            return new Outcome(inserts.size(), changed, written, handedBack, errors);
        } catch (SQLException refused) {
            c.rollback();
            state.history().recordErrors(c, errors);
            c.commit();
            return new Outcome(0, 0, List.of(), keys, errors);
        }
    }

    /** Splits the lines; rows with a NULL key become errors, the others' keys are added to {@code keys}. */
    private List<CopyLine> parse(List<byte[]> lines, List<String> keys, List<RowError> errors, Translator errorsOf) {
        int width = 1 + step.targetColumns().size();
        List<CopyLine> rows = new ArrayList<>(lines.size());
        for (byte[] line : lines) {
            CopyLine l = CopyLine.split(line, width);
            String key = l.text(0);
            if (key == null) {
                errors.add(errorsOf.error(runId, asSourceRow(l), ErrorKind.CONVERSION, Translator.nullKey(step)));
            } else {
                rows.add(l);
                keys.add(key);
            }
        }
        return rows;
    }

    /** The ref values as target keys (null entries for NULL refs), or null when one has no migrated row. */
    private String[] translateRefs(CopyLine l, List<Map<String, String>> maps) {
        int exprs = step.expressions();
        String[] out = new String[maps.size()];
        for (int r = 0; r < maps.size(); r++) {
            String v = l.text(1 + exprs + r);
            if (v != null) {
                out[r] = maps.get(r).get(v);
                if (out[r] == null) {
                    return null;
                }
            }
        }
        return out;
    }

    private void insert(Connection c, List<CopyLine> rows, List<String> keys, String[][] mapped, List<Integer> picked,
                        List<String[]> written) throws SQLException {
        if (picked.isEmpty()) {
            return;
        }
        long[] ids = PgSequence.reserve(c, copy.sequence(), picked.size());
        CopyBuffer data = new CopyBuffer(picked.size() * 96);
        List<String[]> logged = new ArrayList<>(picked.size());
        for (int n = 0; n < picked.size(); n++) {
            int i = picked.get(n);
            data.number(ids[n]);
            values(data, rows.get(i), mapped[i]);
            if (hide != null) {
                data.raw(hide);
            }
            data.newline();
            logged.add(new String[] {keys.get(i), Long.toString(ids[n])});
        }
        data.copyInto(c, step.step().into(), insertColumns);
        state.log().insertLog(c, step.name(), logged, runId, window);
        written.addAll(logged);
    }

    /** Updates the picked rows; returns how many changed (rows whose values were all the same are not counted). */
    private int update(Connection c, List<CopyLine> rows, List<String> keys, String[][] mapped, List<Integer> picked,
                       Map<String, String> known, List<String[]> written) throws SQLException {
        if (picked.isEmpty()) {
            return 0;
        }
        String staging = staged.prepare(c);
        CopyBuffer data = new CopyBuffer(picked.size() * 96);
        List<String> touched = new ArrayList<>(picked.size());
        for (int i : picked) {
            String target = known.get(keys.get(i));
            data.text(target);
            values(data, rows.get(i), mapped[i]);
            data.newline();
            touched.add(keys.get(i));
            written.add(new String[] {keys.get(i), target});
        }
        data.copyInto(c, staging, String.join(", ", staged.stagingColumns()));
        int changed = staged.apply(c, picked.size());
        state.log().touchLog(c, step.name(), touched, runId, window);
        return changed;
    }

    /** Appends, each after a tab, the expressions' text as read and the translated refs. */
    private void values(CopyBuffer data, CopyLine l, String[] refs) {
        for (int f = 1; f <= step.expressions(); f++) {
            data.tab().raw(l.bytes(), l.start(f), l.end(f));
        }
        for (String ref : refs) {
            data.tab().text(ref);
        }
    }

    /** A row whose key is NULL, its values as text, for the error record. */
    private SourceRow asSourceRow(CopyLine l) {
        Object[] values = new Object[step.targetColumns().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = l.text(i + 1);
        }
        return new SourceRow(null, values);
    }

    private static byte[] bytes(CopyBuffer b) {
        byte[] out = new byte[b.size()];
        b.copyTo(out);
        return out;
    }
}

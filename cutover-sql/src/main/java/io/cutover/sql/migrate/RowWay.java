package io.cutover.sql.migrate;

import io.cutover.sql.state.RowError;
import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A row's way into the target, the one rule both writers ({@link BatchWriter}, {@link CopyThroughWriter}) follow:
 * a row whose source key the step's migration log knows updates the target row the log names — its key columns,
 * and deferred refs until their own pass, left as they are — and any other row is inserted and its new key logged.
 * A batch's row errors are recorded, and the rows waiting for parents settled, in the transaction of its rows.
 */
final class RowWay {
    private final CompiledStep step;
    private final StateStore state;
    private final boolean fresh;
    private final OpenRows open;
    private final List<Integer> updated = new ArrayList<>();

    /** A batch's rows by position: those the log knows (with their target keys) and the new ones. */
    record Split(Map<String, String> known, List<Integer> updates, List<Integer> inserts) {
    }

    /** {@code fresh}: the step's log was empty when the run started, so no row needs looking up. */
    RowWay(CompiledStep step, StateStore state, boolean fresh, OpenRows open) {
        this.step = step;
        this.state = state;
        this.fresh = fresh;
        this.open = open;
        List<String> cols = step.targetColumns();
        for (int i = 0; i < cols.size(); i++) {
            boolean deferredRef = step.refAt(i) >= 0 && step.deferred(step.refAt(i));
            String col = cols.get(i);
            boolean key = step.step().targetKeyColumns().stream().anyMatch(k -> k.equalsIgnoreCase(col));
            if (!key && !deferredRef) {
                updated.add(i);
            }
        }
    }

    /** The positions (in {@link CompiledStep#targetColumns()}) of the columns an update sets. */
    List<Integer> updatedColumns() {
        return updated;
    }

    /** The names of the columns an update sets. */
    List<String> updatedColumnNames() {
        return updated.stream().map(step.targetColumns()::get).toList();
    }

    /** Splits a batch by whether the log knows each row's source key; positions {@code skip} accepts are left out. */
    Split split(Connection c, List<String> keys, IntPredicate skip) throws SQLException {
        Map<String, String> known = fresh ? Map.of() : state.log().lookup(c, step.name(), keys);
        List<Integer> updates = new ArrayList<>();
        List<Integer> inserts = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            if (!skip.test(i)) {
                (known.containsKey(keys.get(i)) ? updates : inserts).add(i);
            }
        }
        return new Split(known, updates, inserts);
    }

    /** Records the batch's errors, settles its waiting rows and commits its transaction. */
    void finish(Connection c, List<String[]> written, List<RowError> errors) throws SQLException {
        state.history().recordErrors(c, errors);
        open.settle(c, written, errors);
        c.commit();
    }
}

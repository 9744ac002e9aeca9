package io.cutover.sql.migrate;

import io.cutover.sql.state.OutstandingRows;
import io.cutover.sql.state.RowError;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One step's outstanding rows during a run: those written leave the outstanding table in the batch's own transaction,
 * those that fail (again) are recorded there, and the ones the window did not bring are read again by key afterwards.
 */
final class OpenRows {
    private final String step;
    private final OutstandingRows table;
    private final Set<String> open;
    private final Set<String> notSeen;

    private OpenRows(String step, OutstandingRows table, Set<String> open) {
        this.step = step;
        this.table = table;
        this.open = open;
        this.notSeen = ConcurrentHashMap.newKeySet();
        notSeen.addAll(open);
    }

    /** The step's outstanding rows as the run starts (none when there is no state yet). */
    static OpenRows load(OutstandingRows table, String step, boolean stateExists) {
        Set<String> open = ConcurrentHashMap.newKeySet();
        if (stateExists) {
            open.addAll(table.keys(step));
        }
        return new OpenRows(step, table, open);
    }

    /**
     * The step's outstanding rows that run {@code runId} has not settled (no shard of it read them): what is left to
     * read again by key once every shard of a shared run is in.
     */
    static OpenRows notOf(OutstandingRows table, String step, long runId) {
        Set<String> open = ConcurrentHashMap.newKeySet();
        open.addAll(table.keysNotOf(step, runId));
        return new OpenRows(step, table, open);
    }

    /** Settles a batch inside its transaction: written rows leave the outstanding table, failed ones enter it. */
    void settle(Connection c, List<String[]> written, List<RowError> errors) throws SQLException {
        table.record(c, errors);
        for (RowError e : errors) {
            if (e.sourceKey() != null) {
                notSeen.remove(e.sourceKey());
            }
        }
        if (open.isEmpty()) {
            return;
        }
        List<String> done = new ArrayList<>();
        for (String[] w : written) {
            if (open.contains(w[0])) {
                done.add(w[0]);
            }
            notSeen.remove(w[0]);
        }
        if (!done.isEmpty()) {
            table.resolve(c, step, done);
        }
    }

    /** Outstanding rows this run has not read yet: to be read again by key. */
    Set<String> notSeen() {
        return Set.copyOf(notSeen);
    }

    /** Removes rows whose source row is gone (read by key and not found). */
    void gone(Connection c, Set<String> keys) throws SQLException {
        if (!keys.isEmpty()) {
            table.resolve(c, step, keys);
        }
    }
}

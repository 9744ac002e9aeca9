package io.cutover.sql.state;

import io.cutover.sql.db.Database;
import io.cutover.sql.db.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The source rows that are not migrated now: a row enters when it fails (its latest error is kept) and leaves when
 * it is written, or when its source row is gone. Unlike the errors table, which keeps every run's errors, this is
 * what is outstanding; every later window reads these rows again, so a row waiting for its parent goes in once the
 * parent has.
 */
public final class OutstandingRows {
    public static final String TABLE = "cutover_outstanding";
    private static final int CHUNK = 500;

    private final Database target;

    public OutstandingRows(Database target) {
        this.target = target;
    }

    /** Creates the table when missing. */
    void ensure(Statement st, Dialect d) throws SQLException {
        st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (step VARCHAR(100) NOT NULL, source_key " + d.keyType()
                + " NOT NULL, run_id BIGINT NOT NULL, kind VARCHAR(32) NOT NULL, message VARCHAR(2000) NOT NULL, source_row "
                + d.textType() + " NULL, recorded_at " + d.timestampType() + " NOT NULL, PRIMARY KEY (step, source_key))");
    }

    /** Records {@code errors} as outstanding (replacing an older error of the same row), in the caller's transaction. */
    public void record(Connection c, List<RowError> errors) throws SQLException {
        Map<String, List<String>> byStep = new LinkedHashMap<>();
        List<RowError> keyed = new ArrayList<>(errors.size());
        for (RowError e : errors) {
            if (e.sourceKey() != null) {
                byStep.computeIfAbsent(e.step(), s -> new ArrayList<>()).add(e.sourceKey());
                keyed.add(e);
            }
        }
        if (keyed.isEmpty()) {
            return;
        }
        for (Map.Entry<String, List<String>> s : byStep.entrySet()) {
            resolve(c, s.getKey(), s.getValue());
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " " + RowError.COLUMNS)) {
            Set<String> seen = new HashSet<>();
            for (RowError e : keyed) {
                if (!seen.add(e.step() + "\u0000" + e.sourceKey())) {
                    continue; // a row with two errors in one batch keeps the first
                }
                e.bind(ps);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Removes {@code keys} of {@code step} (written, or gone from the source), in the caller's transaction. */
    public void resolve(Connection c, String step, Collection<String> keys) throws SQLException {
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> part = all.subList(from, Math.min(all.size(), from + CHUNK));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE step = ? AND source_key IN ("
                    + io.cutover.sql.db.Sql.marks(part.size()) + ")")) {
                ps.setString(1, step);
                for (int i = 0; i < part.size(); i++) {
                    ps.setString(i + 2, part.get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    /** The outstanding source keys of {@code step} (empty when there is no table yet). */
    public Set<String> keys(String step) {
        if (!target.hasTable(TABLE)) {
            return new HashSet<>();
        }
        return sourceKeys(step, "", 0);
    }

    /** The outstanding source keys of {@code step} whose latest error was recorded by a run other than {@code runId}. */
    public Set<String> keysNotOf(String step, long runId) {
        return sourceKeys(step, " AND run_id <> ?", runId);
    }

    private Set<String> sourceKeys(String step, String andRun, long runId) {
        Set<String> out = new HashSet<>();
        try (Connection c = target.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT source_key FROM " + TABLE + " WHERE step = ?" + andRun)) {
            ps.setString(1, step);
            if (!andRun.isEmpty()) {
                ps.setLong(2, runId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw target.failure("reading the outstanding rows of step " + step, e);
        }
        return out;
    }

    /** Every outstanding row with its latest error, by step and key. */
    public List<RowError> list() {
        List<RowError> out = new ArrayList<>();
        if (!target.hasTable(TABLE)) {
            return out;
        }
        try (Connection c = target.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT run_id, step, source_key, kind, message, source_row, recorded_at FROM " + TABLE + " ORDER BY step, source_key")) {
            while (rs.next()) {
                out.add(new RowError(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getObject(7, java.time.LocalDateTime.class)));
            }
        } catch (SQLException e) {
            throw target.failure("reading the outstanding rows", e);
        }
        return out;
    }

    /** Outstanding rows per step. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (!target.hasTable(TABLE)) {
            return out;
        }
        try (Connection c = target.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT step, COUNT(*) FROM " + TABLE + " GROUP BY step")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw target.failure("counting the outstanding rows", e);
        }
        return out;
    }
}

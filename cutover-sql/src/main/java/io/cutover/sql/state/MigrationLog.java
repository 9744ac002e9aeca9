package io.cutover.sql.state;

import io.cutover.core.error.CutoverException;
import io.cutover.sql.db.BinaryCopy;
import io.cutover.sql.db.CopyLine;
import io.cutover.sql.db.Database;
import io.cutover.sql.db.Dialect;
import io.cutover.sql.db.KeyList;
import io.cutover.sql.db.Sql;
import io.cutover.sql.db.Shape;
import io.cutover.sql.db.Values;
import io.cutover.sql.plan.Window;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each step's migration log in the target database (source key → target key, see {@link LogTable}): created with
 * the step, written as rows migrate, read for refs, updates, verify and reveal.
 */
public final class MigrationLog {
    private static final int CHUNK = 1000;

    private final Database target;
    private final Map<String, LogTable> logs = new ConcurrentHashMap<>();

    MigrationLog(Database target) {
        this.target = target;
    }

    /** Creates the log table of each step when it is missing (the caller's statement, in the target). */
    void ensure(Statement st, Collection<StepKeys> steps) throws SQLException {
        Dialect d = target.dialect();
        String ts = d.timestampType();
        for (StepKeys cs : steps) {
            LogTable t = LogTable.of(cs);
            st.execute("CREATE TABLE IF NOT EXISTS " + t.name() + " (source_key " + keyType(t.integerSourceKey())
                    + " NOT NULL PRIMARY KEY, target_key " + keyType(t.integerTargetKey()) + " NOT NULL, window_since "
                    + ts + " NULL, window_until " + ts + " NULL, run_id BIGINT NOT NULL, migrated_at " + ts + " NOT NULL)");
            if (d != Dialect.POSTGRES) {
                // verify and reveal look rows up by target key; PostgreSQL hash-joins instead, and every
                // migrated row is cheaper without a second index to maintain
                st.execute("CREATE INDEX IF NOT EXISTS " + t.name() + "_by_target ON " + t.name() + " (target_key)");
            }
            logs.put(cs.step(), probe(st.getConnection(), cs.step()));
        }
    }

    /**
     * Fails with a usage error (before anything is written) when the step's log table, made by an earlier run, stores
     * integer keys and the plan's key is no longer an integer: its entries could not be written or found.
     */
    void requireKeysFit(StepKeys cs) {
        LogTable t = log(cs.step());
        if (t == null) {
            return;
        }
        LogTable wanted = LogTable.of(cs);
        String which = t.integerSourceKey() && !wanted.integerSourceKey() ? "source key '" + cs.sourceKey() + "'"
                : t.integerTargetKey() && !wanted.integerTargetKey() ? "target key '" + cs.targetKey() + "'" : null;
        if (which != null) {
            throw CutoverException.usage("step '" + cs.step() + "': its migration log " + t.name() + " holds integer keys from "
                    + "earlier runs, but the plan's " + which + " is not an integer; keep the key's type, or give the "
                    + "step a new name (a new log) once its target rows are dealt with");
        }
    }

    private String keyType(boolean integer) {
        return integer ? "BIGINT" : target.dialect().keyType();
    }

    /** The log table of {@code step} as it is in the target, or null when it has none yet. */
    LogTable log(String step) {
        LogTable known = logs.get(step);
        if (known != null) {
            return known;
        }
        // its own connection: a failed probe inside the caller's transaction would abort it on PostgreSQL
        try (Connection c = target.connection()) {
            LogTable t = probe(c, step);
            logs.put(step, t);
            return t;
        } catch (SQLException e) {
            if (Database.missingTable(e)) {
                return null;
            }
            // a dropped connection or a refused read is a failure, never a fresh start with an empty log
            throw target.failure("reading the migration log of step " + step, e);
        }
    }

    /** Reads how the log table of {@code step} stores its keys; fails when there is no such table. */
    private static LogTable probe(Connection c, String step) throws SQLException {
        String name = LogTable.nameOf(step);
        Shape shape = Shape.of(c, "SELECT source_key, target_key FROM " + name + " WHERE 1=0");
        return new LogTable(name, LogTable.integer(shape.type("source_key"), shape.typeName("source_key")),
                LogTable.integer(shape.type("target_key"), shape.typeName("target_key")));
    }

    /**
     * A condition that the migration log of {@code step} has an entry whose target key is {@code expr}; false when the
     * step has no log yet.
     */
    public String knowsTarget(String step, String expr) {
        LogTable t = log(step);
        return t == null ? "1=0" : t.knowsTarget(target.dialect(), expr);
    }

    /**
     * Fails with a usage error when entries of {@code steps} are still in the single-table log of earlier versions:
     * read-only commands would take those rows for unmigrated ones. The next {@code migrate} moves them.
     */
    public void requireCurrentLog(Collection<String> steps) {
        if (new SingleTableLog(target).holdsAny(steps)) {
            throw CutoverException.usage("the target's migration log is in the layout of an earlier cutover (one table, "
                    + SingleTableLog.TABLE + "): run 'cutover sql migrate' once (a rerun of the last window will do) to "
                    + "move it into per-step tables");
        }
    }

    /** Source key → target key for those of {@code keys} the log knows, looked up in chunks. */
    public Map<String, String> lookup(Connection c, String step, Collection<String> keys) throws SQLException {
        Map<String, String> found = new HashMap<>(keys.size() * 2);
        LogTable t = keys.isEmpty() ? null : log(step);
        if (t == null) {
            return found;
        }
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            KeyList in = KeyList.of(target.dialect(), chunk.size(), CHUNK);
            try (PreparedStatement ps = c.prepareStatement("SELECT source_key, target_key FROM " + t.name()
                    + " WHERE " + in.condition("source_key"))) {
                in.bind(c, ps, 1, chunk, t.sourceSqlType());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return found;
    }

    /**
     * Every entry of {@code step} (source key → target key), read in one COPY pass (PostgreSQL): a full verify compares
     * every row, and one sequential read of the log costs PostgreSQL a fraction of looking each batch's keys up in
     * its index. Read-only; when both keys are integers it is an {@link IntegerKeyMap}.
     */
    public Map<String, String> readLog(Connection c, String step, int expected) throws SQLException {
        LogTable t = log(step);
        if (t == null) {
            return new HashMap<>();
        }
        CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + t.name() + " (source_key, target_key) TO STDOUT");
        byte[] line;
        if (t.integerSourceKey() && t.integerTargetKey()) {
            IntegerKeyMap out = new IntegerKeyMap(expected);
            while ((line = copy.readFromCopy()) != null) {
                CopyLine l = CopyLine.split(line, 2);
                out.put(integer(line, l.start(0), l.end(0)), integer(line, l.start(1), l.end(1)));
            }
            return out;
        }
        Map<String, String> out = new HashMap<>(Math.max(16, expected * 4 / 3 + 1));
        while ((line = copy.readFromCopy()) != null) {
            CopyLine l = CopyLine.split(line, 2);
            out.put(l.text(0), l.text(1));
        }
        return out;
    }

    /** The integer COPY text {@code line[from, to)} holds. */
    private static long integer(byte[] line, int from, int to) {
        boolean negative = line[from] == '-';
        long v = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            v = v * 10 - (line[i] - '0'); // accumulated negative, so Long.MIN_VALUE fits
        }
        return negative ? v : -v;
    }

    /** Adds log entries (source key, target key) for rows just inserted. */
    public void insertLog(Connection c, String step, List<String[]> pairs, long runId, Window w) throws SQLException {
        if (pairs.isEmpty()) {
            return;
        }
        LogTable t = existingLog(step);
        LocalDateTime now = LocalDateTime.now(java.time.ZoneOffset.UTC);
        if (target.dialect() == Dialect.POSTGRES) {
            // binary: the server stores the entries without parsing keys and three timestamps each
            BinaryCopy data = new BinaryCopy(pairs.size() * 64);
            Long since = BinaryCopy.micros(w.since());
            Long until = BinaryCopy.micros(w.until());
            Long at = BinaryCopy.micros(now);
            for (String[] p : pairs) {
                data.row(6);
                key(data, p[0], t.integerSourceKey());
                key(data, p[1], t.integerTargetKey());
                data.timestamp(since).timestamp(until).int8(runId).timestamp(at);
            }
            data.copyInto(c, t.name(), "source_key, target_key, window_since, window_until, run_id, migrated_at");
            return;
        }
        int per = 6;
        int max = 1000;
        for (int from = 0; from < pairs.size(); from += max) {
            List<String[]> part = pairs.subList(from, Math.min(pairs.size(), from + max));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.name()
                    + " (source_key, target_key, window_since, window_until, run_id, migrated_at) VALUES "
                    + Sql.rows(part.size(), per))) {
                int i = 1;
                for (String[] p : part) {
                    Values.bind(ps, i++, p[0], t.sourceSqlType());
                    Values.bind(ps, i++, p[1], t.targetSqlType());
                    ps.setObject(i++, w.since());
                    ps.setObject(i++, w.until());
                    ps.setLong(i++, runId);
                    ps.setObject(i++, now);
                }
                ps.executeUpdate();
            }
        }
    }

    /** Marks existing log entries as migrated again by this run and window. */
    public void touchLog(Connection c, String step, Collection<String> sourceKeys, long runId, Window w) throws SQLException {
        if (sourceKeys.isEmpty()) {
            return;
        }
        LogTable t = existingLog(step);
        LocalDateTime now = LocalDateTime.now(java.time.ZoneOffset.UTC);
        if (target.dialect() == Dialect.POSTGRES) {
            KeyList in = KeyList.of(Dialect.POSTGRES, sourceKeys.size(), CHUNK);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.name()
                    + " SET window_since = ?, window_until = ?, run_id = ?, migrated_at = ? WHERE "
                    + in.condition("source_key"))) {
                ps.setObject(1, w.since());
                ps.setObject(2, w.until());
                ps.setLong(3, runId);
                ps.setObject(4, now);
                in.bind(c, ps, 5, new ArrayList<>(sourceKeys), t.sourceSqlType());
                ps.executeUpdate();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.name()
                + " SET window_since = ?, window_until = ?, run_id = ?, migrated_at = ? WHERE source_key = ?")) {
            for (String k : sourceKeys) {
                ps.setObject(1, w.since());
                ps.setObject(2, w.until());
                ps.setLong(3, runId);
                ps.setObject(4, now);
                Values.bind(ps, 5, k, t.sourceSqlType());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void deleteLog(Connection c, String step, Collection<String> sourceKeys) throws SQLException {
        LogTable t = existingLog(step);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.name() + " WHERE source_key = ?")) {
            for (String k : sourceKeys) {
                Values.bind(ps, 1, k, t.sourceSqlType());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The source keys of {@code step} that run {@code runId} wrote or updated (the run's own log entries). */
    public java.util.Set<String> keysOfRun(String step, long runId) {
        java.util.Set<String> out = new java.util.HashSet<>();
        LogTable t = log(step);
        if (t == null) {
            return out;
        }
        try (Connection c = target.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT source_key FROM " + t.name() + " WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw target.failure("reading the migration log of step " + step, e);
        }
        return out;
    }

    /** Whether the log has any entry of {@code step}. */
    public boolean hasEntries(String step) {
        LogTable t = log(step);
        if (t == null) {
            return false;
        }
        try (Connection c = target.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT source_key FROM " + t.name())) {
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw target.failure("reading the migration log", e);
        }
    }

    /** Number of log entries of a step. */
    public long logCount(Connection c, String step) throws SQLException {
        LogTable t = log(step);
        if (t == null) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + t.name())) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * On PostgreSQL, gathers the planner statistics of the steps' migration logs when it has none or a tenth of it changed since
     * (autovacuum may not have got to it after a large run). Without them the planner takes the log for a few
     * hundred rows, and verify's whole-table check of a 400k-row step built its hash three times over (0.6 s, against
     * 0.2 s with statistics).
     */
    public void refreshStatistics(Collection<String> steps) {
        if (target.dialect() != Dialect.POSTGRES) {
            return;
        }
        try (Connection c = target.connection(); Statement st = c.createStatement()) {
            for (String step : steps) {
                LogTable t = log(step);
                if (t == null) {
                    continue;
                }
                boolean stale;
                try (ResultSet rs = st.executeQuery("SELECT n_mod_since_analyze > n_live_tup / 10"
                        + " OR (last_analyze IS NULL AND last_autoanalyze IS NULL) FROM pg_stat_user_tables"
                        + " WHERE relid = '" + t.name() + "'::regclass")) {
                    stale = rs.next() && rs.getBoolean(1);
                }
                if (stale) {
                    st.execute("ANALYZE " + t.name());
                }
            }
        } catch (SQLException e) {
            throw target.failure("gathering the migration log's statistics", e);
        }
    }

    /** The log table of a step that is being written to (created by {@link #ensure}). */
    private LogTable existingLog(String step) throws SQLException {
        LogTable t = log(step);
        if (t == null) {
            throw new SQLException("the migration log of step '" + step + "' (" + LogTable.nameOf(step) + ") is missing");
        }
        return t;
    }

    private static void key(BinaryCopy data, String key, boolean integer) {
        if (integer) {
            data.int8(Long.parseLong(key.trim()));
        } else {
            data.text(key);
        }
    }}

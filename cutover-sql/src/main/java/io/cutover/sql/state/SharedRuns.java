package io.cutover.sql.state;

import io.cutover.sql.db.Database;
import io.cutover.sql.db.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs shared by several workers, in the target: which run a window's workers join ({@code cutover_shared_runs},
 * keyed by the window, so the first to arrive makes it and the others find it) and the run's units with who holds
 * each ({@code cutover_run_units}). A worker takes a unit under a lease it renews while it works; a unit whose lease
 * ran out (its worker died) is taken again by another.
 */
public final class SharedRuns {
    public static final String RUNS = "cutover_shared_runs";
    public static final String UNITS = "cutover_run_units";
    private static final String COLUMNS = "run_id, step, kind, shard, shards, key_from, key_to, status, worker, claimed_at, "
            + "lease_until, attempts, fresh, rows_read, inserted, updated, deleted, row_errors, duration_ms";

    private final Database target;

    public SharedRuns(Database target) {
        this.target = target;
    }

    /** Creates the tables when missing (the caller's statement). */
    void ensure(Statement st) throws SQLException {
        String ts = target.dialect().timestampType();
        st.execute("CREATE TABLE IF NOT EXISTS " + RUNS + " (window_key VARCHAR(200) NOT NULL PRIMARY KEY, run_id BIGINT NOT NULL, "
                + "workers_total INT NOT NULL, shard_by VARCHAR(16) NOT NULL, created_at " + ts + " NOT NULL)");
        st.execute("CREATE TABLE IF NOT EXISTS " + UNITS + " (run_id BIGINT NOT NULL, step VARCHAR(100) NOT NULL, "
                + "kind VARCHAR(16) NOT NULL, shard INT NOT NULL, shards INT NOT NULL, key_from BIGINT NULL, key_to BIGINT NULL, "
                + "status VARCHAR(16) NOT NULL, worker VARCHAR(200) NULL, claimed_at " + ts + " NULL, lease_until BIGINT NOT NULL, "
                + "attempts INT NOT NULL, fresh BOOLEAN NOT NULL, rows_read BIGINT NOT NULL, inserted BIGINT NOT NULL, "
                + "updated BIGINT NOT NULL, deleted BIGINT NOT NULL, row_errors BIGINT NOT NULL, duration_ms BIGINT NOT NULL, "
                + "PRIMARY KEY (run_id, step, kind, shard))");
    }

    public boolean exists() {
        return target.hasTable(UNITS);
    }

    /** A window's shared run as its first worker made it: how many workers and how its steps are split. */
    public record Registered(long runId, int workersTotal, String shardBy) {
    }

    /** The run the window's workers share, if one was made. */
    public Optional<Registered> find(String windowKey) {
        try (Connection c = target.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT run_id, workers_total, shard_by FROM " + RUNS + " WHERE window_key = ?")) {
            ps.setString(1, windowKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Registered(rs.getLong(1), rs.getInt(2), rs.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw target.failure("reading the shared runs", e);
        }
    }

    /**
     * Registers run {@code runId} as the window's shared run with its units, in the caller's transaction; fails
     * (a duplicate key) when another worker registered the window first.
     */
    public void register(Connection c, String windowKey, long runId, int workersTotal, String shardBy, List<WorkUnit> units)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RUNS
                + " (window_key, run_id, workers_total, shard_by, created_at) VALUES (?,?,?,?,?)")) {
            ps.setString(1, windowKey);
            ps.setLong(2, runId);
            ps.setInt(3, workersTotal);
            ps.setString(4, shardBy);
            ps.setObject(5, LocalDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + UNITS + " (" + COLUMNS + ") VALUES "
                + "(?,?,?,?,?,?,?,?,NULL,NULL,0,0,?,0,0,0,0,0,0)")) {
            for (WorkUnit u : units) {
                ps.setLong(1, runId);
                ps.setString(2, u.step());
                ps.setString(3, u.kind().name());
                ps.setInt(4, u.shard());
                ps.setInt(5, u.shards());
                ps.setObject(6, u.keyFrom(), java.sql.Types.BIGINT);
                ps.setObject(7, u.keyTo(), java.sql.Types.BIGINT);
                ps.setString(8, WorkUnit.Status.WAITING.name());
                ps.setBoolean(9, u.fresh());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Every unit of run {@code runId}. */
    public List<WorkUnit> units(long runId) {
        List<WorkUnit> out = new ArrayList<>();
        try (Connection c = target.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + UNITS + " WHERE run_id = ? ORDER BY step, kind, shard")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp at = rs.getTimestamp(10);
                    out.add(new WorkUnit(rs.getLong(1), rs.getString(2), WorkUnit.Kind.valueOf(rs.getString(3)), rs.getInt(4),
                            rs.getInt(5), (Long) rs.getObject(6, Long.class), (Long) rs.getObject(7, Long.class),
                            WorkUnit.Status.valueOf(rs.getString(8)), rs.getString(9), at == null ? null : at.toLocalDateTime(),
                            rs.getLong(11), rs.getInt(12), rs.getBoolean(13), rs.getLong(14), rs.getLong(15), rs.getLong(16),
                            rs.getLong(17), rs.getLong(18), rs.getLong(19)));
                }
            }
        } catch (SQLException e) {
            throw target.failure("reading the units of run " + runId, e);
        }
        return out;
    }

    /** How many workers each shared run was made for, by run id (runs of one worker are not listed). */
    public java.util.Map<Long, Integer> workersByRun() {
        java.util.Map<Long, Integer> out = new java.util.HashMap<>();
        if (!target.hasTable(RUNS)) {
            return out;
        }
        try (Connection c = target.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT run_id, workers_total FROM " + RUNS)) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw target.failure("reading the shared runs", e);
        }
        return out;
    }

    /** The units of the latest shared run (empty when there is none). */
    public List<WorkUnit> latestUnits() {
        try (Connection c = target.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MAX(run_id) FROM " + UNITS)) {
            rs.next();
            long run = rs.getLong(1);
            return rs.wasNull() ? List.of() : units(run);
        } catch (SQLException e) {
            throw target.failure("reading the shared runs", e);
        }
    }

    /**
     * Takes {@code u} for {@code worker} until {@code leaseMs} from now, when it is still free (waiting, or its
     * holder's lease ran out); false when another worker has it. PostgreSQL and MariaDB lock the row with
     * {@code FOR UPDATE SKIP LOCKED}, so a worker never waits on another's claim; H2 relies on the conditional
     * UPDATE, which only one of two racing workers can make change a row.
     */
    public boolean claim(WorkUnit u, String worker, long leaseMs) {
        long now = System.currentTimeMillis();
        try (Connection c = target.connection()) {
            c.setAutoCommit(false);
            try {
                if (target.dialect() != Dialect.H2) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT status FROM " + UNITS
                            + " WHERE run_id = ? AND step = ? AND kind = ? AND shard = ? AND (status = ? OR (status = ? AND lease_until < ?))"
                            + " FOR UPDATE SKIP LOCKED")) {
                        bindFree(ps, u, now);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                c.rollback();
                                return false;
                            }
                        }
                    }
                }
                int n;
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + UNITS + " SET status = ?, worker = ?, claimed_at = ?, "
                        + "lease_until = ?, attempts = attempts + 1 WHERE run_id = ? AND step = ? AND kind = ? AND shard = ? "
                        + "AND (status = ? OR (status = ? AND lease_until < ?))")) {
                    ps.setString(1, WorkUnit.Status.RUNNING.name());
                    ps.setString(2, worker);
                    ps.setObject(3, LocalDateTime.now(ZoneOffset.UTC));
                    ps.setLong(4, now + leaseMs);
                    ps.setLong(5, u.runId());
                    ps.setString(6, u.step());
                    ps.setString(7, u.kind().name());
                    ps.setInt(8, u.shard());
                    ps.setString(9, WorkUnit.Status.WAITING.name());
                    ps.setString(10, WorkUnit.Status.RUNNING.name());
                    ps.setLong(11, now);
                    n = ps.executeUpdate();
                }
                c.commit();
                return n == 1;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw target.failure("claiming " + u.label(), e);
        }
    }

    private static void bindFree(PreparedStatement ps, WorkUnit u, long now) throws SQLException {
        ps.setLong(1, u.runId());
        ps.setString(2, u.step());
        ps.setString(3, u.kind().name());
        ps.setInt(4, u.shard());
        ps.setString(5, WorkUnit.Status.WAITING.name());
        ps.setString(6, WorkUnit.Status.RUNNING.name());
        ps.setLong(7, now);
    }

    /** Extends {@code worker}'s lease on {@code u}; false when it no longer holds it. */
    public boolean renew(WorkUnit u, String worker, long leaseMs) {
        return update("lease_until = " + (System.currentTimeMillis() + leaseMs), u, worker, "renewing the lease of " + u.label());
    }

    /** Gives {@code u} up at once (its work failed): another worker may take it now. */
    public void release(WorkUnit u, String worker) {
        update("lease_until = 0", u, worker, "releasing " + u.label());
    }

    /** Marks {@code u} done with what it did; false when {@code worker} no longer held it. */
    public boolean done(Connection c, WorkUnit u, String worker, long read, long inserted, long updated, long deleted,
                        long errors, long ms) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + UNITS + " SET status = ?, rows_read = ?, inserted = ?, "
                + "updated = ?, deleted = ?, row_errors = ?, duration_ms = ? WHERE run_id = ? AND step = ? AND kind = ? "
                + "AND shard = ? AND worker = ? AND status = ?")) {
            ps.setString(1, WorkUnit.Status.DONE.name());
            ps.setLong(2, read);
            ps.setLong(3, inserted);
            ps.setLong(4, updated);
            ps.setLong(5, deleted);
            ps.setLong(6, errors);
            ps.setLong(7, ms);
            ps.setLong(8, u.runId());
            ps.setString(9, u.step());
            ps.setString(10, u.kind().name());
            ps.setInt(11, u.shard());
            ps.setString(12, worker);
            ps.setString(13, WorkUnit.Status.RUNNING.name());
            return ps.executeUpdate() == 1;
        }
    }

    private boolean update(String set, WorkUnit u, String worker, String what) {
        try (Connection c = target.connection(); PreparedStatement ps = c.prepareStatement("UPDATE " + UNITS + " SET " + set
                + " WHERE run_id = ? AND step = ? AND kind = ? AND shard = ? AND worker = ? AND status = ?")) {
            ps.setLong(1, u.runId());
            ps.setString(2, u.step());
            ps.setString(3, u.kind().name());
            ps.setInt(4, u.shard());
            ps.setString(5, worker);
            ps.setString(6, WorkUnit.Status.RUNNING.name());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw target.failure(what, e);
        }
    }
}

package io.cutover.sql.state;

import io.cutover.sql.db.Database;
import io.cutover.sql.db.Dialect;
import io.cutover.sql.plan.Window;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The run history in the target database: each run (its window, scope and outcome), each step's counts in it,
 * and the row errors it recorded.
 */
public final class RunHistory {
    public static final String RUNS = "cutover_runs";
    public static final String RUN_STEPS = "cutover_run_steps";
    public static final String ERRORS = "cutover_errors";

    private final Database target;

    RunHistory(Database target) {
        this.target = target;
    }

    /** Creates the history's tables when they are missing (the caller's statement, in the target). */
    void ensure(Statement st) throws SQLException {
        Dialect d = target.dialect();
        String ts = d.timestampType();
        List<String> ddl = List.of(
                "CREATE TABLE IF NOT EXISTS " + RUNS + " (id " + d.identityColumn() + " PRIMARY KEY, since_at " + ts
                        + " NULL, until_at " + ts + " NULL, scope VARCHAR(2000) NULL, started_at " + ts + " NOT NULL, "
                        + "finished_at " + ts + " NULL, status VARCHAR(32) NOT NULL, rows_written BIGINT NOT NULL, "
                        + "row_errors BIGINT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + RUN_STEPS + " (run_id BIGINT NOT NULL, step VARCHAR(100) NOT NULL, "
                        + "rows_read BIGINT NOT NULL, inserted BIGINT NOT NULL, updated BIGINT NOT NULL, deleted BIGINT NOT NULL, "
                        + "row_errors BIGINT NOT NULL, duration_ms BIGINT NOT NULL, PRIMARY KEY (run_id, step))",
                "CREATE TABLE IF NOT EXISTS " + ERRORS + " (id " + d.identityColumn() + " PRIMARY KEY, run_id BIGINT NOT NULL, "
                        + "step VARCHAR(100) NOT NULL, source_key VARCHAR(200) NULL, kind VARCHAR(32) NOT NULL, "
                        + "message VARCHAR(2000) NOT NULL, source_row " + d.textType() + " NULL, recorded_at " + ts + " NOT NULL)");
        for (String sql : ddl) {
            st.execute(sql);
        }
    }

    /** Whether the history's tables exist (read-only commands say "no runs yet" otherwise). */
    public boolean exists() {
        return target.hasTable(RUNS);
    }

    /** Records the start of a run and returns its id. */
    public long startRun(Window window, String scope) {
        try (Connection c = target.connection()) {
            return startRun(c, window, scope);
        } catch (SQLException e) {
            throw target.failure("recording the run", e);
        }
    }

    /** {@link #startRun(Window, String)} in the caller's transaction. */
    public long startRun(Connection c, Window window, String scope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + RUNS + " (since_at, until_at, scope, started_at, status, rows_written, row_errors) "
                        + "VALUES (?,?,?,?,?,0,0)", new String[] {"id"})) {
            ps.setObject(1, window.since());
            ps.setObject(2, window.until());
            ps.setString(3, scope);
            ps.setObject(4, LocalDateTime.now(java.time.ZoneOffset.UTC));
            ps.setString(5, RunRecord.RUNNING);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Ends a running run in the caller's transaction; false when it is not running any more (another worker of a
     * shared run ended it first).
     */
    public boolean finishRunning(Connection c, long runId, String status, long rows, long errors) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + RUNS + " SET finished_at = ?, status = ?, rows_written = ?, "
                + "row_errors = ? WHERE id = ? AND status = ?")) {
            ps.setObject(1, LocalDateTime.now(java.time.ZoneOffset.UTC));
            ps.setString(2, status);
            ps.setLong(3, rows);
            ps.setLong(4, errors);
            ps.setLong(5, runId);
            ps.setString(6, RunRecord.RUNNING);
            return ps.executeUpdate() == 1;
        }
    }

    /** The run {@code runId}, or null. */
    public RunRecord run(long runId) {
        return runs().stream().filter(r -> r.id() == runId).findFirst().orElse(null);
    }

    public void finishRun(long runId, String status, long rows, long errors) {
        try (Connection c = target.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE " + RUNS + " SET finished_at = ?, status = ?, rows_written = ?, row_errors = ? WHERE id = ?")) {
            ps.setObject(1, LocalDateTime.now(java.time.ZoneOffset.UTC));
            ps.setString(2, status);
            ps.setLong(3, rows);
            ps.setLong(4, errors);
            ps.setLong(5, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw target.failure("recording the end of run " + runId, e);
        }
    }

    public void recordStep(StepRecord r) {
        try (Connection c = target.connection()) {
            recordStep(c, r);
        } catch (SQLException e) {
            throw target.failure("recording step " + r.step(), e);
        }
    }

    /** {@link #recordStep(StepRecord)} in the caller's transaction. */
    public void recordStep(Connection c, StepRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + RUN_STEPS + " (run_id, step, rows_read, inserted, updated, deleted, row_errors, duration_ms) "
                        + "VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setLong(1, r.runId());
            ps.setString(2, r.step());
            ps.setLong(3, r.read());
            ps.setLong(4, r.inserted());
            ps.setLong(5, r.updated());
            ps.setLong(6, r.deleted());
            ps.setLong(7, r.errors());
            ps.setLong(8, r.durationMs());
            ps.executeUpdate();
        }
    }

    /** Where the last completed full (not --only) window ended, or null. */
    public LocalDateTime lastCompletedUntil() {
        if (!exists()) {
            return null;
        }
        try (Connection c = target.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT MAX(until_at) FROM " + RUNS + " WHERE scope IS NULL AND status IN (?, ?)")) {
            ps.setString(1, RunRecord.COMPLETED);
            ps.setString(2, RunRecord.COMPLETED_WITH_ERRORS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp t = rs.getTimestamp(1);
                return t == null ? null : t.toLocalDateTime();
            }
        } catch (SQLException e) {
            throw target.failure("reading the runs", e);
        }
    }

    public void recordErrors(Connection c, List<RowError> errors) throws SQLException {
        if (errors.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + ERRORS + " " + RowError.COLUMNS)) {
            for (RowError e : errors) {
                e.bind(ps);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** All runs, oldest first. */
    public List<RunRecord> runs() {
        List<RunRecord> out = new ArrayList<>();
        if (!exists()) {
            return out;
        }
        try (Connection c = target.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT id, since_at, until_at, scope, started_at, finished_at, status, rows_written, row_errors FROM "
                        + RUNS + " ORDER BY id")) {
            while (rs.next()) {
                out.add(new RunRecord(rs.getLong(1), time(rs, 2), time(rs, 3), rs.getString(4), time(rs, 5), time(rs, 6),
                        rs.getString(7), rs.getLong(8), rs.getLong(9)));
            }
        } catch (SQLException e) {
            throw target.failure("reading the runs", e);
        }
        return out;
    }

    /** Per-step results of every run, oldest first. */
    public List<StepRecord> stepRecords() {
        List<StepRecord> out = new ArrayList<>();
        if (!exists()) {
            return out;
        }
        try (Connection c = target.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT run_id, step, rows_read, inserted, updated, deleted, row_errors, duration_ms FROM " + RUN_STEPS
                        + " ORDER BY run_id, step")) {
            while (rs.next()) {
                out.add(new StepRecord(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8)));
            }
        } catch (SQLException e) {
            throw target.failure("reading the run steps", e);
        }
        return out;
    }

    /** Recorded row errors, of one run or (runId null) of all runs. */
    public List<RowError> errors(Long runId) {
        List<RowError> out = new ArrayList<>();
        if (!exists()) {
            return out;
        }
        try (Connection c = target.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT run_id, step, source_key, kind, message, source_row, recorded_at FROM " + ERRORS
                        + (runId == null ? "" : " WHERE run_id = ?") + " ORDER BY id")) {
            if (runId != null) {
                ps.setLong(1, runId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RowError(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), time(rs, 7)));
                }
            }
        } catch (SQLException e) {
            throw target.failure("reading the errors", e);
        }
        return out;
    }

    private static LocalDateTime time(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toLocalDateTime();
    }
}

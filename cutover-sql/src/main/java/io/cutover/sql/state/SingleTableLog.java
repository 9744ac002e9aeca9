package io.cutover.sql.state;

import io.cutover.sql.db.Database;
import io.cutover.sql.db.Dialect;
import io.cutover.sql.db.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;

/**
 * The migration log as versions before per-step logs kept it: one table {@code cutover_migration_log} of text keys
 * for every step. Its entries move into the steps' own log tables on the first migrate, step by step, each step's
 * move one transaction, so a run stopped part way moves the rest next time and no entry is lost or doubled.
 */
final class SingleTableLog {
    static final String TABLE = "cutover_migration_log";

    private final Database target;

    SingleTableLog(Database target) {
        this.target = target;
    }

    /** Moves the entries of {@code steps} into their log tables (created already) and drops the table once empty. */
    void moveInto(Collection<StepKeys> steps, MigrationLog log) {
        if (!target.hasTable(TABLE)) {
            return;
        }
        Dialect d = target.dialect();
        try (Connection c = target.connection()) {
            c.setAutoCommit(false);
            for (StepKeys cs : steps) {
                LogTable t = log.log(cs.step());
                String sql = "INSERT INTO " + t.name()
                        + " (source_key, target_key, window_since, window_until, run_id, migrated_at) SELECT "
                        + key(d, "source_key", t.integerSourceKey()) + ", " + key(d, "target_key", t.integerTargetKey())
                        + ", window_since, window_until, run_id, migrated_at FROM " + TABLE + " WHERE step = ?";
                try (PreparedStatement move = c.prepareStatement(sql);
                     PreparedStatement forget = c.prepareStatement("DELETE FROM " + TABLE + " WHERE step = ?")) {
                    move.setString(1, cs.step());
                    move.executeUpdate();
                    forget.setString(1, cs.step());
                    forget.executeUpdate();
                }
                c.commit();
            }
            boolean empty;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
                rs.next();
                empty = rs.getLong(1) == 0;
            }
            c.commit();
            if (empty) {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE " + TABLE);
                }
                c.commit();
            }
        } catch (SQLException e) {
            throw target.failure("moving the migration log into per-step tables", e);
        }
    }

    /** Whether the old table still holds entries of any of {@code steps}. */
    boolean holdsAny(Collection<String> steps) {
        if (steps.isEmpty() || !target.hasTable(TABLE)) {
            return false;
        }
        try (Connection c = target.connection(); PreparedStatement ps = c.prepareStatement("SELECT step FROM " + TABLE
                + " WHERE step IN (" + Sql.marks(steps.size()) + ")")) {
            ps.setMaxRows(1);
            int i = 1;
            for (String s : steps) {
                ps.setString(i++, s);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw target.failure("reading the migration log", e);
        }
    }

    private static String key(Dialect d, String column, boolean integer) {
        // MariaDB converts text to the column's integer type by itself and has no CAST(… AS BIGINT)
        return !integer || d == Dialect.MARIADB ? column : "CAST(" + column + " AS BIGINT)";
    }
}

package io.cutover.sql.migrate;

import io.cutover.sql.db.Dialect;
import io.cutover.sql.db.Values;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;

/**
 * Which column of a row PostgreSQL refused as data ("value too long for type character varying(20)" names no
 * column): each value is written alone into an empty temporary copy of the target table's columns (an assignment,
 * as the real write; an explicit cast would truncate a long text instead of failing), under a savepoint, until one
 * fails as data. Only for rows that already failed, so it costs nothing on the way of the rows that go in.
 */
final class RefusedColumn {
    private final CompiledStep step;

    RefusedColumn(CompiledStep step) {
        this.step = step;
    }

    /** The refused column of {@code row} (values in target column order), or null when none is found or it does not apply. */
    String find(Connection c, Dialect dialect, SQLException refusal, Object[] row) {
        String state = refusal.getSQLState();
        if (dialect != Dialect.POSTGRES || state == null || !state.startsWith("22")) {
            return null;
        }
        String probe = "cutover_probe_" + step.name();
        Savepoint outer = null;
        try {
            outer = c.setSavepoint();
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE IF NOT EXISTS " + probe + " (LIKE " + step.step().into() + ")");
                st.execute("ALTER TABLE " + probe + " " + String.join(", ", step.targetColumns().stream()
                        .map(col -> "ALTER COLUMN " + col + " DROP NOT NULL").toList()));
            }
            List<String> cols = step.targetColumns();
            for (int i = 0; i < cols.size(); i++) {
                if (row[i] == null) {
                    continue;
                }
                Savepoint sp = c.setSavepoint();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + probe + " (" + cols.get(i) + ") VALUES (?)")) {
                    Values.bind(ps, 1, row[i], step.targetType(i));
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                        return cols.get(i);
                    }
                } finally {
                    c.rollback(sp);
                }
            }
            return null;
        } catch (SQLException e) {
            return null;
        } finally {
            if (outer != null) {
                try {
                    c.rollback(outer); // the probe table and its rows go; the caller's transaction goes on
                } catch (SQLException ignored) {
                    // the caller's next statement reports a broken connection
                }
            }
        }
    }
}

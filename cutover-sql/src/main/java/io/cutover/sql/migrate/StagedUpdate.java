package io.cutover.sql.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL updates of many rows at once: the new values are copied into a session-local staging table
 * (emptied at each commit) and applied to the target in one {@code UPDATE … FROM}.
 */
final class StagedUpdate {
    private final String into;
    private final String key;
    private final List<String> columns;
    private final String staging;

    /** Updates {@code columns} of {@code into}, rows found by {@code key}. */
    StagedUpdate(String step, String into, String key, List<String> columns) {
        this.into = into;
        this.key = key;
        this.columns = List.copyOf(columns);
        this.staging = "cutover_upd_" + step;
    }

    /** The staging table's name, created on this connection if needed; COPY (key, columns…) into it next. */
    String prepare(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS " + staging + " ON COMMIT DELETE ROWS AS SELECT "
                    + String.join(", ", stagingColumns()) + " FROM " + into + " WITH NO DATA");
        }
        return staging;
    }

    /** The staging table's columns: the key, then the updated columns. */
    List<String> stagingColumns() {
        List<String> cols = new ArrayList<>(columns.size() + 1);
        cols.add(key);
        cols.addAll(columns);
        return cols;
    }

    /** Applies the staged rows; fails when fewer than {@code expected} target rows exist (a row the log points at is gone). */
    void apply(Connection c, int expected) throws SQLException {
        try (Statement st = c.createStatement()) {
            int n = st.executeUpdate("UPDATE " + into + " t SET "
                    + String.join(", ", columns.stream().map(x -> x + " = u." + x).toList())
                    + " FROM " + staging + " u WHERE t." + key + " = u." + key);
            if (n != expected) {
                throw new SQLException(expected - n + " target row(s) recorded in the migration log are missing", "23000");
            }
        }
    }
}

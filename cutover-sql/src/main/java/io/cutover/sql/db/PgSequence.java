package io.cutover.sql.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The sequence behind a PostgreSQL table's generated key, from which keys are reserved before a COPY. */
public final class PgSequence {
    private PgSequence() {
    }

    /**
     * The sequence of {@code table.column}, or "" when it has none or it is GENERATED ALWAYS (which refuses
     * explicit keys, so such a key keeps the INSERT … RETURNING path).
     */
    public static String of(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_serial_sequence(?, ?), (SELECT a.attidentity "
                + "FROM pg_attribute a WHERE a.attrelid = CAST(? AS regclass) AND a.attname = ?)")) {
            ps.setString(1, table);
            ps.setString(2, column);
            ps.setString(3, table);
            ps.setString(4, column);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1) == null || "a".equals(rs.getString(2)) ? "" : rs.getString(1);
            }
        }
    }

    /** Takes {@code n} values from {@code sequence} (not necessarily contiguous: others may draw at the same time). */
    public static long[] reserve(Connection c, String sequence, int n) throws SQLException {
        long[] ids = new long[n];
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval(CAST(? AS regclass)) FROM generate_series(1, ?)")) {
            ps.setString(1, sequence);
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    ids[i++] = rs.getLong(1);
                }
                if (i != n) {
                    throw new SQLException("the sequence " + sequence + " gave " + i + " keys for " + n + " rows", "XX000");
                }
            }
        }
        return ids;
    }
}

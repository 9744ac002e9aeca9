package io.cutover.sql.db;

import org.postgresql.PGConnection;

import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.List;

/** Writes rows into PostgreSQL with {@code COPY … FROM STDIN} (text format) inside the caller's transaction. */
public final class PgCopy {
    private PgCopy() {
    }

    /** Copies {@code rows} (values in {@code columns} order) into {@code table}; returns the row count. */
    public static long copy(Connection c, String table, List<String> columns, List<Object[]> rows) throws SQLException {
        StringBuilder sb = new StringBuilder(rows.size() * 64);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    sb.append('\t');
                }
                append(sb, row[i]);
            }
            sb.append('\n');
        }
        try {
            return c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN", new StringReader(sb.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("COPY into " + table + ": " + e.getMessage(), "08000", e);
        }
    }

    /** The unescaped text form of a non-null value. */
    static String text(Object v) {
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime().toString();
        } else if (v instanceof BigDecimal d) {
            return d.toPlainString();
        } else if (v instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        return v.toString();
    }

    private static void append(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("\\N");
            return;
        }
        String s = text(v);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(ch);
            }
        }
    }
}

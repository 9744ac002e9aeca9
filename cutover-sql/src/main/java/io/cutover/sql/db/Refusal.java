package io.cutover.sql.db;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Why a database refused a row, in one line and without the row's values: error logs must hold no personal data,
 * and the source row is kept apart (in the errors table) for whoever may see it. PostgreSQL's detail ("Failing row
 * contains …", "Key (email)=(…)") is left out, quoted values are replaced by {@code …}, and H2's echo of the
 * statement is cut.
 */
public final class Refusal {
    private static final Pattern PG_VALUE = Pattern.compile(": \".*\"$");
    /** A quoted value, not a quoted name (MariaDB quotes both: "Data too long for column 'item'"). */
    private static final Pattern QUOTED = Pattern.compile("(?<!(?i:column|key|constraint|table|for) )'(?:[^']|'')*'");
    private static final Pattern CONN = Pattern.compile("^\\(conn=\\d+\\)\\s*");

    private Refusal() {
    }

    /** {@link #describe(SQLException)}, naming {@code column} when the database's message does not. */
    public static String describe(SQLException e, String column) {
        String text = describe(e);
        return column == null || text.toLowerCase(java.util.Locale.ROOT).contains(column.toLowerCase(java.util.Locale.ROOT))
                ? text : "column " + column + ": " + text;
    }

    public static String describe(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            String text = String.valueOf(m.getMessage());
            if (m.getSQLState() != null && m.getSQLState().startsWith("22")) {
                text = PG_VALUE.matcher(text).replaceAll(""); // invalid input syntax for type smallint: "<the value>"
            }
            return (m.getColumn() != null && !text.contains("\"" + m.getColumn() + "\"") ? "column " + m.getColumn() + ": " : "")
                    + oneLine(text);
        }
        String text = String.valueOf(e.getMessage());
        int statement = text.indexOf("; SQL statement:");
        if (statement >= 0) {
            text = text.substring(0, statement);
        }
        text = CONN.matcher(text).replaceAll("");
        text = QUOTED.matcher(text).replaceAll("'…'");
        // H2 shows a too long value after the column: Value too long for column "X": "'…' (7)"
        return oneLine(text);
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}

package io.cutover.sql.db;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A column's type as the database reports it (JDBC type and the database's own name), and how a value of it is
 * read so that every driver hands over the same Java values: instants as {@link OffsetDateTime}, times without zone
 * as {@link LocalDateTime}/{@link LocalDate}/{@link LocalTime} (never through {@link java.sql.Timestamp}, whose
 * conversions take the JVM's time zone), arrays as {@link ArrayValue}, driver objects (json, uuid, domains over
 * them) as their text, and {@code char(n)} without its padding.
 */
public record ColumnType(int sqlType, String name) {
    private static final Set<String> INSTANTS = Set.of("timestamptz", "timestamp with time zone");
    private static final Set<String> FIXED_CHAR = Set.of("bpchar", "char", "character", "nchar");
    private static final Set<String> JSON = Set.of("json", "jsonb");

    public ColumnType {
        name = name == null ? "" : name.toLowerCase(Locale.ROOT);
    }

    /** A point in time: {@code timestamptz}, {@code TIMESTAMP WITH TIME ZONE}. */
    public boolean instant() {
        return sqlType == Types.TIMESTAMP_WITH_TIMEZONE || INSTANTS.contains(name);
    }

    /** A date and time without zone (PostgreSQL {@code timestamp}, MySQL {@code DATETIME}/{@code TIMESTAMP}). */
    public boolean localTimestamp() {
        return sqlType == Types.TIMESTAMP && !instant();
    }

    public boolean integer() {
        return switch (sqlType) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> true;
            default -> false;
        };
    }

    public boolean decimal() {
        return sqlType == Types.NUMERIC || sqlType == Types.DECIMAL;
    }

    public boolean bool() {
        return sqlType == Types.BOOLEAN || (sqlType == Types.BIT && !name.startsWith("bit"));
    }

    /** A blank-padded fixed-length text type, whose trailing spaces are padding, not data. */
    public boolean fixedChar() {
        return FIXED_CHAR.contains(name) || (sqlType == Types.CHAR && !name.contains("enum") && !name.contains("set"));
    }

    public boolean array() {
        return sqlType == Types.ARRAY || name.startsWith("_");
    }

    public boolean json() {
        return JSON.contains(name);
    }

    /** Reads column {@code i} of the current row as described above. */
    public Object read(ResultSet rs, int i) throws SQLException {
        if (instant()) {
            return rs.getObject(i, OffsetDateTime.class);
        }
        switch (sqlType) {
            case Types.TIMESTAMP:
                return rs.getObject(i, LocalDateTime.class);
            case Types.DATE:
                return rs.getObject(i, LocalDate.class);
            case Types.TIME:
                return name.equals("timetz") ? rs.getObject(i, java.time.OffsetTime.class) : rs.getObject(i, LocalTime.class);
            default:
                break;
        }
        Object v = rs.getObject(i);
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof byte[]) {
            return v instanceof String s && fixedChar() ? stripPadding(s) : v;
        }
        if (v instanceof Array a) {
            try {
                return ArrayValue.of((Object[]) a.getArray());
            } finally {
                a.free();
            }
        }
        if (v instanceof Blob b) {
            return b.getBytes(1, (int) b.length());
        }
        if (v instanceof Clob c) {
            return c.getSubString(1, (int) c.length());
        }
        if (v instanceof UUID || v instanceof org.postgresql.util.PGobject) {
            return v.toString();
        }
        return v;
    }

    private static String stripPadding(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }
}

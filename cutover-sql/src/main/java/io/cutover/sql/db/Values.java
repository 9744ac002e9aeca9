package io.cutover.sql.db;

import java.math.BigDecimal;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;

/** Moving values between databases: conversion to the target column's type, and comparison for verify. */
public final class Values {
    private Values() {
    }

    /** Converts text keys (from the log or the command line) to the column's type; other values pass through. */
    public static Object toType(Object v, int sqlType) {
        if (!(v instanceof String s)) {
            return v;
        }
        return switch (sqlType) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Long.valueOf(s.trim());
            case Types.NUMERIC, Types.DECIMAL -> new BigDecimal(s.trim());
            default -> s;
        };
    }

    /** Binds {@code v} at {@code i}, converted to {@code sqlType}. */
    public static void bind(PreparedStatement ps, int i, Object v, int sqlType) throws SQLException {
        if (v == null) {
            ps.setNull(i, sqlType == Types.OTHER || sqlType == Types.ARRAY ? Types.NULL : sqlType);
        } else if (v instanceof ArrayValue a) {
            if (ps.isWrapperFor(org.postgresql.PGStatement.class)) {
                ps.setObject(i, a.literal(), Types.OTHER); // the server reads the literal as the column's array type
            } else {
                ps.setObject(i, a.elements().toArray());
            }
        } else {
            ps.setObject(i, toType(v, sqlType));
        }
    }

    /**
     * Converts a value read from the source ({@link ColumnType#read}) to what the target column takes. Times without
     * zone are in {@code zone}: a {@code timestamp} becomes an instant there, an instant becomes the wall-clock time
     * there; the rest is what drivers do not convert by themselves (booleans into integers, a {@code SET} or array
     * text into an array, a date into a timestamp). Throws IllegalArgumentException (or a parse error) when it cannot.
     */
    public static Object convert(Object v, ColumnType target, ZoneId zone) {
        if (v == null) {
            return null;
        }
        if (target.instant()) {
            if (v instanceof LocalDateTime l) {
                return l.atZone(zone).toOffsetDateTime();
            }
            if (v instanceof LocalDate d) {
                return d.atStartOfDay(zone).toOffsetDateTime();
            }
            return v;
        }
        if (target.localTimestamp()) {
            if (v instanceof OffsetDateTime o) {
                return o.atZoneSameInstant(zone).toLocalDateTime();
            }
            if (v instanceof LocalDate d) {
                return d.atStartOfDay();
            }
            return v;
        }
        if (target.array()) {
            return v instanceof String s ? ArrayValue.parse(s) : v;
        }
        if (target.integer()) {
            if (v instanceof Boolean b) {
                return b ? 1L : 0L;
            }
            if (v instanceof BigDecimal d) {
                return d.longValueExact();
            }
            if (v instanceof java.math.BigInteger b) {
                return b.longValueExact();
            }
        }
        if (target.bool() && v instanceof Number n && !(v instanceof BigDecimal)) {
            return n.longValue() != 0;
        }
        if (v instanceof ArrayValue a && !target.array()) {
            return a.literal();
        }
        return toType(v, target.sqlType());
    }

    /** A value's kind for messages that must not show the value: "text", "number", "date/time"… */
    public static String typeName(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof CharSequence) {
            return "text";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof java.time.temporal.Temporal) {
            return "date/time";
        }
        return v.getClass().getSimpleName();
    }

    /** The text form used for keys in the migration log. */
    public static String key(Object v) {
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        return v == null ? null : v.toString();
    }

    /** A canonical text form so values read from different databases compare equal when they mean the same. */
    public static String canonical(Object v) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return Long.toString(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return canonical(new BigDecimal(n.toString()));
        }
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime().toString();
        }
        if (v instanceof OffsetDateTime o) {
            return o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().toString();
        }
        if (v instanceof LocalDateTime l) {
            return l.toString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof ArrayValue a) {
            List<String> out = new ArrayList<>(a.elements().size());
            for (String e : a.elements()) {
                out.add(e);
            }
            return out.toString();
        }
        if (v instanceof java.util.UUID || v instanceof org.postgresql.util.PGobject) {
            return v.toString();
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (v instanceof Clob c) {
            return c.getSubString(1, (int) c.length());
        }
        return v.toString();
    }

    /** Whether an expected and an actual canonical value mean the same (booleans stored as 0/1 included). */
    public static boolean same(String expected, String actual) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        if (expected.equals(actual)) {
            return true;
        }
        return bool(expected) != null && bool(expected).equals(bool(actual));
    }

    /** {@link #same(String, String)}, with json values compared as json (key order and spacing aside). */
    public static boolean same(String expected, String actual, ColumnType type) {
        if (same(expected, actual)) {
            return true;
        }
        if (type.json() && expected != null && actual != null) {
            try {
                var mapper = io.cutover.core.output.Json.mapper();
                return mapper.readTree(expected).equals(mapper.readTree(actual));
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return false;
    }

    private static Boolean bool(String s) {
        return switch (s) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** A JSON-friendly form of a source value (for the errors table). */
    public static Object jsonable(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof BigDecimal || v instanceof Double || v instanceof Float) {
            return v;
        }
        try {
            return canonical(v);
        } catch (SQLException e) {
            return String.valueOf(v);
        }
    }
}

package io.cutover.sql.db;

import java.math.BigDecimal;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
            ps.setNull(i, sqlType == Types.OTHER ? Types.NULL : sqlType);
        } else {
            ps.setObject(i, toType(v, sqlType));
        }
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

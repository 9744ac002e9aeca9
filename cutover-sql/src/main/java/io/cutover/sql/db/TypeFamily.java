package io.cutover.sql.db;

import java.sql.Types;

/**
 * The broad kind of a column's values, for telling before a run which source → target pairs cannot convert whatever
 * the data (a date into an integer); pairs that convert for some values only (text into a number) are left to the
 * row errors.
 */
public enum TypeFamily {
    NUMBER, BOOLEAN, TEMPORAL, BINARY, ARRAY, OTHER;

    public static TypeFamily of(ColumnType t) {
        if (t.array()) {
            return ARRAY;
        }
        if (t.bool()) {
            return BOOLEAN;
        }
        if (t.integer() || t.decimal()) {
            return NUMBER;
        }
        return switch (t.sqlType()) {
            case Types.FLOAT, Types.DOUBLE, Types.REAL -> NUMBER;
            case Types.DATE, Types.TIME, Types.TIMESTAMP, Types.TIME_WITH_TIMEZONE, Types.TIMESTAMP_WITH_TIMEZONE -> TEMPORAL;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
            default -> OTHER;
        };
    }

    /** Whether no value of this family converts into {@code target}. */
    public boolean neverConvertsTo(TypeFamily target) {
        if (this == OTHER || target == OTHER || this == target) {
            return false;
        }
        return switch (this) {
            case NUMBER -> target == TEMPORAL || target == BINARY || target == ARRAY;
            case BOOLEAN -> target == TEMPORAL || target == BINARY || target == ARRAY;
            case TEMPORAL -> target == NUMBER || target == BOOLEAN || target == BINARY || target == ARRAY;
            case BINARY, ARRAY -> true;
            default -> false;
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace("temporal", "date/time");
    }
}

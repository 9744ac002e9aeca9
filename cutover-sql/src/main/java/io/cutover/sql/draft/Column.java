package io.cutover.sql.draft;

/**
 * One column as the database's catalog describes it.
 *
 * @param jdbcType  a {@link java.sql.Types} constant
 * @param typeName  the database's own name of the type (e.g. "timestamptz", "DATETIME")
 * @param generated the database fills it (identity, auto-increment, serial, or a generated column)
 * @param computed  a generated column, which cannot be written at all
 * @param hasDefault a default value fills it when an insert leaves it out
 */
public record Column(String name, int jdbcType, String typeName, boolean nullable, boolean generated, boolean computed,
                     boolean hasDefault) {
    /** Whether an insert that leaves this column out fails. */
    public boolean required() {
        return !nullable && !generated && !hasDefault;
    }

    /** Whether it holds a point in time or a day (a candidate for a plan's {@code changed}). */
    public boolean isTime() {
        return switch (jdbcType) {
            case java.sql.Types.TIMESTAMP, java.sql.Types.TIMESTAMP_WITH_TIMEZONE, java.sql.Types.DATE -> true;
            default -> false;
        };
    }
}

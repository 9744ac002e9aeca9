package io.cutover.sql.state;

import io.cutover.sql.db.Dialect;

import java.sql.Types;
import java.util.Locale;

/**
 * One step's migration log: a table {@code cutover_log_<step>} of source key → target key, primary key the source
 * key. Integer keys are stored as BIGINT, others as text: keeping a BIGINT primary key up to date costs PostgreSQL
 * about half of what a text one does, and the log is written once for every migrated row.
 */
public record LogTable(String name, boolean integerSourceKey, boolean integerTargetKey) {
    static final String PREFIX = "cutover_log_";

    /** The log table of {@code step} (step names are letters, digits and _, checked when the plan is loaded). */
    public static String nameOf(String step) {
        return PREFIX + step.toLowerCase(Locale.ROOT);
    }

    /** The log table {@code step} needs for its plan's source and target key types. */
    static LogTable of(StepKeys step) {
        return new LogTable(nameOf(step.step()), integer(step.sourceType(), step.sourceTypeName()),
                integer(step.targetType(), step.targetTypeName()));
    }

    /** Whether a key column of this JDBC type and database type name is stored as BIGINT in the log. */
    static boolean integer(int sqlType, String typeName) {
        return switch (sqlType) {
            case Types.INTEGER, Types.SMALLINT, Types.TINYINT -> true;
            // an unsigned BIGINT can exceed a signed one
            case Types.BIGINT -> !typeName.toLowerCase(Locale.ROOT).contains("unsigned");
            default -> false;
        };
    }

    /** The JDBC type source keys are bound as. */
    int sourceSqlType() {
        return integerSourceKey ? Types.BIGINT : Types.VARCHAR;
    }

    int targetSqlType() {
        return integerTargetKey ? Types.BIGINT : Types.VARCHAR;
    }

    /** A condition that this log has an entry whose target key is {@code expr} (a target table's key column). */
    String knowsTarget(Dialect d, String expr) {
        return "EXISTS (SELECT 1 FROM " + name + " l WHERE l.target_key = " + (integerTargetKey ? expr : d.castToText(expr)) + ")";
    }
}

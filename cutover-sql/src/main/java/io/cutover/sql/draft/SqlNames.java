package io.cutover.sql.draft;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How a name is written in one database's SQL: as it is when the database reads it back unquoted as the same
 * name, else quoted (mixed case on PostgreSQL, lower case on H2, spaces, reserved words).
 */
record SqlNames(String quote, Folding folding, Set<String> reserved) {
    enum Folding { LOWER, UPPER, NONE }

    /** Words most databases reserve, beyond what a driver reports as its own. */
    private static final Set<String> COMMON_RESERVED = Set.of("all", "and", "any", "array", "as", "asc", "between",
            "both", "by", "case", "cast", "check", "collate", "column", "constraint", "create", "cross", "current_date",
            "current_time", "current_timestamp", "current_user", "default", "delete", "desc", "distinct", "do", "else",
            "end", "except", "false", "fetch", "for", "foreign", "from", "full", "grant", "group", "having", "in",
            "inner", "insert", "intersect", "into", "is", "join", "key", "leading", "left", "like", "limit", "natural",
            "not", "null", "offset", "on", "only", "or", "order", "outer", "primary", "references", "right", "select",
            "session_user", "some", "table", "then", "to", "trailing", "true", "union", "unique", "update", "user",
            "using", "values", "when", "where", "window", "with");

    static SqlNames of(DatabaseMetaData md) throws SQLException {
        Folding folding = md.storesLowerCaseIdentifiers() ? Folding.LOWER
                : md.storesUpperCaseIdentifiers() ? Folding.UPPER : Folding.NONE;
        Set<String> reserved = new HashSet<>(COMMON_RESERVED);
        String own = md.getSQLKeywords();
        if (own != null) {
            Arrays.stream(own.split(",")).map(w -> w.trim().toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty())
                    .forEach(reserved::add);
        }
        String q = md.getIdentifierQuoteString();
        return new SqlNames(q == null || q.isBlank() ? "\"" : q.trim(), folding, Set.copyOf(reserved));
    }

    /** Whether {@code name} must be quoted to mean itself. */
    boolean needsQuotes(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || reserved.contains(name.toLowerCase(Locale.ROOT))) {
            return true;
        }
        return switch (folding) {
            case LOWER -> !name.equals(name.toLowerCase(Locale.ROOT));
            case UPPER -> !name.equals(name.toUpperCase(Locale.ROOT));
            case NONE -> false;
        };
    }

    /** {@code name} as SQL. */
    String sql(String name) {
        return needsQuotes(name) ? quote + name.replace(quote, quote + quote) + quote : name;
    }
}

package io.cutover.sql.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * A "column is one of these keys" condition for a batch of keys. PostgreSQL gets {@code = ANY(array)}: one
 * parameter, so its plan does not depend on the batch size and always uses the index; the others get an IN
 * list padded to a fixed size (the last key repeated) so the statement text stays the same.
 */
public final class KeyList {
    private final Dialect dialect;
    private final int size;

    private KeyList(Dialect dialect, int size) {
        this.dialect = dialect;
        this.size = size;
    }

    /** A condition for up to {@code keys} keys (small lists are not padded). */
    public static KeyList of(Dialect dialect, int keys, int chunk) {
        return new KeyList(dialect, keys <= 16 ? keys : chunk);
    }

    /** The SQL condition on {@code column}. */
    public String condition(String column) {
        return dialect == Dialect.POSTGRES ? column + " = ANY(?)" : column + " IN (" + Sql.marks(size) + ")";
    }

    /** Binds {@code keys} (text) converted to {@code sqlType} from parameter {@code at}; returns the next index. */
    public int bind(Connection c, PreparedStatement ps, int at, List<String> keys, int sqlType) throws SQLException {
        if (dialect == Dialect.POSTGRES) {
            Object[] values = new Object[keys.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Values.toType(keys.get(i), sqlType);
            }
            ps.setArray(at, c.createArrayOf(pgType(sqlType), values));
            return at + 1;
        }
        for (int i = 0; i < size; i++) {
            Values.bind(ps, at + i, keys.get(Math.min(i, keys.size() - 1)), sqlType);
        }
        return at + size;
    }

    private static String pgType(int sqlType) {
        return switch (sqlType) {
            case Types.BIGINT -> "int8";
            case Types.INTEGER -> "int4";
            case Types.SMALLINT, Types.TINYINT -> "int2";
            case Types.NUMERIC, Types.DECIMAL -> "numeric";
            default -> "varchar";
        };
    }
}

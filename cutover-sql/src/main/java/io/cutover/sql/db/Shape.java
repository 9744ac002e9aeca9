package io.cutover.sql.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The column types of a query's result, found by running it with no rows. */
public final class Shape {
    private final Map<String, Integer> types;
    private final Map<String, String> typeNames;
    private final java.util.Set<String> notNull;

    private Shape(Map<String, Integer> types, Map<String, String> typeNames, java.util.Set<String> notNull) {
        this.types = types;
        this.typeNames = typeNames;
        this.notNull = notNull;
    }

    /** Whether a column may hold NULL (true when the driver cannot tell, as for expressions). */
    public boolean nullable(String column) {
        return !notNull.contains(column.toLowerCase(Locale.ROOT));
    }

    /** Runs {@code select} (which must return no rows, e.g. ends in WHERE 1=0) and reads its columns. */
    public static Shape of(Connection c, String select) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(select)) {
            ResultSetMetaData md = rs.getMetaData();
            Map<String, Integer> types = new LinkedHashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            java.util.Set<String> notNull = new java.util.HashSet<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String label = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
                types.put(label, md.getColumnType(i));
                names.put(label, String.valueOf(md.getColumnTypeName(i)).toLowerCase(Locale.ROOT));
                if (md.isNullable(i) == ResultSetMetaData.columnNoNulls) {
                    notNull.add(label);
                }
            }
            return new Shape(types, names, notNull);
        }
    }

    /** The JDBC type of a column, {@link java.sql.Types#OTHER} when unknown. */
    public int type(String column) {
        return types.getOrDefault(column.toLowerCase(Locale.ROOT), java.sql.Types.OTHER);
    }

    /** A column's type ({@link java.sql.Types#OTHER} and no name when unknown). */
    public ColumnType column(String column) {
        return new ColumnType(type(column), typeName(column));
    }

    /** The database's own name of a column's type (e.g. PostgreSQL's "int8", "timestamptz"), "" when unknown. */
    public String typeName(String column) {
        return typeNames.getOrDefault(column.toLowerCase(Locale.ROOT), "");
    }
}

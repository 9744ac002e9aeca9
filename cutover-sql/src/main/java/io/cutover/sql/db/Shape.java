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

    private Shape(Map<String, Integer> types) {
        this.types = types;
    }

    /** Runs {@code select} (which must return no rows, e.g. ends in WHERE 1=0) and reads its columns. */
    public static Shape of(Connection c, String select) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(select)) {
            ResultSetMetaData md = rs.getMetaData();
            Map<String, Integer> types = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                types.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), md.getColumnType(i));
            }
            return new Shape(types);
        }
    }

    /** The JDBC type of a column, {@link java.sql.Types#OTHER} when unknown. */
    public int type(String column) {
        return types.getOrDefault(column.toLowerCase(Locale.ROOT), java.sql.Types.OTHER);
    }
}

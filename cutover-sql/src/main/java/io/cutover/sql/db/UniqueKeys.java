package io.cutover.sql.db;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The column sets a table's primary key and unique indexes make unique, read from the driver's catalog. */
public final class UniqueKeys {
    private UniqueKeys() {
    }

    /** Whether some primary key or unique index of {@code table} covers only columns among {@code columns}. */
    public static boolean unique(Connection c, String table, List<String> columns) throws SQLException {
        Set<String> wanted = new HashSet<>();
        columns.forEach(col -> wanted.add(col.toLowerCase(Locale.ROOT)));
        for (Set<String> u : of(c, table)) {
            if (!u.isEmpty() && wanted.containsAll(u)) {
                return true;
            }
        }
        return false;
    }

    private static List<Set<String>> of(Connection c, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String schema = null;
        String name = table;
        int dot = table.lastIndexOf('.');
        if (dot > 0) {
            schema = table.substring(0, dot);
            name = table.substring(dot + 1);
        }
        List<Set<String>> out = new ArrayList<>();
        // catalogs store unquoted names in their own case: lower (PostgreSQL), upper (H2), as written (MariaDB)
        for (String n : new LinkedHashSetOf(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)).items) {
            String s = schema == null ? null : n.equals(name.toUpperCase(Locale.ROOT)) ? schema.toUpperCase(Locale.ROOT) : schema;
            Map<String, Set<String>> byIndex = new HashMap<>();
            try (ResultSet rs = md.getIndexInfo(c.getCatalog(), s, n, true, true)) {
                while (rs.next()) {
                    String index = rs.getString("INDEX_NAME");
                    String column = rs.getString("COLUMN_NAME");
                    if (index != null && column != null && !rs.getBoolean("NON_UNIQUE")) {
                        byIndex.computeIfAbsent(index, k -> new HashSet<>()).add(column.toLowerCase(Locale.ROOT));
                    }
                }
            }
            out.addAll(byIndex.values());
            Set<String> pk = new HashSet<>();
            try (ResultSet rs = md.getPrimaryKeys(c.getCatalog(), s, n)) {
                while (rs.next()) {
                    pk.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            out.add(pk);
        }
        return out;
    }

    private static final class LinkedHashSetOf {
        final java.util.LinkedHashSet<String> items = new java.util.LinkedHashSet<>();

        LinkedHashSetOf(String... s) {
            items.addAll(List.of(s));
        }
    }
}

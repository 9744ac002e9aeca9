package io.cutover.sql.draft;

import io.cutover.core.error.CutoverException;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tables of one side, read through JDBC {@link DatabaseMetaData}: those of the connection's current schema
 * (PostgreSQL, H2) or database (MariaDB/MySQL), with how that database writes names.
 */
record Catalog(List<Table> tables, SqlNames names) {
    public Catalog {
        tables = List.copyOf(tables);
    }

    /** Reads the catalog of {@code c}'s current schema; {@code role} names the side in errors. */
    static Catalog read(Connection c, String role) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String catalog = c.getCatalog();
        String schema = schemaOf(c);
        if (catalog == null && schema == null) {
            throw CutoverException.usage(role + ": the URL names no database (add it to the URL, e.g. jdbc:mariadb://host:3306/shop)");
        }
        List<String> names = new ArrayList<>();
        try (ResultSet rs = md.getTables(catalog, schema, "%", new String[] {"TABLE", "PARTITIONED TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        List<Table> tables = new ArrayList<>();
        for (String name : names) {
            tables.add(new Table(name, columns(md, catalog, schema, name), primaryKey(md, catalog, schema, name),
                    foreignKeys(md, catalog, schema, name)));
        }
        return new Catalog(tables, SqlNames.of(md));
    }

    /** The current schema, or null where the database has only catalogs (MariaDB/MySQL). */
    private static String schemaOf(Connection c) throws SQLException {
        try {
            return c.getSchema();
        } catch (SQLException | AbstractMethodError e) {
            return null;
        }
    }

    private static List<Column> columns(DatabaseMetaData md, String catalog, String schema, String table) throws SQLException {
        TreeMap<Integer, Column> out = new TreeMap<>();
        try (ResultSet rs = md.getColumns(catalog, schema, escape(md, table), "%")) {
            while (rs.next()) {
                if (!table.equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                boolean computed = "YES".equalsIgnoreCase(optional(rs, "IS_GENERATEDCOLUMN"));
                boolean auto = "YES".equalsIgnoreCase(optional(rs, "IS_AUTOINCREMENT"));
                String def = rs.getString("COLUMN_DEF");
                String type = rs.getString("TYPE_NAME");
                out.put(rs.getInt("ORDINAL_POSITION"), new Column(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"),
                        type, rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                        auto || computed || (def != null && def.toLowerCase(Locale.ROOT).contains("nextval(")), computed,
                        def != null && !def.equalsIgnoreCase("NULL")));
            }
        }
        return List.copyOf(out.values());
    }

    private static List<String> primaryKey(DatabaseMetaData md, String catalog, String schema, String table) throws SQLException {
        TreeMap<Integer, String> out = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(catalog, schema, table)) {
            while (rs.next()) {
                out.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(out.values());
    }

    private static List<ForeignKey> foreignKeys(DatabaseMetaData md, String catalog, String schema, String table) throws SQLException {
        // one foreign key per name (or, unnamed, per run of key sequence numbers starting at 1)
        Map<String, List<String[]>> byKey = new LinkedHashMap<>();
        int unnamed = 0;
        try (ResultSet rs = md.getImportedKeys(catalog, schema, table)) {
            while (rs.next()) {
                String pkSchema = rs.getString("PKTABLE_SCHEM");
                String pkCatalog = rs.getString("PKTABLE_CAT");
                boolean elsewhere = (schema != null && pkSchema != null && !schema.equals(pkSchema))
                        || (schema == null && catalog != null && pkCatalog != null && !catalog.equals(pkCatalog));
                String parent = elsewhere ? (schema == null ? pkCatalog : pkSchema) + "." + rs.getString("PKTABLE_NAME")
                        : rs.getString("PKTABLE_NAME");
                String fkName = rs.getString("FK_NAME");
                if (fkName == null && rs.getInt("KEY_SEQ") == 1) {
                    unnamed++;
                }
                String id = (fkName != null ? fkName : "#" + unnamed) + "\u0000" + parent;
                byKey.computeIfAbsent(id, k -> new ArrayList<>()).add(new String[] {
                        String.valueOf(rs.getInt("KEY_SEQ")), rs.getString("FKCOLUMN_NAME"), parent, rs.getString("PKCOLUMN_NAME")});
            }
        }
        List<ForeignKey> out = new ArrayList<>();
        for (List<String[]> parts : byKey.values()) {
            parts.sort((a, b) -> Integer.compare(Integer.parseInt(a[0]), Integer.parseInt(b[0])));
            out.add(new ForeignKey(parts.stream().map(p -> p[1]).toList(), parts.get(0)[2], parts.stream().map(p -> p[3]).toList()));
        }
        return out;
    }

    /** A table name as a metadata pattern: {@code _} and {@code %} would match other tables. */
    private static String escape(DatabaseMetaData md, String name) throws SQLException {
        String esc = md.getSearchStringEscape();
        if (esc == null || esc.isEmpty()) {
            return name;
        }
        return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }

    private static String optional(ResultSet rs, String column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            return null;
        }
    }

    java.util.Optional<Table> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}

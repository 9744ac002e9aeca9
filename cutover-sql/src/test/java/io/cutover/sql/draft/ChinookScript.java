package io.cutover.sql.draft;

import io.cutover.sql.TestDb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Chinook sample database's scripts (../shared/datasets/chinook), split into statements, without the lines
 * that drop, create and switch databases: loaded into a test's own database, never a shared one.
 */
final class ChinookScript {
    static final Path DIR = locate();

    private final List<String> statements;

    private ChinookScript(List<String> statements) {
        this.statements = statements;
    }

    static ChinookScript mysql() throws IOException {
        return read(DIR.resolve("Chinook_MySql.sql"));
    }

    static ChinookScript postgres() throws IOException {
        return read(DIR.resolve("Chinook_PostgreSql.sql"));
    }

    /** The tables, keys and indexes only (no rows). */
    ChinookScript schema() {
        return new ChinookScript(statements.stream().filter(s -> !s.regionMatches(true, 0, "INSERT", 0, 6)).toList());
    }

    /** The same statements with every occurrence of {@code from} replaced. */
    ChinookScript replace(String from, String to) {
        return new ChinookScript(statements.stream().map(s -> s.replace(from, to)).toList());
    }

    void loadInto(TestDb db) throws SQLException {
        loadInto(db, null);
    }

    /** Loads into {@code schema} (created here) of a PostgreSQL database, or its default schema when null. */
    void loadInto(TestDb db, String schema) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            if (schema != null) {
                st.execute("CREATE SCHEMA " + schema);
                st.execute("SET search_path TO " + schema);
            }
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static ChinookScript read(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String s : split(Files.readString(file, StandardCharsets.UTF_8))) {
            String head = s.toUpperCase(Locale.ROOT);
            if (head.startsWith("DROP DATABASE") || head.startsWith("CREATE DATABASE") || head.startsWith("USE ")
                    || head.startsWith("\\C")) {
                continue;
            }
            out.add(s);
        }
        return new ChinookScript(out);
    }

    /** Statements end with ';' outside quotes; block comments and psql's backslash commands are dropped. */
    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (!quoted && ch == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                i = text.indexOf("*/", i + 2) + 1;
                continue;
            }
            if (!quoted && ch == '\\' && cur.toString().isBlank()) { // \c chinook;
                i = text.indexOf('\n', i);
                continue;
            }
            if (ch == '\'') {
                quoted = !quoted;
            }
            if (!quoted && ch == ';') {
                if (!cur.toString().isBlank()) {
                    out.add(cur.toString().trim());
                }
                cur.setLength(0);
                continue;
            }
            cur.append(ch);
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().trim());
        }
        return out;
    }

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("shared/datasets/chinook");
            if (Files.isDirectory(d)) {
                return d;
            }
            d = p.resolve("../shared/datasets/chinook").normalize();
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        return Path.of("/work/shared/datasets/chinook");
    }
}

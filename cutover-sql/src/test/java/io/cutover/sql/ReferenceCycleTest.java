package io.cutover.sql;

import io.cutover.core.progress.Progress;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.verify.VerifyRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.LocalDateTime;
import java.util.Map;

import static io.cutover.sql.Fixture.T0;
import static io.cutover.sql.Fixture.T1;
import static io.cutover.sql.Fixture.T2;
import static io.cutover.sql.Fixture.T3;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A self-reference (employees.manager_id) and a cycle of two tables (stores.manager ↔ staff.store) into a target with
 * real foreign keys, rows arriving in any order across windows.
 */
class ReferenceCycleTest {
    private static String plan(TestDb src, TestDb tgt) {
        return """
                source: {url: "%s", user: %s}
                target: {url: "%s", user: %s}
                steps:
                  - name: employees
                    from: employees
                    key: id
                    changed: [created_at]
                    into: people
                    target_key: id
                    columns: {name: name}
                    refs: {boss_id: {from: manager_id, step: employees}}
                  - name: stores
                    from: stores
                    key: id
                    changed: [created_at]
                    into: shops
                    target_key: id
                    columns: {name: name}
                    refs: {manager_id: {from: manager_staff_id, step: staff}}
                  - name: staff
                    from: staff
                    key: id
                    changed: [created_at]
                    into: clerks
                    target_key: id
                    columns: {name: name}
                    refs: {shop_id: {from: store_id, step: stores}}
                """.formatted(src.url, src.user, tgt.url, tgt.user);
    }

    private static void schemas(TestDb src, TestDb tgt, String nullability) throws Exception {
        String ts = src.ts();
        src.exec("CREATE TABLE employees (id INT PRIMARY KEY, name VARCHAR(20), manager_id INT, created_at " + ts + ")",
                "CREATE TABLE stores (id INT PRIMARY KEY, name VARCHAR(20), manager_staff_id INT, created_at " + ts + ")",
                "CREATE TABLE staff (id INT PRIMARY KEY, name VARCHAR(20), store_id INT, created_at " + ts + ")");
        String id = tgt.identity();
        tgt.exec("CREATE TABLE people (id " + id + " PRIMARY KEY, name VARCHAR(20), boss_id BIGINT " + nullability
                        + " REFERENCES people(id))",
                "CREATE TABLE shops (id " + id + " PRIMARY KEY, name VARCHAR(20), manager_id BIGINT)",
                "CREATE TABLE clerks (id " + id + " PRIMARY KEY, name VARCHAR(20), shop_id BIGINT REFERENCES shops(id))",
                "ALTER TABLE shops ADD CONSTRAINT shops_manager FOREIGN KEY (manager_id) REFERENCES clerks(id)");
    }

    private static MigrateResult migrate(SqlMigration m, LocalDateTime since, LocalDateTime until) {
        return m.migrate(new MigrateRequest(since, until, false, Map.of(), 2, 2, false), Progress.silent());
    }

    @ParameterizedTest
    @EnumSource(Pairing.class)
    void selfReferencesAndACycleMigrateInAnyOrderAcrossWindows(Pairing p) throws Exception {
        try (TestDb src = TestDb.create(p.source); TestDb tgt = TestDb.create(p.target)) {
            schemas(src, tgt, "NULL");
            // employees arrive children first; 4 is their own manager; 5 waits for 6, who comes in window 3
            src.exec("INSERT INTO employees VALUES (2,'Bo',3,'2023-01-01'),(3,'Cy',1,'2023-01-02'),(1,'Al',NULL,'2023-01-03'),"
                            + "(4,'Di',4,'2023-01-04'),(5,'Ed',6,'2023-01-05')",
                    "INSERT INTO staff VALUES (10,'Fay',1,'2023-02-01'),(11,'Gus',2,'2023-02-02')",
                    "INSERT INTO stores VALUES (1,'North',10,'2023-03-01')");
            try (SqlMigration m = new SqlMigration(Fixture.parse(plan(src, tgt)))) {
                CheckReport check = m.check();
                assertThat(check.problems()).isEmpty();
                assertThat(check.deferred()).containsExactlyInAnyOrder("employees.boss_id (a self-reference)",
                        "staff.shop_id (closes the cycle stores -> staff -> stores)");

                MigrateResult w1 = migrate(m, T0, T1);
                assertThat(w1.steps()).extracting(s -> s.step() + ":" + s.inserted())
                        .containsExactlyInAnyOrder("employees:5", "staff:2", "stores:1");
                assertThat(m.openErrors()).extracting(e -> e.step() + ":" + e.sourceKey())
                        .containsExactlyInAnyOrder("employees:5", "staff:11");
                assertThat(tgt.rows("SELECT e.name, b.name FROM people e LEFT JOIN people b ON b.id = e.boss_id ORDER BY e.name"))
                        .containsExactly("Al|null", "Bo|Cy", "Cy|Al", "Di|Di", "Ed|null");

                // store 2 arrives: Gus's shop is filled; Bo loses his manager
                src.exec("INSERT INTO stores VALUES (2,'South',11,'2024-01-10')",
                        "UPDATE employees SET manager_id = NULL, created_at = '2024-01-11' WHERE id = 2");
                MigrateResult w2 = migrate(m, T1, T2);
                assertThat(w2.errors()).isEqualTo(1); // Ed still waits
                assertThat(tgt.rows("SELECT c.name, s.name, m.name FROM clerks c JOIN shops s ON s.id = c.shop_id "
                        + "JOIN clerks m ON m.id = s.manager_id ORDER BY c.name")).containsExactly("Fay|North|Fay", "Gus|South|Gus");

                src.exec("INSERT INTO employees VALUES (6,'Flo',NULL,'2024-02-10')");
                MigrateResult w3 = migrate(m, T2, T3);
                assertThat(w3.errors()).isZero();
                assertThat(m.openErrors()).isEmpty();
                assertThat(tgt.rows("SELECT e.name, b.name FROM people e LEFT JOIN people b ON b.id = e.boss_id ORDER BY e.name"))
                        .containsExactly("Al|null", "Bo|null", "Cy|Al", "Di|Di", "Ed|Flo", "Flo|null");
                assertThat(m.verify(VerifyRequest.all(), Progress.silent()).mismatches()).isEmpty();
            }
        }
    }

    @Test
    void checkSaysWhenADeferredRefsColumnIsNotNullAndProposesTheFix() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.PG); TestDb tgt = TestDb.create(TestDb.Kind.PG)) {
            schemas(src, tgt, "NOT NULL");
            try (SqlMigration m = new SqlMigration(Fixture.parse(plan(src, tgt)))) {
                assertThat(m.check().problems()).singleElement().asString()
                        .startsWith("step 'employees': ref boss_id is deferred (a self-reference)")
                        .contains("people.boss_id is NOT NULL").contains("DROP NOT NULL");
            }
        }
    }
}

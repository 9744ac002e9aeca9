package io.cutover.sql.verify;

import io.cutover.core.progress.Progress;
import io.cutover.sql.Fixture;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.TestDb;
import io.cutover.sql.migrate.CopyThrough;
import io.cutover.sql.migrate.MigrateRequest;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * Verify's PostgreSQL → PostgreSQL text comparison: rows equal as text are confirmed, and every kind of
 * difference is still found and reported exactly as the JDBC comparison reports it.
 */
class CopyComparisonTest {
    private static final LocalDateTime SINCE = LocalDateTime.parse("2020-01-01T00:00:00");
    private static final LocalDateTime UNTIL = LocalDateTime.parse("2024-01-01T00:00:00");

    @Test
    void confirmsEqualRowsAndHandsEveryDifferenceToTheExactComparison() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.PG); TestDb tgt = TestDb.create(TestDb.Kind.PG)) {
            src.exec("CREATE TABLE tags (code VARCHAR(20) PRIMARY KEY, label TEXT, at TIMESTAMP NOT NULL)",
                    "CREATE TABLE notes (id INT PRIMARY KEY, tag VARCHAR(20), body TEXT, price NUMERIC(8,2), at TIMESTAMP NOT NULL)",
                    "INSERT INTO tags VALUES (E'a\\tb', E'line one\\nline two', '2023-01-01'), (E'back\\\\slash', NULL, '2023-01-02'),"
                            + " ('ünï', 'ok', '2023-01-03')",
                    "INSERT INTO notes VALUES (1, E'a\\tb', E'tab\\there', 1.50, '2023-02-01'), (2, E'back\\\\slash', E'\\\\N', NULL, '2023-02-02'),"
                            + " (3, 'nope', 'dangling', 3, '2023-02-03'), (4, NULL, NULL, 4.25, '2023-02-04')");
            tgt.exec("CREATE TABLE labels (id BIGSERIAL PRIMARY KEY, code VARCHAR(20), label TEXT)",
                    "CREATE TABLE memos (id SERIAL PRIMARY KEY, label_id BIGINT, body TEXT, price NUMERIC(10,2))");
            String yaml = """
                    source: {url: "%s", user: postgres}
                    target: {url: "%s", user: postgres}
                    steps:
                      - {name: tags, from: tags, key: code, changed: [at], into: labels, target_key: id,
                         columns: {code: code, label: label}}
                      - {name: notes, from: notes, key: id, changed: [at], into: memos, target_key: id,
                         columns: {body: body, price: price}, refs: {label_id: {from: tag, step: tags}}}
                    """.formatted(src.url, tgt.url);
            var plan = Fixture.parse(yaml);
            try (SqlMigration m = new SqlMigration(plan)) {
                assertThat(CopyThrough.of(m.compiled().get("tags"), m.source(), m.target())).isNotNull();
                assertThat(CopyThrough.of(m.compiled().get("notes"), m.source(), m.target())).isNotNull();
                m.migrate(MigrateRequest.window(SINCE, UNTIL), Progress.silent());

                VerifyReport clean = m.verify(VerifyRequest.all(), Progress.silent());
                assertThat(clean.mismatches()).extracting(Mismatch::step, Mismatch::key, Mismatch::column)
                        .containsExactly(tuple("notes", "3", "(row)")); // the dangling ref, never migrated
                assertThat(clean.steps()).extracting(StepCheck::step, StepCheck::compared).containsExactly(
                        tuple("tags", 3L), tuple("notes", 3L));

                tgt.exec("UPDATE memos SET body = E'tab\\there!' WHERE body = E'tab\\there'",
                        "UPDATE memos SET label_id = NULL WHERE body = E'\\\\N'",
                        "UPDATE memos SET price = 4.26 WHERE price = 4.25",
                        "DELETE FROM labels WHERE code = 'ünï'");
                VerifyReport dirty = m.verify(VerifyRequest.all(), Progress.silent());
                assertThat(dirty.mismatches()).extracting(Mismatch::step, Mismatch::key, Mismatch::column, Mismatch::actual)
                        .containsExactlyInAnyOrder(
                                tuple("tags", "ünï", "(row)", "missing from the target"),
                                tuple("notes", "1", "body", "tab\there!"),
                                tuple("notes", "2", "label_id", null),
                                tuple("notes", "3", "(row)", "not migrated: tag = nope has no migrated row in step tags"),
                                tuple("notes", "4", "price", "4.26"));
            }
        }
    }

    @Test
    void verifyGathersTheMigrationLogsStatisticsWhenItHasNone() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.PG); TestDb tgt = TestDb.create(TestDb.Kind.PG)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            try (SqlMigration m = new SqlMigration(f.plan())) {
                m.migrate(MigrateRequest.window(Fixture.T0, Fixture.T1), Progress.silent());
                String tuples = "SELECT reltuples FROM pg_class WHERE oid = 'cutover_log_coins'::regclass";
                assertThat(tgt.rows(tuples)).containsExactly("-1.0"); // never analyzed (too few rows for autovacuum)
                m.verify(VerifyRequest.all(), Progress.silent());
                assertThat(Double.parseDouble(tgt.rows(tuples).get(0))).isPositive();
            }
        }
    }
}

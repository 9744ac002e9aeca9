package io.cutover.sql.migrate;

import io.cutover.core.progress.Progress;
import io.cutover.sql.Fixture;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.TestDb;
import io.cutover.sql.state.RowError;
import io.cutover.sql.verify.VerifyRequest;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The PostgreSQL → PostgreSQL COPY path: when it applies, and that awkward text survives it unchanged. */
class CopyThroughTest {
    private static final LocalDateTime SINCE = LocalDateTime.parse("2020-01-01T00:00:00");
    private static final LocalDateTime UNTIL = LocalDateTime.parse("2024-01-01T00:00:00");

    @Test
    void appliesPostgresToPostgresOnly() throws Exception {
        for (TestDb.Kind target : List.of(TestDb.Kind.PG, TestDb.Kind.MARIADB)) {
            try (TestDb src = TestDb.create(TestDb.Kind.PG); TestDb tgt = TestDb.create(target)) {
                Fixture f = new Fixture(src, tgt);
                f.createSchemas();
                try (SqlMigration m = new SqlMigration(f.plan())) {
                    Map<String, CompiledStep> steps = m.compiled();
                    for (String step : List.of("users", "coins", "purchases")) {
                        assertThat(CopyThrough.of(steps.get(step), m.source(), m.target()) != null)
                                .as(step + " to " + target).isEqualTo(target == TestDb.Kind.PG);
                    }
                }
            }
        }
    }

    @Test
    void textKeysAndValuesWithTabsNewlinesAndBackslashesArriveUnchanged() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.PG); TestDb tgt = TestDb.create(TestDb.Kind.PG)) {
            src.exec("CREATE TABLE tags (code VARCHAR(20) PRIMARY KEY, label TEXT, at TIMESTAMP NOT NULL)",
                    "CREATE TABLE notes (id INT PRIMARY KEY, tag VARCHAR(20), body TEXT, at TIMESTAMP NOT NULL)",
                    "INSERT INTO tags VALUES (E'a\\tb', E'line one\\nline two', '2023-01-01'), (E'back\\\\slash', NULL, '2023-01-02'),"
                            + " ('ünï', 'ok', '2023-01-03')",
                    "INSERT INTO notes VALUES (1, E'a\\tb', E'tab\\there', '2023-02-01'), (2, E'back\\\\slash', E'\\\\N', '2023-02-02'),"
                            + " (3, 'nope', 'dangling', '2023-02-03'), (4, NULL, NULL, '2023-02-04')");
            tgt.exec("CREATE TABLE labels (id BIGSERIAL PRIMARY KEY, code VARCHAR(20), label TEXT)",
                    "CREATE TABLE memos (id BIGSERIAL PRIMARY KEY, label_id BIGINT REFERENCES labels(id), body TEXT)");
            String yaml = """
                    source: {url: "%s", user: postgres}
                    target: {url: "%s", user: postgres}
                    steps:
                      - {name: tags, from: tags, key: code, changed: [at], into: labels, target_key: id,
                         columns: {code: code, label: label}}
                      - {name: notes, from: notes, key: id, changed: [at], into: memos, target_key: id,
                         columns: {body: body}, refs: {label_id: {from: tag, step: tags}}}
                    """.formatted(src.url, tgt.url);
            var plan = Fixture.parse(yaml);
            try (SqlMigration m = new SqlMigration(plan)) {
                assertThat(CopyThrough.of(m.compiled().get("tags"), m.source(), m.target())).isNotNull();
                MigrateResult first = m.migrate(MigrateRequest.window(SINCE, UNTIL), Progress.silent());
                assertThat(first.errors()).isEqualTo(1);
                assertThat(m.state().history().errors(first.runId())).extracting(RowError::sourceKey, RowError::kind)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("3", "dangling_reference"));
                assertThat(tgt.rows("SELECT l.source_key, t.code, t.label FROM labels t JOIN cutover_log_tags l "
                        + "ON l.target_key = t.id ORDER BY 1")).containsExactly(
                        "a\tb|a\tb|line one\nline two", "back\\slash|back\\slash|null", "ünï|ünï|ok");
                assertThat(tgt.rows("SELECT m.body, l.code FROM memos m LEFT JOIN labels l ON l.id = m.label_id ORDER BY 1"))
                        .containsExactly("\\N|back\\slash", "tab\there|a\tb", "null|null");
                assertThat(m.verify(VerifyRequest.all(), Progress.silent()).mismatches()).hasSize(1);

                MigrateResult again = m.migrate(MigrateRequest.window(SINCE, UNTIL), Progress.silent());
                assertThat(again.steps()).extracting(StepResult::inserted).containsExactly(0L, 0L);
                assertThat(again.steps()).extracting(StepResult::updated).containsExactly(0L, 0L); // nothing changed
                assertThat(tgt.count("SELECT COUNT(*) FROM labels")).isEqualTo(3);
                assertThat(tgt.count("SELECT COUNT(*) FROM memos")).isEqualTo(3);
            }
        }
    }

    @Test
    void aRerunRewritesOnlyTheRowsThatChangedAndReportsATargetRowThatIsGone() throws Exception {
        for (boolean copyThrough : List.of(true, false)) {
            try (TestDb src = TestDb.create(TestDb.Kind.PG); TestDb tgt = TestDb.create(TestDb.Kind.PG)) {
                src.exec("CREATE TABLE items (id INT PRIMARY KEY, name TEXT, price NUMERIC, at TIMESTAMP NOT NULL)",
                        "INSERT INTO items SELECT g, 'item ' || g, g * 1.5, TIMESTAMP '2023-01-01' + g * INTERVAL '1 hour'"
                                + " FROM generate_series(1, 20) g");
                tgt.exec("CREATE TABLE goods (id BIGSERIAL PRIMARY KEY, label TEXT, price NUMERIC)");
                // a float8 value into a numeric column is not a COPY-text pass-through: that step goes the JDBC way
                String yaml = """
                        source: {url: "%s", user: postgres}
                        target: {url: "%s", user: postgres}
                        steps:
                          - {name: items, from: items, key: id, changed: [at], into: goods, target_key: id,
                             columns: {label: name, price: "%s"}}
                        """.formatted(src.url, tgt.url, copyThrough ? "price" : "price::float8");
                var plan = Fixture.parse(yaml);
                try (SqlMigration m = new SqlMigration(plan)) {
                    assertThat(CopyThrough.of(m.compiled().get("items"), m.source(), m.target()) != null).isEqualTo(copyThrough);
                    assertThat(m.migrate(MigrateRequest.window(SINCE, UNTIL), Progress.silent()).errors()).isZero();
                    List<String> versions = tgt.rows("SELECT id, xmin FROM goods ORDER BY id");

                    // 7.5 -> 7.50 is equal as a number but reads back differently, so it is a change (as numeric)
                    src.exec("UPDATE items SET name = 'renamed' WHERE id = 3", "UPDATE items SET price = 7.50 WHERE id = 5");
                    MigrateResult again = m.migrate(MigrateRequest.window(SINCE, UNTIL), Progress.silent());
                    assertThat(again.errors()).isZero();
                    assertThat(again.steps()).extracting(StepResult::updated).containsExactly(copyThrough ? 2L : 1L); // the rewritten rows
                    List<String> rewritten = tgt.rows("SELECT id, xmin FROM goods ORDER BY id").stream()
                            .filter(v -> !versions.contains(v)).map(v -> v.split("\\|")[0]).toList();
                    assertThat(rewritten).as("copy through: " + copyThrough)
                            .containsExactlyElementsOf(copyThrough ? List.of("3", "5") : List.of("3"));
                    assertThat(tgt.rows("SELECT label, price FROM goods WHERE id IN (3, 5) ORDER BY id"))
                            .containsExactly("renamed|4.5", "item 5|" + (copyThrough ? "7.50" : "7.5"));
                    assertThat(m.verify(VerifyRequest.all(), Progress.silent()).mismatches()).isEmpty();

                    tgt.exec("DELETE FROM goods WHERE id = 7");
                    MigrateResult third = m.migrate(MigrateRequest.window(SINCE, UNTIL), Progress.silent());
                    assertThat(third.errors()).as("copy through: " + copyThrough).isEqualTo(1);
                    assertThat(third.steps()).extracting(StepResult::updated).containsExactly(0L); // the rest did not change
                    assertThat(m.state().history().errors(third.runId())).extracting(RowError::sourceKey).containsExactly("7");
                    assertThat(tgt.count("SELECT COUNT(*) FROM goods")).isEqualTo(19);
                }
            }
        }
    }

    @Test
    void floatsTakeTheCopyPathAndArriveBitForBit() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.PG); TestDb tgt = TestDb.create(TestDb.Kind.PG)) {
            src.exec("CREATE TABLE readings (id INT PRIMARY KEY, v DOUBLE PRECISION, r REAL, at TIMESTAMP NOT NULL)",
                    "INSERT INTO readings VALUES (1, 0.1, 0.1, '2023-01-01'), (2, 1.7976931348623157e308, 3.4028235e38, '2023-01-01'),"
                            + " (3, 4.9e-324, 1.4e-45, '2023-01-01'), (4, 'NaN', 'Infinity', '2023-01-01'),"
                            + " (5, '-Infinity', -0.0, '2023-01-01'), (6, NULL, NULL, '2023-01-01'), (7, 1.0/3, 2.0/3, '2023-01-01')");
            tgt.exec("CREATE TABLE samples (id BIGSERIAL PRIMARY KEY, v DOUBLE PRECISION, r REAL)");
            String yaml = """
                    source: {url: "%s", user: postgres}
                    target: {url: "%s", user: postgres}
                    steps:
                      - {name: readings, from: readings, key: id, changed: [at], into: samples, target_key: id,
                         columns: {v: v, r: r}}
                    """.formatted(src.url, tgt.url);
            try (SqlMigration m = new SqlMigration(Fixture.parse(yaml))) {
                assertThat(CopyThrough.of(m.compiled().get("readings"), m.source(), m.target())).isNotNull();
                assertThat(m.migrate(MigrateRequest.window(SINCE, UNTIL), Progress.silent()).errors()).isZero();
                // compared as their exact bit patterns, on the servers themselves
                assertThat(src.rows("SELECT id, encode(float8send(v), 'hex'), encode(float4send(r), 'hex') FROM readings ORDER BY id"))
                        .isEqualTo(tgt.rows("SELECT l.source_key::int, encode(float8send(v), 'hex'), encode(float4send(r), 'hex') FROM samples s "
                                + "JOIN cutover_log_readings l ON l.target_key = s.id ORDER BY 1"));
                assertThat(m.verify(VerifyRequest.all(), Progress.silent()).mismatches()).isEmpty();
            }
        }
    }
}

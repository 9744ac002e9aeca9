package io.cutover.sql;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Composite source and target keys, a composite ref written into two columns, and a join table keyed by its refs. */
class CompositeKeyTest {
    private static String plan(TestDb src, TestDb tgt) {
        return """
                source: {url: "%s", user: %s}
                target: {url: "%s", user: %s}
                deletions: {table: deleted_records, table_column: table_name, key_column: record_id, time_column: deleted_at}
                steps:
                  - name: labels
                    from: labels
                    key: [a, b]
                    changed: [changed_at]
                    into: tags
                    target_key: [code_x, code_y]
                    columns: {code_x: a + 100, code_y: b, name: name}
                  - name: items
                    from: items
                    key: id
                    changed: [changed_at]
                    into: things
                    target_key: id
                    columns: {note: note}
                    refs: {label: {from: [label_a, label_b], into: [tag_x, tag_y], step: labels}}
                  - name: item_labels
                    from: item_labels
                    key: [item_id, a, b]
                    changed: [changed_at]
                    into: thing_tags
                    target_key: [thing_id, tag_x, tag_y]
                    refs:
                      thing_id: {from: item_id, step: items}
                      tag: {from: [a, b], into: [tag_x, tag_y], step: labels}
                """.formatted(src.url, src.user, tgt.url, tgt.user);
    }

    private static void schemas(TestDb src, TestDb tgt) throws Exception {
        String ts = src.ts();
        src.exec("CREATE TABLE labels (a INT, b INT, name VARCHAR(20), changed_at " + ts + ", PRIMARY KEY (a, b))",
                "CREATE TABLE items (id INT PRIMARY KEY, label_a INT, label_b INT, note VARCHAR(20), changed_at " + ts + ")",
                "CREATE TABLE item_labels (item_id INT, a INT, b INT, changed_at " + ts + ", PRIMARY KEY (item_id, a, b))",
                "CREATE TABLE deleted_records (table_name VARCHAR(50), record_id VARCHAR(100), deleted_at " + ts + ")");
        tgt.exec("CREATE TABLE tags (code_x INT, code_y INT, name VARCHAR(20), PRIMARY KEY (code_x, code_y))",
                "CREATE TABLE things (id " + tgt.identity() + " PRIMARY KEY, note VARCHAR(20), tag_x INT, tag_y INT, "
                        + "FOREIGN KEY (tag_x, tag_y) REFERENCES tags (code_x, code_y))",
                "CREATE TABLE thing_tags (thing_id BIGINT REFERENCES things (id), tag_x INT, tag_y INT, "
                        + "PRIMARY KEY (thing_id, tag_x, tag_y), FOREIGN KEY (tag_x, tag_y) REFERENCES tags (code_x, code_y))");
    }

    private static MigrateResult migrate(SqlMigration m, LocalDateTime since, LocalDateTime until) {
        return m.migrate(new MigrateRequest(since, until, false, Map.of(), 2, 2, false), Progress.silent());
    }

    @ParameterizedTest
    @EnumSource(Pairing.class)
    void compositeKeysAndRefsMigrateUpdateDeleteAndVerify(Pairing p) throws Exception {
        try (TestDb src = TestDb.create(p.source); TestDb tgt = TestDb.create(p.target)) {
            schemas(src, tgt);
            src.exec("INSERT INTO labels VALUES (1,1,'red','2023-01-01'),(1,2,'blue','2023-01-01'),(2,1,'green','2023-01-01')",
                    "INSERT INTO items VALUES (10,1,2,'pen','2023-02-01'),(11,NULL,NULL,'cup','2023-02-01'),(12,9,9,'lost','2023-02-01')",
                    "INSERT INTO item_labels VALUES (10,1,1,'2023-03-01'),(10,2,1,'2023-03-01'),(11,1,2,'2023-03-01')");
            try (SqlMigration m = new SqlMigration(Fixture.parse(plan(src, tgt)))) {
                MigrateResult w1 = migrate(m, T0, T1);
                assertThat(w1.errors()).isEqualTo(1); // item 12 points at label (9, 9), which does not exist
                assertThat(m.openErrors()).singleElement().satisfies(e -> {
                    assertThat(e.sourceKey()).isEqualTo("12");
                    assertThat(e.message()).isEqualTo("label_a:label_b = 9:9 has no migrated row in step labels");
                });
                assertThat(tgt.rows("SELECT sourcekey FROM (SELECT source_key AS sourcekey FROM cutover_log_item_labels) q ORDER BY 1"))
                        .containsExactly("10:1:1", "10:2:1", "11:1:2");
                assertThat(tgt.rows("SELECT t.note, g.name FROM things t LEFT JOIN tags g ON g.code_x = t.tag_x AND g.code_y = t.tag_y "
                        + "ORDER BY t.note")).containsExactly("cup|null", "pen|blue");

                // a composite-keyed row updated, a join row deleted through the deletion log (its key is item_id:a:b)
                src.exec("UPDATE labels SET name = 'navy', changed_at = '2024-01-05' WHERE a = 1 AND b = 2",
                        "DELETE FROM item_labels WHERE item_id = 10 AND a = 2 AND b = 1",
                        "INSERT INTO deleted_records VALUES ('item_labels', '10:2:1', '2024-01-06')",
                        "INSERT INTO item_labels VALUES (11,2,1,'2024-01-07')");
                MigrateResult w2 = migrate(m, T1, T2);
                assertThat(w2.steps()).extracting(s -> s.step() + ":" + s.inserted() + ":" + s.updated() + ":" + s.deleted())
                        .containsExactly("labels:0:1:0", "items:0:0:0", "item_labels:1:0:1");
                assertThat(tgt.rows("SELECT thing_id IS NOT NULL, tag_x, tag_y FROM thing_tags ORDER BY tag_x, tag_y"))
                        .hasSize(3);
                assertThat(tgt.rows("SELECT name FROM tags WHERE code_x = 101 AND code_y = 2")).containsExactly("navy");
                var v = m.verify(VerifyRequest.all(), Progress.silent());
                assertThat(v.mismatches()).extracting(x -> x.step() + ":" + x.key()).containsExactly("items:12");
                assertThat(v.steps()).extracting(s -> s.brokenRefs()).containsOnly(0L);
            }
        }
    }

    @Test
    void badCompositeInputIsOneLineExitTwo() {
        String head = "source: {url: 'jdbc:h2:mem:a'}\ntarget: {url: 'jdbc:h2:mem:b'}\nsteps:\n";
        String parent = "  - {name: p, from: t, key: [a, b], changed: [c], into: u, target_key: [x, y], columns: {x: a, y: b}}\n";
        assertThatThrownBy(() -> Fixture.parse(head + parent
                + "  - {name: c, from: t, key: id, changed: [c], into: v, target_key: id, refs: {r: {from: [a, b], step: p}}}"))
                .isInstanceOfSatisfying(CutoverException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("plan.yaml:5:6: step 'c': ref 'r' reads a composite key [a, b]: "
                            + "name its target columns with 'into: [x, y]'");
                });
        assertThatThrownBy(() -> Fixture.parse(head + parent
                + "  - {name: c, from: t, key: id, changed: [c], into: v, target_key: id, refs: {r: {from: [a, b], into: [x], step: p}}}"))
                .hasMessageContaining("has 2 'from' column(s) but 1 'into' column(s)");
        assertThatThrownBy(() -> Fixture.parse(head
                + "  - {name: p, from: t, key: [a, b], changed: [c], into: u, target_key: [x, y], columns: {x: a}}"))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.getMessage()).doesNotContain("\n")
                        .contains("the composite target_key [x, y] must be written by the plan"));
        assertThatThrownBy(() -> Fixture.parse(head
                + "  - {name: p, from: t, key: [a, {b: 1}], changed: [c], into: u, target_key: id, columns: {x: a}}"))
                .isInstanceOfSatisfying(CutoverException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).startsWith("plan.yaml:4:").doesNotContain("\n");
                });
    }
}

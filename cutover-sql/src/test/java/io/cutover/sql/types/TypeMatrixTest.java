package io.cutover.sql.types;

import io.cutover.core.progress.Progress;
import io.cutover.sql.MigrateProcess;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.TestDb;
import io.cutover.sql.TestDb.Kind;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.plan.PlanLoader;
import io.cutover.sql.state.RowError;
import io.cutover.sql.verify.VerifyReport;
import io.cutover.sql.verify.VerifyRequest;
import io.cutover.core.config.EnvSubstitution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One column of each common type, with NULLs and extremes, moved between real databases on every write path: bulk
 * (COPY or multi-row INSERT), small batches (one-row INSERT and UPDATE statements), updates, and the row-by-row
 * fallback a refused row forces on its batch. Verify must be clean afterwards, and instants must not depend on the
 * JVM's time zone.
 */
class TypeMatrixTest {
    private static final LocalDateTime W1 = LocalDateTime.parse("2024-01-01T00:00");
    private static final LocalDateTime W2 = LocalDateTime.parse("2024-02-01T00:00");
    private static final LocalDateTime W3 = LocalDateTime.parse("2024-03-01T00:00");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}, batch {2}")
    @CsvSource({"MARIADB, PG, 1000", "MARIADB, PG, 1", "PG, PG, 1000", "PG, PG, 1", "H2, H2, 1000", "H2, H2, 1"})
    void everyTypeMigratesOnEveryWritePathAndVerifiesClean(Kind source, Kind target, int batch) throws Exception {
        TypeMatrix matrix = TypeMatrix.of(source, target);
        try (TestDb src = TestDb.create(source); TestDb tgt = TestDb.create(target)) {
            matrix.createSource(src, "2024-01-10 00:00:00");
            matrix.createTarget(tgt);
            try (SqlMigration m = new SqlMigration(parse(matrix.plan(src, tgt, "")))) {
                MigrateResult w1 = migrate(m, W1, W2, batch);
                // the refused row is one constraint error without its values; the batch's other rows migrate
                assertThat(w1.steps().get(0).inserted()).isEqualTo(4);
                List<RowError> errors = m.errors(null);
                assertThat(errors).hasSize(1);
                assertThat(errors.get(0).kind()).isEqualTo("constraint");
                assertThat(errors.get(0).sourceKey()).isEqualTo("5");
                assertThat(errors.get(0).message()).doesNotContain("héllo", "12345", "a0eebc99").hasSizeLessThan(300);

                // row 1 becomes all NULL, row 2 gets values, the refused row is fixed: updates and an insert
                StringBuilder nulls = new StringBuilder("UPDATE typed SET changed_at = '2024-02-10 00:00:00'");
                StringBuilder values = new StringBuilder("UPDATE typed SET changed_at = '2024-02-10 00:00:00'");
                for (TypeMatrix.Column c : matrix.columns()) {
                    nulls.append(", ").append(c.name()).append(" = NULL");
                    values.append(", ").append(c.name()).append(" = ").append(c.typical());
                }
                src.exec(nulls + " WHERE id = 1", values + " WHERE id = 2",
                        "UPDATE typed SET note = 'fixed', changed_at = '2024-02-10 00:00:00' WHERE id = 5");
                MigrateResult w2 = migrate(m, W2, W3, batch);
                assertThat(w2.errors()).isZero();
                assertThat(w2.steps().get(0).inserted()).isEqualTo(1);
                assertThat(w2.steps().get(0).updated()).isEqualTo(2);

                VerifyReport v = m.verify(VerifyRequest.all(), Progress.silent());
                assertThat(v.mismatches()).isEmpty();
                assertThat(v.steps().get(0).compared()).isEqualTo(5);
            }
            assertThat(tgt.count("SELECT COUNT(*) FROM typed_copy")).isEqualTo(5);
            assertValues(source, target, tgt);
        }
    }

    /** What the target holds, read back as text: the instants, padding, YEAR and SET that went wrong before. */
    private static void assertValues(Kind source, Kind target, TestDb tgt) throws Exception {
        if (target != Kind.PG) {
            assertThat(tgt.rows("SELECT ch, CAST(ts2tz AS VARCHAR(40)) FROM typed_copy WHERE note = 'fixed'"))
                    .containsExactly("ab|2024-06-01 04:34:33+00");
            return;
        }
        String utc = "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')";
        if (source == Kind.MARIADB) {
            assertThat(tgt.rows("SELECT " + utc.formatted("tstz") + ", " + utc.formatted("dt2tz")
                    + ", y, ch || '|', st::text, u8::text, e::text FROM typed_copy WHERE note = 'fixed'"))
                    .containsExactly("2024-06-01 04:34:33|2024-06-01 04:34:33|2006|ab||{Trailers,\"Deleted Scenes\"}|1|happy");
            assertThat(tgt.rows("SELECT st::text, u8::text, y FROM typed_copy WHERE note = 'high'"))
                    .containsExactly("{Trailers,\"Deleted Scenes\",\"x\\\"y\"}|18446744073709551615|2155");
        } else {
            assertThat(tgt.rows("SELECT " + utc.formatted("tz") + ", tz2ts::text, " + utc.formatted("ts2tz")
                    + ", ch || '|', arr::text FROM typed_copy WHERE note = 'fixed'"))
                    .containsExactly("2024-06-01 04:34:33|2024-06-01 02:34:33|2024-06-01 04:34:33|ab||{a,\"b c\",\"d\\\"e\"}");
        }
    }

    @Test
    void theSameWindowRunInNewYorkAndTokyoGivesTheTargetOfUtc() throws Exception {
        TypeMatrix matrix = TypeMatrix.of(Kind.MARIADB, Kind.PG);
        try (TestDb src = TestDb.create(Kind.MARIADB); TestDb utc = TestDb.create(Kind.PG);
             TestDb newYork = TestDb.create(Kind.PG); TestDb tokyo = TestDb.create(Kind.PG)) {
            matrix.createSource(src, "2024-01-10 00:00:00");
            List<List<String>> targets = new java.util.ArrayList<>();
            var runs = List.of(Map.entry("UTC", utc), Map.entry("America/New_York", newYork), Map.entry("Asia/Tokyo", tokyo));
            List<Process> children = new java.util.ArrayList<>();
            for (var t : runs) { // the three JVMs run at once, each into its own target
                matrix.createTarget(t.getValue());
                String zone = t.getKey().replace('/', '_');
                Path plan = dir.resolve(zone + ".yaml");
                Files.writeString(plan, matrix.plan(src, t.getValue(), ""));
                children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Duser.timezone=" + t.getKey(), "-cp", System.getProperty("java.class.path"),
                        MigrateProcess.class.getName(), plan.toString(), W1.toString(), W2.toString(), "1000")
                        .redirectErrorStream(true).redirectOutput(dir.resolve(zone + ".log").toFile()).start());
            }
            for (int i = 0; i < runs.size(); i++) {
                Process p = children.get(i);
                Path log = dir.resolve(runs.get(i).getKey().replace('/', '_') + ".log");
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(Files.readString(log)).isZero();
                targets.add(runs.get(i).getValue().rows("SELECT note, " + String.join(", ", matrix.columns().stream()
                        .map(c -> c.name() + "::text").toList()) + " FROM typed_copy ORDER BY note"));
            }
            assertThat(targets.get(0)).hasSize(4);
            assertThat(targets.get(1)).isEqualTo(targets.get(0));
            assertThat(targets.get(2)).isEqualTo(targets.get(0));
            assertThat(utc.rows("SELECT to_char(tstz AT TIME ZONE 'UTC', 'HH24:MI:SS') FROM typed_copy WHERE note = 'typical'"))
                    .containsExactly("04:34:33");
        }
    }

    @Test
    void aPlanTimeZoneReadsTimestampsWithoutZoneThere() throws Exception {
        TypeMatrix matrix = TypeMatrix.of(Kind.PG, Kind.PG);
        try (TestDb src = TestDb.create(Kind.PG); TestDb tgt = TestDb.create(Kind.PG)) {
            matrix.createSource(src, "2024-01-10 00:00:00");
            src.exec("UPDATE typed SET note = 'accepted' WHERE id = 5");
            matrix.createTarget(tgt);
            try (SqlMigration m = new SqlMigration(parse(matrix.plan(src, tgt, "time_zone: Asia/Tokyo")))) {
                // 2024-01-10 00:00 in Tokyo is 2024-01-09 15:00Z: a window given with an offset means the same instant
                m.migrate(new MigrateRequest(io.cutover.sql.plan.Window.parseTime("2024-01-09T14:00Z", "--since", m.plan().zone()),
                        io.cutover.sql.plan.Window.parseTime("2024-01-09T16:00Z", "--until", m.plan().zone()),
                        false, Map.of(), 1, 1000, false), Progress.silent());
                assertThat(m.verify(VerifyRequest.all(), Progress.silent()).mismatches()).isEmpty();
            }
            assertThat(tgt.rows("SELECT to_char(ts2tz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), tz2ts::text FROM typed_copy WHERE note = 'typical'"))
                    .containsExactly("2024-05-31 19:34:33|2024-06-01 11:34:33");
        }
    }

    private static MigrateResult migrate(SqlMigration m, LocalDateTime since, LocalDateTime until, int batch) {
        return m.migrate(new MigrateRequest(since, until, false, Map.of(), 1, batch, false), Progress.silent());
    }

    private static io.cutover.sql.plan.Plan parse(String yaml) {
        return new PlanLoader(new EnvSubstitution(Map.<String, String>of()::get)).parse(yaml, "plan.yaml");
    }
}

package io.cutover.sql;

import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.Shard;
import io.cutover.sql.migrate.WorkerResult;
import io.cutover.sql.migrate.Workers;
import io.cutover.sql.verify.VerifyRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.cutover.sql.Fixture.T0;
import static io.cutover.sql.Fixture.T1;
import static io.cutover.sql.Fixture.T2;
import static io.cutover.sql.Fixture.T3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Windows shared by several workers on H2 (where units are claimed by a conditional UPDATE) and MariaDB (FOR UPDATE
 * SKIP LOCKED), by hash and by key range: each worker its own {@link SqlMigration}, as separate processes would be.
 * The target ends as one worker leaves it. (Separate processes on PostgreSQL: the CLI's SqlWorkersTest.)
 */
class SharedRunTest {
    @ParameterizedTest
    @CsvSource({"H2, HASH, 2", "H2, RANGE, 3", "MARIADB, HASH, 3", "MARIADB, RANGE, 2"})
    void workersSharingEachWindowLeaveTheTargetOneWorkerLeaves(TestDb.Kind kind, Shard.ShardBy by, int workers) throws Exception {
        try (TestDb src1 = TestDb.create(kind); TestDb tgt1 = TestDb.create(kind);
             TestDb src2 = TestDb.create(kind); TestDb tgt2 = TestDb.create(kind)) {
            Fixture one = new Fixture(src1, tgt1);
            Fixture many = new Fixture(src2, tgt2);
            for (Fixture f : List.of(one, many)) {
                f.createSchemas();
                f.seedWindow1();
            }
            LocalDateTime[][] windows = {{T0, T1}, {T1, T2}, {T2, T3}};
            for (int w = 0; w < 3; w++) {
                if (w == 1) {
                    one.changeInWindow2();
                    many.changeInWindow2();
                } else if (w == 2) {
                    one.changeInWindow3();
                    many.changeInWindow3();
                }
                io.cutover.sql.migrate.MigrateResult single;
                try (SqlMigration m = new SqlMigration(one.plan())) {
                    single = m.migrate(request(windows[w]), Progress.silent());
                }
                assertThat(single.errors()).isZero();
                List<WorkerResult> results = shared(many, windows[w], workers, by);
                assertThat(results).filteredOn(WorkerResult::createdRun).hasSize(1);
                for (var s : single.steps()) {
                    long[] sum = new long[4];
                    for (WorkerResult r : results) {
                        r.result().steps().stream().filter(x -> x.step().equals(s.step())).forEach(x -> {
                            sum[0] += x.read();
                            sum[1] += x.inserted();
                            sum[2] += x.updated();
                            sum[3] += x.deleted();
                        });
                    }
                    assertThat(sum).as("window " + (w + 1) + ", step " + s.step() + ": read, inserted, updated, deleted")
                            .containsExactly(s.read(), s.inserted(), s.updated(), s.deleted());
                }
                assertThat(many.canonicalTarget()).as("window " + (w + 1)).isEqualTo(one.canonicalTarget());
            }
            try (SqlMigration m = new SqlMigration(many.plan())) {
                assertThat(m.verify(VerifyRequest.all(), Progress.silent()).ok()).isTrue();
                assertThat(m.status().runs()).allSatisfy(r -> assertThat(r.status()).isEqualTo("completed"));
                assertThat(m.status().sharedUnits()).isNotEmpty().allSatisfy(u -> assertThat(u.status().name()).isEqualTo("DONE"));
                // a worker arriving after the run completed has nothing to do
                WorkerResult late = m.migrate(request(windows[2]), new Workers(workers, workers - 1, by, Duration.ofSeconds(5)),
                        Progress.silent());
                assertThat(late.nothingToDo()).isTrue();
                assertThat(late.units()).isEmpty();
            }
        }
    }

    @Test
    void rangeShardsNeedIntegerKeysAndWorkersNeedAGivenWindow() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.H2); TestDb tgt = TestDb.create(TestDb.Kind.H2)) {
            Fixture f = new Fixture(src, tgt);
            f.createSchemas();
            f.seedWindow1();
            String yaml = f.planYaml();
            int users = yaml.indexOf("name: users");
            int key = yaml.indexOf("key: id", users);
            String plan = yaml.substring(0, key) + "key: email" + yaml.substring(key + "key: id".length());
            assertThat(plan).contains("key: email");
            try (SqlMigration m = new SqlMigration(Fixture.parse(plan))) {
                Workers range = new Workers(2, 0, Shard.ShardBy.RANGE, Duration.ofSeconds(5));
                assertThatThrownBy(() -> m.migrate(request(new LocalDateTime[] {T0, T1}), range, Progress.silent()))
                        .isInstanceOf(CutoverException.class).hasMessageContaining("--shard-by range: step 'users'");
                Workers hash = new Workers(2, 0, Shard.ShardBy.HASH, Duration.ofSeconds(5));
                assertThatThrownBy(() -> m.migrate(new MigrateRequest(null, T1, true, Map.of(), 2, 100, false), hash, Progress.silent()))
                        .isInstanceOf(CutoverException.class).hasMessageContaining("--next cannot be used with --workers-total");
            }
            assertThat(tgt.count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'CUTOVER%'")).isZero();
        }
        assertThatThrownBy(() -> new Workers(4, 4, Shard.ShardBy.HASH, Duration.ofSeconds(5))).hasMessageContaining("--worker 4");
    }

    @Test
    void aRowWhoseKeyIsNullIsRecordedByTheFirstShardAsOneWorkerRecordsIt() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.H2); TestDb tgt1 = TestDb.create(TestDb.Kind.H2);
             TestDb tgt2 = TestDb.create(TestDb.Kind.H2)) {
            src.exec("CREATE TABLE notes (code VARCHAR(20), body VARCHAR(100), updated_at TIMESTAMP NOT NULL)",
                    "INSERT INTO notes VALUES ('a', 'one', '2023-05-01 00:00:00'), ('b', 'two', '2023-05-01 00:00:00'), "
                            + "(NULL, 'no code', '2023-05-01 00:00:00'), ('c', 'three', '2023-05-01 00:00:00')");
            long[] errors = new long[2];
            TestDb[] targets = {tgt1, tgt2};
            for (int t = 0; t < 2; t++) {
                targets[t].exec("CREATE TABLE memos (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, code VARCHAR(20), body VARCHAR(100))");
                String yaml = """
                        source: {url: "%s", user: sa}
                        target: {url: "%s", user: sa}
                        steps:
                          - {name: notes, from: notes, key: code, changed: [updated_at], into: memos, target_key: id,
                             columns: {code: code, body: body}}
                        """.formatted(src.url, targets[t].url);
                if (t == 0) {
                    try (SqlMigration m = new SqlMigration(Fixture.parse(yaml))) {
                        errors[t] = m.migrate(request(new LocalDateTime[] {T0, T1}), Progress.silent()).errors();
                    }
                } else {
                    for (int i = 0; i < 2; i++) { // one after the other: the first does every unit, the second finds none
                        try (SqlMigration m = new SqlMigration(Fixture.parse(yaml))) {
                            errors[t] += m.migrate(request(new LocalDateTime[] {T0, T1}),
                                    new Workers(2, i, Shard.ShardBy.HASH, Duration.ofSeconds(5)), Progress.silent()).result().errors();
                        }
                    }
                }
            }
            assertThat(errors).containsExactly(1, 1);
            for (TestDb t : targets) {
                assertThat(t.count("SELECT COUNT(*) FROM memos")).isEqualTo(3);
                assertThat(t.count("SELECT COUNT(*) FROM cutover_errors WHERE source_key IS NULL")).isEqualTo(1);
            }
        }
    }

    private static MigrateRequest request(LocalDateTime[] w) {
        return new MigrateRequest(w[0], w[1], false, Map.of(), 2, 2, false);
    }

    /** {@code n} workers, each with its own pools, started together on one window. */
    private static List<WorkerResult> shared(Fixture f, LocalDateTime[] window, int n, Shard.ShardBy by) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<WorkerResult>> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                running.add(pool.submit(() -> {
                    try (SqlMigration m = new SqlMigration(f.plan())) {
                        return m.migrate(request(window), new Workers(n, index, by, Duration.ofSeconds(5)), Progress.silent());
                    }
                }));
            }
            List<WorkerResult> out = new ArrayList<>();
            for (Future<WorkerResult> r : running) {
                out.add(r.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}

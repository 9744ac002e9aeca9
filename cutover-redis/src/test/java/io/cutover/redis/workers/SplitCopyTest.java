package io.cutover.redis.workers;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.core.progress.Progress;
import io.cutover.core.workers.Worker;
import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.select.KeySelection;
import io.cutover.redis.select.SlotRanges;
import io.cutover.redis.testing.Keyspaces;
import io.cutover.redis.testing.TestCluster;
import io.cutover.redis.testing.TestRedis;
import io.cutover.redis.verify.DiffKind;
import io.cutover.redis.verify.VerifyOptions;
import io.cutover.redis.verify.VerifyReport;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A 3-primary cluster source copied by 1, 2, 3 and 5 workers running at once: together they copy what one worker
 * copies, each key by exactly one of them, and each verifies (and finds differences in) its own share only.
 */
@EnabledIf(value = "io.cutover.testkit.redis.RedisBinaries#hasRedis7", disabledReason = RedisBinaries.NO_REDIS7)
class SplitCopyTest {
    static TestCluster cluster;
    static LocalRedisServer target;
    static Map<String, Keyspaces.Entry> source;
    /** Source keys the selection keeps (every key but skip:*), by name (ISO-8859-1). */
    static List<byte[]> selected = new ArrayList<>();
    static final KeySelection SELECTION = KeySelection.of(null, List.of("skip:*"));

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(3);
        target = TestRedis.V7.startManaged();
        try (RedisEndpoint e = endpoint(cluster.uri(), "source"); KeyedConnection c = e.connectKeyedPipelined(0)) {
            List<RedisFuture<?>> sent = new ArrayList<>();
            // one key in every slot, found by trying hash tags until each slot has one
            String[] tagOf = new String[SlotRanges.SLOTS];
            int found = 0;
            for (int i = 0; found < SlotRanges.SLOTS; i++) {
                int slot = SlotRanges.slotOf(("t" + i).getBytes());
                if (tagOf[slot] == null) {
                    tagOf[slot] = "t" + i;
                    found++;
                }
            }
            for (int s = 0; s < SlotRanges.SLOTS; s++) {
                sent.add(c.async().set(b("{" + tagOf[s] + "}:k"), b("v" + s)));
                if (s % 7 == 0) {
                    sent.add(c.async().pexpire(b("{" + tagOf[s] + "}:k"), 3_600_000));
                }
                if (s % 50 == 0) {
                    sent.add(c.async().set(b("skip:" + s), b("not selected")));
                }
            }
            // awkward names: binary, hash tags, braces that are no tag
            byte[][] awkward = {
                    {'b', 'i', 'n', 0, (byte) 0xff, ':', '1'}, {0}, {(byte) 0xc3, (byte) 0x28},
                    b("{user1}:cart"), b("{user1}:profile"), b("{user2}:cart"), b("{}:empty-tag"), b("a}b{c"),
                    b("{user1"), b(" lead"), b("sésame")};
            for (byte[] k : awkward) {
                sent.add(c.async().set(k, b("awkward")));
            }
            sent.add(c.async().hset(b("{user1}:h"), b("f"), b("1")));
            sent.add(c.async().rpush(b("{user2}:list"), b("x"), b("y")));
            sent.add(c.async().zadd(b("{user3}:z"), 2.5, b("m")));
            c.flushCommands();
            for (RedisFuture<?> f : sent) {
                io.cutover.redis.inventory.Keyspace.await(e, f);
            }
        }
        source = cluster.read();
        source.keySet().stream().filter(k -> !k.startsWith("skip:")).forEach(k -> selected.add(k.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(cluster.keysPerPrimary()).allSatisfy(n -> assertThat(n).isGreaterThan(5000L));
    }

    @AfterAll
    static void stop() {
        cluster.close();
        target.close();
    }

    @BeforeEach
    void emptyTarget() {
        try (RedisEndpoint t = endpoint(target.uri(), "target"); StatefulRedisConnection<byte[], byte[]> c = t.connect(0)) {
            c.sync().flushall();
        }
    }

    static RedisEndpoint endpoint(String uri, String role) {
        return new RedisEndpoint(RedisUri.parse(uri, null, "--" + role), role);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static CopyOptions options() {
        return CopyOptions.defaults().withSelection(SELECTION).withThreads(2).withBatch(300);
    }

    /** Runs all N workers at once, each with its own endpoints, as N processes would. */
    static List<WorkerResult<CopyReport>> copyWith(int n, CopyOptions options) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<WorkerResult<CopyReport>>> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Worker w = new Worker(i, n, null);
                running.add(pool.submit(() -> {
                    try (RedisEndpoint s = endpoint(cluster.uri(), "source"); RedisEndpoint t = endpoint(target.uri(), "target")) {
                        return new WorkerCopy(s, t, options, w, Progress.silent()).run();
                    }
                }));
            }
            List<WorkerResult<CopyReport>> out = new ArrayList<>();
            for (Future<WorkerResult<CopyReport>> f : running) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static Map<String, String> values(Map<String, Keyspaces.Entry> entries) {
        Map<String, String> out = new TreeMap<>();
        entries.forEach((k, v) -> {
            if (!k.startsWith("skip:")) {
                out.put(k, v.type() + " " + v.value() + (v.pttl() < 0 ? "" : " ttl"));
            }
        });
        return out;
    }

    static Map<String, Keyspaces.Entry> targetKeys() {
        try (RedisEndpoint t = endpoint(target.uri(), "target"); StatefulRedisConnection<byte[], byte[]> c = t.connect(0)) {
            return Keyspaces.read(c);
        }
    }

    static long selectedIn(SlotRanges slots) {
        return selected.stream().filter(k -> slots.contains(SlotRanges.slotOf(k))).count();
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2, 3, 5})
    void nWorkersTogetherCopyWhatOneCopiesEachKeyOnce(int n) throws Exception {
        List<WorkerResult<CopyReport>> results = copyWith(n, options());

        assertThat(values(targetKeys())).as("the union of the workers' copies is the source").isEqualTo(values(source));
        BitSet covered = new BitSet();
        long copied = 0;
        long filtered = 0;
        for (WorkerResult<CopyReport> r : results) {
            CopyReport c = r.report();
            assertThat(c.clean()).as(r.share().toString()).isTrue();
            assertThat(c.skippedUnchanged()).as("no key was copied by two workers").isZero();
            assertThat(c.copied()).as(r.share().toString()).isEqualTo(selectedIn(r.share().slots()));
            for (int s : r.share().slots().slots()) {
                assertThat(covered.get(s)).as("slot %d in two shares", s).isFalse();
                covered.set(s);
            }
            copied += c.copied();
            filtered += c.skippedFiltered();
        }
        assertThat(covered.cardinality()).isEqualTo(SlotRanges.SLOTS);
        assertThat(copied).isEqualTo(selected.size());
        assertThat(filtered).as("skip:* counted once, by its worker").isEqualTo(source.size() - selected.size());
        if (n <= 3) {
            assertThat(results).allSatisfy(r -> assertThat(r.share().wholeServers()).as(r.share().toString()).isTrue());
            assertThat(results.stream().mapToInt(r -> r.share().parts().size()).sum()).isEqualTo(3);
        } else {
            assertThat(results.stream().filter(r -> !r.share().wholeServers())).hasSize(4);
            assertThat(results.get(0).share().covers()).matches("slots 0-2729 of primary 127\\.0\\.0\\.1:\\d+");
        }
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {3, 5})
    void eachWorkersProgressCountsItsShareNotTheWholeKeyspace(int n) throws Exception {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            try (RedisEndpoint s = endpoint(cluster.uri(), "source"); RedisEndpoint t = endpoint(target.uri(), "target");
                 Progress p = Progress.to(System.err, false, "copy", 0)) {
                WorkerResult<CopyReport> r = new WorkerCopy(s, t, options(), new Worker(i, n, null), p).run();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(": (\\d+)/(\\d+) ").matcher(p.line());
                assertThat(m.find()).as(p.line()).isTrue();
                long total = Long.parseLong(m.group(2));
                long inShare = source.keySet().stream().filter(k -> r.share().slots().containsKey(b(k))).count();
                if (r.share().wholeServers()) {
                    long keys = 0;
                    for (WorkerShare.Part part : r.share().parts()) {
                        try (RedisEndpoint node = endpoint("redis://" + part.server(), "source")) {
                            keys += node.refreshInfo().keysPerDb().getOrDefault(0, 0L); // that server alone
                        }
                    }
                    assertThat(total).as(r.share().toString()).isEqualTo(keys);
                } else { // part of a primary's slots: that primary's keys scaled by the part
                    assertThat(total).as(r.share().toString()).isBetween(inShare / 2, inShare * 2);
                }
                sum += total;
            }
        }
        try (RedisEndpoint s = endpoint(cluster.uri(), "source")) {
            assertThat(sum).as("the shares' totals add up to the keyspace").isCloseTo(s.keyCount(0),
                    org.assertj.core.data.Offset.offset((long) n));
        }
    }

    @Test
    void eachWorkerVerifiesItsShareAndFindsOnlyItsOwnDifferences() throws Exception {
        copyWith(5, options());
        VerifyOptions vo = VerifyOptions.defaults().withSelection(SELECTION);
        List<WorkerResult<VerifyReport>> clean = verifyAll(5, vo);
        assertThat(clean).allSatisfy(r -> assertThat(r.report().identical()).as(r.share().toString()).isTrue());
        assertThat(clean.stream().mapToLong(r -> r.report().checked()).sum()).isEqualTo(selected.size());
        assertThat(clean.stream().mapToLong(r -> r.report().targetChecked()).sum()).isEqualTo(selected.size());

        // plant a changed value, an extra key and a missing one, each in some worker's share
        byte[] changed = b("{user1}:cart");
        byte[] extra = b("{user2}:ghost");
        byte[] missing = new byte[] {'b', 'i', 'n', 0, (byte) 0xff, ':', '1'};
        try (RedisEndpoint t = endpoint(target.uri(), "target"); StatefulRedisConnection<byte[], byte[]> c = t.connect(0)) {
            c.sync().set(changed, b("changed on the target"));
            c.sync().set(extra, b("nobody copied me"));
            c.sync().del(missing);
        }
        List<WorkerResult<VerifyReport>> after = verifyAll(5, vo);
        for (WorkerResult<VerifyReport> r : after) {
            SlotRanges mine = r.share().slots();
            Map<DiffKind, Long> d = r.report().differences();
            assertThat(d.get(DiffKind.VALUE)).as(r.share().toString()).isEqualTo(mine.contains(SlotRanges.slotOf(changed)) ? 1 : 0);
            assertThat(d.get(DiffKind.EXTRA)).as(r.share().toString()).isEqualTo(mine.contains(SlotRanges.slotOf(extra)) ? 1 : 0);
            assertThat(d.get(DiffKind.MISSING)).as(r.share().toString()).isEqualTo(mine.contains(SlotRanges.slotOf(missing)) ? 1 : 0);
            assertThat(r.report().total()).isEqualTo(d.get(DiffKind.VALUE) + d.get(DiffKind.EXTRA) + d.get(DiffKind.MISSING));
        }
        assertThat(after.stream().mapToLong(r -> r.report().total()).sum()).isEqualTo(3);
        assertThat(after.stream().filter(r -> !r.report().identical()).count())
                .as("the three keys' slots fall in these many shares")
                .isEqualTo(after.stream().filter(r -> r.share().slots().contains(SlotRanges.slotOf(changed))
                        || r.share().slots().contains(SlotRanges.slotOf(extra))
                        || r.share().slots().contains(SlotRanges.slotOf(missing))).count());
    }

    static List<WorkerResult<VerifyReport>> verifyAll(int n, VerifyOptions vo) {
        List<WorkerResult<VerifyReport>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (RedisEndpoint s = endpoint(cluster.uri(), "source"); RedisEndpoint t = endpoint(target.uri(), "target")) {
                out.add(new WorkerVerify(s, t, vo, new Worker(i, n, null), Progress.silent()).run());
            }
        }
        return out;
    }

    @Test
    void eachWorkerKeepsItsOwnCheckpointWhichNoOtherShareMayResume(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("copy.json");
        copyWith(5, options().withCheckpoint(file));
        List<String> names;
        try (var files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        // workers 0-3 each read one primary, worker 4 the third primary whole: one file per worker and primary
        assertThat(names).hasSize(5).allMatch(f -> f.matches("copy\\.json\\.worker-[0-4]-of-5\\.127\\.0\\.0\\.1-\\d+"));
        assertThat(names.stream().map(f -> f.substring(0, "copy.json.worker-0".length())).distinct()).hasSize(5);
        assertThat(Files.readString(dir.resolve(names.get(1)))).contains("slots 2730-5460");

        // a finished share resumes to nothing more
        try (RedisEndpoint s = endpoint(cluster.uri(), "source"); RedisEndpoint t = endpoint(target.uri(), "target")) {
            CopyReport again = new WorkerCopy(s, t, options().withCheckpoint(file), new Worker(1, 5, null), Progress.silent()).run().report();
            assertThat(again.resumed()).isTrue();
            assertThat(again.copied()).isEqualTo(selectedIn(WorkerShares.plan(WorkerShares.servers(s), true, 5).get(1).slots()));
            assertThat(again.keysPerSecond()).isZero();
        }

        // the same file name under another split is refused: its slots differ (worker 0 of 4 would have the same
        // slots as worker 0 of 5, 0-2729, and could resume it; worker 0 of 2 has 0-10922)
        Path renamed = dir.resolve(names.get(0).replace("worker-0-of-5", "worker-0-of-2"));
        Files.copy(dir.resolve(names.get(0)), renamed);
        try (RedisEndpoint s = endpoint(cluster.uri(), "source"); RedisEndpoint t = endpoint(target.uri(), "target")) {
            assertThatThrownBy(() -> new WorkerCopy(s, t, options().withCheckpoint(file), new Worker(0, 2, null), Progress.silent()).run())
                    .isInstanceOfSatisfying(CutoverException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).contains("written for another copy").contains("slots 0-2729");
                    });
        }
    }

    @Test
    void aWorkerWhoseSlotMapNoLongerHoldsFailsAtTheEnd() {
        try (RedisEndpoint s = endpoint(cluster.uri(), "source")) {
            WorkerShare mine = WorkerShares.of(s, new Worker(0, 3, null));
            WorkerShares.checkUnchanged(s, mine); // the same map: passes
            WorkerShare stale = new WorkerShare(mine.worker(), "00000000", true, mine.slots(), mine.parts());
            assertThatThrownBy(() -> WorkerShares.checkUnchanged(s, stale))
                    .isInstanceOfSatisfying(CutoverException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.RUNTIME);
                        assertThat(e.getMessage()).startsWith("worker 0 of 3: the source's slot map changed while it ran");
                    });
        }
    }

    @Test
    void aStandaloneSourceIsSplitByKeySlotToo() throws Exception {
        try (LocalRedisServer standalone = TestRedis.V7.startManaged()) {
            try (RedisEndpoint s = endpoint(standalone.uri(), "source"); StatefulRedisConnection<byte[], byte[]> c = s.connect(0)) {
                Keyspaces.fill(c.sync(), "{user1}:", 5, true);
                Keyspaces.fill(c.sync(), "", 200, true);
                c.sync().select(2);
                Keyspaces.fill(c.sync(), "db2:", 100, false);
            }
            Map<Integer, Map<String, Keyspaces.Entry>> expected = new TreeMap<>();
            for (int db : new int[] {0, 2}) {
                try (RedisEndpoint s = endpoint(standalone.uri(), "source"); StatefulRedisConnection<byte[], byte[]> c = s.connect(db)) {
                    expected.put(db, Keyspaces.read(c));
                }
            }
            long total = expected.values().stream().mapToLong(Map::size).sum();
            long copied = 0;
            for (int i = 0; i < 3; i++) {
                try (RedisEndpoint s = endpoint(standalone.uri(), "source"); RedisEndpoint t = endpoint(target.uri(), "target")) {
                    WorkerResult<CopyReport> r = new WorkerCopy(s, t, CopyOptions.defaults(), new Worker(i, 3, null), Progress.silent()).run();
                    assertThat(r.share().covers()).startsWith("slots ").contains(" of server 127.0.0.1:");
                    assertThat(r.report().skippedUnchanged()).isZero();
                    assertThat(r.report().clean()).isTrue();
                    copied += r.report().copied();
                }
            }
            assertThat(copied).isEqualTo(total);
            for (int db : new int[] {0, 2}) {
                try (RedisEndpoint t = endpoint(target.uri(), "target"); StatefulRedisConnection<byte[], byte[]> c = t.connect(db)) {
                    assertThat(values(Keyspaces.read(c))).isEqualTo(values(expected.get(db)));
                }
            }
        }
    }
}

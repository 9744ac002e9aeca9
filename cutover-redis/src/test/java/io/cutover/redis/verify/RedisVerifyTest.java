package io.cutover.redis.verify;

import io.cutover.core.error.ExitCode;
import io.cutover.core.output.Json;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.inventory.TestData;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.select.KeySelection;
import io.cutover.redis.testing.TestRedis;
import io.cutover.core.progress.Progress;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.copy.RedisCopy;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class RedisVerifyTest {
    private static final VerifyOptions SELECTED = VerifyOptions.defaults()
            .withSelection(KeySelection.of(List.of("s:*"), null)).withMaxDiffs(100);

    /** The same values on both sides, some written in another order or encoding on the target. */
    private static void fill(RedisCommands<String, String> r, boolean target, boolean streams) {
        r.set("s:str", "hello");
        r.hmset("s:hash", Map.of("a", "1", "b", "2", "c", "3"));
        r.rpush("s:list", "a", "b", "c");
        r.sadd("s:set", "x", "y", "z");
        r.zadd("s:zset", 1.0, "a");
        r.zadd("s:zset", 2.5, "b");
        r.psetex("s:ttl", 3_600_000L, "v");
        r.psetex("s:ttl2", 3_600_000L, "v");
        List<String> fields = new ArrayList<>(List.of("f1", "f2", "f3", "f4", "f5"));
        if (target) {
            Collections.reverse(fields);
        }
        for (String f : fields) {
            r.hset("s:reordered-hash", f, "v" + f);
            r.sadd("s:reordered-set", "m" + f);
        }
        Map<String, String> ten = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            ten.put("g" + i, "v" + i);
        }
        if (target) {
            // the same 10 fields, but a long value first turns the target's hash into a hashtable for good:
            // equal values, different DUMP payloads
            r.hset("s:encoded", "g0", "x".repeat(100));
        }
        r.hmset("s:encoded", ten);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            members.add("member-" + i);
        }
        if (target) {
            Collections.reverse(members);
        }
        r.sadd("s:bigset", members.toArray(String[]::new));
        for (String t : List.of("string", "hash", "list", "set", "zset")) {
            String k = "s:v-" + t;
            switch (t) {
                case "string" -> r.set(k, "same");
                case "hash" -> r.hmset(k, Map.of("a", "1", "b", "2"));
                case "list" -> r.rpush(k, "1", "2", "3");
                case "set" -> r.sadd(k, "1", "2", "3");
                default -> {
                    r.zadd(k, 1, "a");
                    r.zadd(k, 2, "b");
                }
            }
        }
        if (streams) {
            r.xadd("s:stream", new XAddArgs().id("1-1"), Map.of("a", "1"));
            r.xadd("s:stream", new XAddArgs().id("2-1"), Map.of("b", "2"));
            r.xadd("s:v-stream", new XAddArgs().id("1-1"), Map.of("a", "1"));
            r.xadd("s:v-stream", new XAddArgs().id("2-1"), Map.of("b", "2"));
        }
        r.set("other:x", target ? "different" : "value"); // outside the selection
    }

    /** One difference of each kind (and several of the value kind) on the target. */
    private static void breakTarget(RedisCommands<String, String> r, boolean streams) {
        r.del("s:str");                                   // missing
        r.set("s:extra", "x");                            // extra
        r.set("other:extra", "x");                        // outside the selection: not reported
        r.del("s:list");
        r.set("s:list", "now a string");                  // type
        r.set("s:v-string", "diff");                      // value, same length
        r.hset("s:v-hash", "a", "9");                     // value, same field count
        r.lset("s:v-list", 0, "9");
        r.srem("s:v-set", "1");
        r.sadd("s:v-set", "9");
        r.zadd("s:v-zset", 5, "a");                       // only a score differs
        r.srem("s:bigset", "member-17");
        r.sadd("s:bigset", "member-x");                   // big key, chunked digest
        if (streams) {
            r.xdel("s:v-stream", "2-1");
            r.xadd("s:v-stream", new XAddArgs().id("3-1"), Map.of("b", "2"));
        }
        r.persist("s:ttl");                               // ttl on one side only
        r.pexpire("s:ttl2", 3_600_000L + 30_000L);        // ttl beyond the tolerance
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"V7, V7", "V7, V2_8", "V2_8, V6_2"})
    void findsEveryKindOfDifference(TestRedis from, TestRedis to) throws Exception {
        boolean streams = from != TestRedis.V2_8 && to != TestRedis.V2_8;
        try (LocalRedisServer a = from.startManaged(); LocalRedisServer b = to.startManaged();
             RedisEndpoint source = TestData.endpoint(a, -1, "source");
             RedisEndpoint target = TestData.endpoint(b, -1, "target")) {
            TestData.with(a, 0, r -> fill(r, false, streams));
            TestData.with(b, 0, r -> fill(r, true, streams));
            TestData.with(a, 0, r -> r.psetex("s:expiring", 1500, "about to go")); // not on the target: not missing

            if (from == to) {
                // the fallback is exercised: equal hashes whose DUMP payloads differ (listpack vs hashtable)
                byte[][] dumps = new byte[2][];
                TestData.with(a, 0, r -> dumps[0] = r.dump("s:encoded"));
                TestData.with(b, 0, r -> dumps[1] = r.dump("s:encoded"));
                assertThat(dumps[0]).isNotEqualTo(dumps[1]);
            }
            VerifyReport same = new RedisVerify(source, target, SELECTED).run();
            assertThat(same.first()).isEmpty();
            assertThat(same.identical()).isTrue();
            assertThat(same.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(same.valueMethod()).isEqualTo(from == to ? "dump" : "digest");
            assertThat(same.checked()).isEqualTo(streams ? 18 : 16);
            assertThat(same.vanished()).isEqualTo(1);

            TestData.with(b, 0, r -> breakTarget(r, streams));
            VerifyReport diff = new RedisVerify(source, target, SELECTED).run();
            assertThat(diff.identical()).isFalse();
            assertThat(diff.exitCode()).isEqualTo(ExitCode.DIFFERENCES);
            assertThat(diff.differences()).containsEntry(DiffKind.MISSING, 1L).containsEntry(DiffKind.EXTRA, 1L)
                    .containsEntry(DiffKind.TYPE, 1L).containsEntry(DiffKind.VALUE, streams ? 7L : 6L)
                    .containsEntry(DiffKind.TTL, 2L);
            Map<String, DiffKind> byKey = new LinkedHashMap<>();
            diff.first().forEach(d -> byKey.put(d.key(), d.kind()));
            assertThat(byKey).containsEntry("s:str", DiffKind.MISSING).containsEntry("s:extra", DiffKind.EXTRA)
                    .containsEntry("s:list", DiffKind.TYPE).containsEntry("s:v-string", DiffKind.VALUE)
                    .containsEntry("s:v-hash", DiffKind.VALUE).containsEntry("s:v-list", DiffKind.VALUE)
                    .containsEntry("s:v-set", DiffKind.VALUE).containsEntry("s:v-zset", DiffKind.VALUE)
                    .containsEntry("s:bigset", DiffKind.VALUE).containsEntry("s:ttl", DiffKind.TTL)
                    .containsEntry("s:ttl2", DiffKind.TTL)
                    .doesNotContainKeys("other:extra", "other:x", "s:reordered-hash", "s:reordered-set", "s:encoded");
            if (streams) {
                assertThat(byKey).containsEntry("s:v-stream", DiffKind.VALUE).doesNotContainKey("s:stream");
            }
            assertThat(diff.table()).contains("differences: missing 1, extra 1, type 1").contains("s:v-zset");
            String json = Json.write(diff);
            assertThat(Json.mapper().readTree(json).at("/differences/value").asLong()).isEqualTo(streams ? 7 : 6);
            assertThat(Json.mapper().readTree(json).at("/first/0/kind").asText()).isNotEmpty();

            VerifyReport capped = new RedisVerify(source, target, SELECTED.withMaxDiffs(2)).run();
            assertThat(capped.first()).hasSize(2);
            assertThat(capped.total()).isEqualTo(diff.total());
        }
    }

    @Test
    void followsTheDbMapWithPrefixAndFindsExtraKeys() {
        try (LocalRedisServer a = TestRedis.V7.startManaged(); LocalRedisServer b = TestRedis.V7.startManaged();
             RedisEndpoint source = TestData.endpoint(a, -1, "source");
             RedisEndpoint target = TestData.endpoint(b, -1, "target")) {
            Consumer<RedisCommands<String, String>> jobs = r -> {
                r.rpush("queue", "1", "2");
                r.set("lock", "x");
            };
            TestData.with(a, 3, jobs);
            TestData.with(b, 0, r -> {
                r.rpush("jobs:queue", "1", "2");
                r.set("jobs:lock", "x");
            });
            VerifyOptions mapped = VerifyOptions.defaults().withDbMapping(DbMapping.parse(List.of("3:0:prefix=jobs:")));
            VerifyReport ok = new RedisVerify(source, target, mapped).run();
            assertThat(ok.first()).isEmpty();
            assertThat(ok.checked()).isEqualTo(2);
            assertThat(ok.targetChecked()).isEqualTo(2);

            TestData.with(b, 0, r -> {
                r.set("jobs:stale", "x");
                r.set("unrelated", "x");
            });
            VerifyReport extra = new RedisVerify(source, target, mapped).run();
            assertThat(extra.first()).extracting(Difference::targetKey).containsExactlyInAnyOrder("jobs:stale", "unrelated");
            Difference stale = extra.first().stream().filter(d -> d.targetKey().equals("jobs:stale")).findFirst().orElseThrow();
            assertThat(stale.sourceDb()).isEqualTo(0); // first candidate: db 0 (identity) — both are reported extra
            assertThat(extra.differences()).containsEntry(DiffKind.EXTRA, 2L);

            // without the map, the source's db 3 keys are missing from the target's db 3
            VerifyReport unmapped = new RedisVerify(source, target, VerifyOptions.defaults()).run();
            assertThat(unmapped.differences()).containsEntry(DiffKind.MISSING, 2L);
        }
    }

    @Test
    void manyBatchesCountEveryDifferenceExactlyOnce() {
        try (LocalRedisServer a = TestRedis.V7.startManaged(); LocalRedisServer b = TestRedis.V6_2.startManaged();
             RedisEndpoint source = TestData.endpoint(a, -1, "source");
             RedisEndpoint target = TestData.endpoint(b, -1, "target")) {
            for (LocalRedisServer server : List.of(a, b)) {
                TestData.with(server, 0, r -> {
                    for (int i = 0; i < 3000; i++) {
                        r.hmset("h:" + i, Map.of("f", "v" + i));
                    }
                });
            }
            TestData.with(b, 0, r -> {
                for (int i = 0; i < 3000; i += 100) {
                    r.hset("h:" + i, "f", "changed");  // 30 values
                    r.del("h:" + (i + 1));             // 30 missing
                    r.set("x:" + i, "extra");          // 30 extra
                }
            });
            VerifyReport report = new RedisVerify(source, target, new VerifyOptions(KeySelection.all(), DbMapping.identity(),
                    0, java.time.Duration.ofSeconds(2), 1000, 100)).run();
            assertThat(report.checked()).isEqualTo(3000);
            assertThat(report.targetChecked()).isEqualTo(3000 - 30 + 30);
            assertThat(report.differences()).containsEntry(DiffKind.VALUE, 30L).containsEntry(DiffKind.MISSING, 30L)
                    .containsEntry(DiffKind.EXTRA, 30L).containsEntry(DiffKind.TYPE, 0L).containsEntry(DiffKind.TTL, 0L);
            assertThat(report.first()).hasSize(90).extracting(Difference::key).doesNotHaveDuplicates();
        }
    }

    @Test
    void aTargetUriDatabaseStandsForTheOneSourceDatabaseOnly() {
        try (LocalRedisServer a = TestRedis.V7.startManaged(); LocalRedisServer b = TestRedis.V7.startManaged()) {
            TestData.with(a, 3, r -> r.set("k", "v"));
            TestData.with(a, 4, r -> r.set("other", "v"));
            TestData.with(b, 0, r -> r.set("k", "v"));
            try (RedisEndpoint source = TestData.endpoint(a, 3, "source"); RedisEndpoint target = TestData.endpoint(b, 0, "target")) {
                VerifyReport report = new RedisVerify(source, target, VerifyOptions.defaults()).run();
                assertThat(report.identical()).isTrue();
                assertThat(report.checked()).isEqualTo(1);
            }
            try (RedisEndpoint source = TestData.endpoint(a, -1, "source"); RedisEndpoint target = TestData.endpoint(b, 0, "target")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RedisVerify(source, target, VerifyOptions.defaults()).run())
                        .isInstanceOfSatisfying(io.cutover.core.error.CutoverException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                            assertThat(e.getMessage()).isEqualTo("--target names database 0 but the source has databases [3, 4]: "
                                    + "say where each goes with --db-map SRC:DST");
                        });
            }
        }
    }

    @Test
    void checksARandomSample() {
        try (LocalRedisServer a = TestRedis.V7.startManaged(); LocalRedisServer b = TestRedis.V7.startManaged();
             RedisEndpoint source = TestData.endpoint(a, 0, "source");
             RedisEndpoint target = TestData.endpoint(b, 0, "target")) {
            TestData.with(a, 0, r -> {
                for (int i = 0; i < 400; i++) {
                    r.set("k" + i, "v");
                }
            });
            TestData.with(b, 0, r -> {
                for (int i = 0; i < 400; i += 2) {
                    r.set("k" + i, "v");
                }
            });
            VerifyReport report = new RedisVerify(source, target, VerifyOptions.defaults().withSample(40)).run();
            assertThat(report.sampled()).isTrue();
            assertThat(report.checked()).isEqualTo(40);
            assertThat(report.targetChecked()).isEqualTo(40);
            assertThat(report.differences().get(DiffKind.MISSING)).isBetween(1L, 39L);
            assertThat(report.differences().get(DiffKind.EXTRA)).isZero();
        }
    }

    @Test
    void aCopiedStreamThatLostAGroupOrAPendingEntryDiffers() {
        try (LocalRedisServer a = TestRedis.V7.startManaged(); LocalRedisServer b = TestRedis.V6_2.startManaged();
             RedisEndpoint source = TestData.endpoint(a, -1, "source");
             RedisEndpoint target = TestData.endpoint(b, -1, "target")) {
            TestData.with(a, 0, r -> {
                for (int i = 1; i <= 5; i++) {
                    r.xadd("orders", new XAddArgs().id("1-" + i), Map.of("n", String.valueOf(i)));
                }
                r.xgroupCreate(XReadArgs.StreamOffset.from("orders", "0"), "billing");
                r.xreadgroup(io.lettuce.core.Consumer.from("billing", "alice"), XReadArgs.Builder.count(2), XReadArgs.StreamOffset.lastConsumed("orders"));
                r.xgroupCreate(XReadArgs.StreamOffset.from("orders", "1-3"), "audit");
                r.xdel("orders", "1-5");
                r.xadd("plain", new XAddArgs().id("1-1"), Map.of("a", "1"));
            });
            CopyReport copy = new RedisCopy(source, target, CopyOptions.defaults(), Progress.silent()).run();
            assertThat(copy.failures()).isEmpty();
            assertThat(copy.copied()).isEqualTo(2);

            VerifyReport clean = new RedisVerify(source, target, VerifyOptions.defaults()).run();
            assertThat(clean.first()).isEmpty();
            assertThat(clean.identical()).isTrue();
            assertThat(clean.checked()).isEqualTo(2);

            TestData.with(b, 0, r -> r.xgroupDestroy("orders", "audit"));
            VerifyReport lost = new RedisVerify(source, target, VerifyOptions.defaults()).run();
            assertThat(lost.differences()).containsEntry(DiffKind.VALUE, 1L);
            assertThat(lost.first()).extracting(Difference::key, Difference::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", DiffKind.VALUE));

            TestData.with(b, 0, r -> r.xgroupCreate(XReadArgs.StreamOffset.from("orders", "1-3"), "audit"));
            assertThat(new RedisVerify(source, target, VerifyOptions.defaults()).run().identical()).isTrue();
            TestData.with(b, 0, r -> r.xack("orders", "billing", "1-1")); // one pending entry fewer
            VerifyReport acked = new RedisVerify(source, target, VerifyOptions.defaults()).run();
            assertThat(acked.first()).extracting(Difference::key).containsExactly("orders");
        }
    }
}

package io.cutover.redis.copy;

import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.inventory.TestData;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.cutover.redis.copy.CopyAssertions.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A type-native (downgrade) copy of streams keeps what consumer groups need: ids, groups, pending entries, consumers. */
class StreamGroupsCopyTest {

    /**
     * orders: entries 1-1 … 1-10 with 1-9 and 1-10 deleted; group billing read up to 1-5 with pending 1-1 (alice, 1
     * delivery), 1-3 (alice, 3 deliveries), 1-4 and 1-5 (bob, 1 each) and carol idle without pending; group audit at
     * 1-7 without consumers. empty: created by XGROUP CREATE … MKSTREAM. drained: one entry, deleted.
     */
    static void fill(RedisCommands<String, String> r) {
        for (int i = 1; i <= 10; i++) {
            r.xadd("orders", new XAddArgs().id("1-" + i), Map.of("n", String.valueOf(i)));
        }
        r.xgroupCreate(XReadArgs.StreamOffset.from("orders", "0"), "billing");
        r.xreadgroup(Consumer.from("billing", "alice"), XReadArgs.Builder.count(3), XReadArgs.StreamOffset.lastConsumed("orders"));
        r.xreadgroup(Consumer.from("billing", "bob"), XReadArgs.Builder.count(2), XReadArgs.StreamOffset.lastConsumed("orders"));
        r.xack("orders", "billing", "1-2");
        r.xclaim("orders", Consumer.from("billing", "alice"), new XClaimArgs(), "1-3"); // delivered twice
        r.xclaim("orders", Consumer.from("billing", "alice"), new XClaimArgs(), "1-3"); // three times
        r.xgroupCreateconsumer("orders", Consumer.from("billing", "carol"));
        r.xgroupCreate(XReadArgs.StreamOffset.from("orders", "1-7"), "audit");
        r.xdel("orders", "1-9", "1-10");
        r.xgroupCreate(XReadArgs.StreamOffset.from("empty", "$"), "workers", new XGroupCreateArgs().mkstream(true));
        r.xadd("drained", new XAddArgs().id("5-1"), Map.of("a", "b"));
        r.xdel("drained", "5-1");
    }

    /** The name → value pairs of an XINFO reply. */
    static Map<String, Object> fields(List<Object> reply) {
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            out.put(String.valueOf(reply.get(i)), reply.get(i + 1));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> groups(RedisCommands<String, String> r, String key) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Object g : r.xinfoGroups(key)) {
            Map<String, Object> f = fields((List<Object>) g);
            out.put((String) f.get("name"), f);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> consumers(RedisCommands<String, String> r, String key, String group) {
        List<String> out = new ArrayList<>();
        for (Object c : r.xinfoConsumers(key, group)) {
            out.add((String) fields((List<Object>) c).get("name"));
        }
        return out;
    }

    @Test
    void downgradeCopyKeepsIdsGroupsPendingEntriesAndConsumers() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.startManaged(); LocalRedisServer dst = TestRedis.V6_2.startManaged();
             RedisEndpoint source = endpoint(src, "source"); RedisEndpoint target = endpoint(dst, "target")) {
            TestData.with(src, 0, StreamGroupsCopyTest::fill);
            Thread.sleep(300); // pending entries idle for a while: the target must show it, not a fresh delivery

            CopyReport report = new RedisCopy(source, target, CopyOptions.defaults(), Progress.silent()).run();

            assertThat(report.failures()).as(report.toString()).isEmpty();
            assertThat(report.mode()).isEqualTo("struct");
            assertThat(report.copied()).as(report.toString()).isEqualTo(3);
            // copying again without --replace: the streams are recognised as this job's, not someone else's
            CopyReport again = new RedisCopy(source, target, CopyOptions.defaults(), Progress.silent()).run();
            assertThat(again.skippedUnchanged()).as(again.toString()).isEqualTo(3);
            TestData.with(dst, 0, r -> {
                assertThat(TestData.keys(dst, 0)).containsExactly("drained", "empty", "orders");
                assertThat(fields(r.xinfoStream("orders"))).containsEntry("last-generated-id", "1-10").containsEntry("length", 8L);
                Map<String, Map<String, Object>> groups = groups(r, "orders");
                assertThat(groups).containsOnlyKeys("billing", "audit");
                assertThat(groups.get("billing")).containsEntry("last-delivered-id", "1-5").containsEntry("pending", 4L)
                        .containsEntry("consumers", 3L);
                assertThat(groups.get("audit")).containsEntry("last-delivered-id", "1-7").containsEntry("pending", 0L)
                        .containsEntry("consumers", 0L);

                PendingMessages summary = r.xpending("orders", "billing");
                assertThat(summary.getCount()).isEqualTo(4);
                assertThat(summary.getMessageIds().getLower().getValue()).isEqualTo("1-1");
                assertThat(summary.getMessageIds().getUpper().getValue()).isEqualTo("1-5");
                assertThat(summary.getConsumerMessageCount()).containsOnly(Map.entry("alice", 2L), Map.entry("bob", 2L));
                List<PendingMessage> pel = r.xpending("orders", "billing", Range.create("-", "+"), Limit.from(100));
                assertThat(pel).extracting(PendingMessage::getId, PendingMessage::getConsumer, PendingMessage::getRedeliveryCount)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("1-1", "alice", 1L),
                                org.assertj.core.groups.Tuple.tuple("1-3", "alice", 3L),
                                org.assertj.core.groups.Tuple.tuple("1-4", "bob", 1L),
                                org.assertj.core.groups.Tuple.tuple("1-5", "bob", 1L));
                assertThat(pel).allSatisfy(p -> assertThat(p.getMsSinceLastDelivery()).isGreaterThanOrEqualTo(250));
                assertThat(consumers(r, "orders", "billing")).containsExactlyInAnyOrder("alice", "bob", "carol");

                List<StreamMessage<String, String>> next = r.xreadgroup(Consumer.from("billing", "dave"),
                        XReadArgs.StreamOffset.lastConsumed("orders"));
                assertThat(next).extracting(StreamMessage::getId).containsExactly("1-6", "1-7", "1-8");
                List<StreamMessage<String, String>> audit = r.xreadgroup(Consumer.from("audit", "eve"),
                        XReadArgs.StreamOffset.lastConsumed("orders"));
                assertThat(audit).extracting(StreamMessage::getId).containsExactly("1-8");
                // new ids must follow the deleted 1-10, as on the source
                assertThatThrownBy(() -> r.xadd("orders", new XAddArgs().id("1-9"), Map.of("n", "again")))
                        .isInstanceOf(RedisCommandExecutionException.class).hasMessageContaining("equal or smaller");

                assertThat(r.type("empty")).isEqualTo("stream");
                assertThat(fields(r.xinfoStream("empty"))).containsEntry("length", 0L).containsEntry("last-generated-id", "0-0");
                assertThat(groups(r, "empty")).containsOnlyKeys("workers");
                assertThat(groups(r, "empty").get("workers")).containsEntry("last-delivered-id", "0-0");
                assertThat(fields(r.xinfoStream("drained"))).containsEntry("length", 0L).containsEntry("last-generated-id", "5-1");
                assertThat(r.xinfoGroups("drained")).isEmpty();
            });

        }
    }

    @Test
    void structCopyBetweenSevensKeepsEntriesReadAndSkipsPendingEntriesOfDeletedEntries() {
        try (LocalRedisServer src = TestRedis.V7.startManaged(); LocalRedisServer dst = TestRedis.V7.startManaged();
             RedisEndpoint source = endpoint(src, "source"); RedisEndpoint target = endpoint(dst, "target")) {
            int n = 2 * StreamGroupsCopier.PENDING_CHUNK + 500; // three XPENDING pages
            TestData.with(src, 0, r -> {
                for (int i = 1; i <= n; i++) {
                    r.xadd("jobs", new XAddArgs().id("1-" + i), Map.of("n", String.valueOf(i)));
                }
                r.xgroupCreate(XReadArgs.StreamOffset.from("jobs", "0"), "workers");
                r.xreadgroup(Consumer.from("workers", "w1"), XReadArgs.StreamOffset.lastConsumed("jobs"));
                r.xdel("jobs", "1-7", "1-" + (StreamGroupsCopier.PENDING_CHUNK + 1)); // still pending, entry gone
                r.xtrim("jobs", n - 4); // drops 1-1 and 1-2, also pending
                r.xgroupCreate(XReadArgs.StreamOffset.from("idle", "$"), "g", new XGroupCreateArgs().mkstream(true));
            });
            Map<String, Object> before = new HashMap<>();
            TestData.with(src, 0, r -> before.putAll(fields(r.xinfoStream("jobs"))));
            assertThat(before.get("max-deleted-entry-id")).isEqualTo("1-" + (StreamGroupsCopier.PENDING_CHUNK + 1));

            CopyReport report = new RedisCopy(source, target, CopyOptions.defaults().withMode(CopyMode.STRUCT),
                    Progress.silent()).run();

            assertThat(report.failures()).as(report.toString()).isEmpty();
            assertThat(report.copiedStruct()).isEqualTo(2);
            TestData.with(dst, 0, r -> {
                // an empty stream is created without a deleted entry: nothing deleted, and its group's lag known
                assertThat(fields(r.xinfoStream("idle"))).containsEntry("length", 0L).containsEntry("entries-added", 0L)
                        .containsEntry("max-deleted-entry-id", "0-0");
                assertThat(groups(r, "idle").get("g")).containsEntry("lag", 0L);
                Map<String, Object> after = fields(r.xinfoStream("jobs"));
                for (String f : List.of("length", "last-generated-id", "entries-added", "max-deleted-entry-id")) {
                    assertThat(after.get(f)).as(f).isEqualTo(before.get(f));
                }
                assertThat(groups(r, "jobs").get("workers")).containsEntry("entries-read", (long) n)
                        .containsEntry("last-delivered-id", "1-" + n).containsEntry("lag", 0L);
                PendingMessages pel = r.xpending("jobs", "workers");
                assertThat(pel.getCount()).isEqualTo(n - 4); // the four deleted entries' pending entries are gone
                assertThat(pel.getMessageIds().getLower().getValue()).isEqualTo("1-3");
                List<PendingMessage> around = r.xpending("jobs", "workers", Range.create("1-6", "1-8"), Limit.from(10));
                assertThat(around).extracting(PendingMessage::getId).containsExactly("1-6", "1-8");
            });
        }
    }

    @Test
    void aStreamDeletedOnTheSourceStaysExpiredAndALostGroupIsNotOurs() {
        try (LocalRedisServer src = TestRedis.V7.startManaged(); LocalRedisServer dst = TestRedis.V6_2.startManaged();
             RedisEndpoint source = endpoint(src, "source"); RedisEndpoint target = endpoint(dst, "target")) {
            TestData.with(src, 0, StreamGroupsCopyTest::fill);
            TestData.with(dst, 0, r -> {
                // what a copy of the entries alone left behind: same entries, no groups
                for (int i = 1; i <= 8; i++) {
                    r.xadd("orders", new XAddArgs().id("1-" + i), Map.of("n", String.valueOf(i)));
                }
            });
            try (StructCopier copier = new StructCopier(source, target, false, new RateLimiter(0), CopyOptions.defaults().workerBatchBytes())) {
                Tally tally = new Tally();
                copier.copy(0, "gone".getBytes(), 0, "gone".getBytes(), tally);
                assertThat(tally.expired).isEqualTo(1);
                assertThat(tally.copied).isZero();
                assertThat(copier.sameValue(0, "orders".getBytes(), 0, "orders".getBytes())).isFalse();
                copier.copy(0, "empty".getBytes(), 0, "empty".getBytes(), tally);
                assertThat(tally.copied).isEqualTo(1);
                assertThat(copier.sameValue(0, "empty".getBytes(), 0, "empty".getBytes())).isTrue();
            }
            assertThat(TestData.keys(dst, 0)).containsExactly("empty", "orders");
        }
    }
}

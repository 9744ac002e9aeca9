package io.cutover.redis.cluster;

import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.copy.RedisCopy;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.Keyspaces;
import io.cutover.redis.testing.TestCluster;
import io.cutover.redis.testing.TestRedis;
import io.cutover.testkit.redis.RedisBinaries;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.models.stream.PendingMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Copies into and out of a 3-primary Redis Cluster, the cluster detected from INFO. */
@EnabledIf(value = "io.cutover.testkit.redis.RedisBinaries#hasRedis7", disabledReason = RedisBinaries.NO_REDIS7)
class ClusterCopyTest {
    static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static RedisEndpoint endpoint(String uri, String role) {
        return new RedisEndpoint(RedisUri.parse(uri, null, "--" + role), role);
    }

    static void flush() {
        for (LocalRedisServer s : cluster.primaries()) {
            try (RedisEndpoint e = endpoint(s.uri(), "node"); StatefulRedisConnection<byte[], byte[]> c = e.connect(0)) {
                c.sync().flushall();
            }
        }
    }

    @ParameterizedTest(name = "{0} -> cluster")
    @EnumSource(value = TestRedis.class, names = {"V2_8", "V7"})
    void standaloneSourceIntoCluster(TestRedis version) {
        flush();
        try (LocalRedisServer src = version.startManaged();
             RedisEndpoint source = endpoint(src.uri(), "source"); RedisEndpoint target = endpoint(cluster.uri(), "target")) {
            try (StatefulRedisConnection<byte[], byte[]> c = source.connect(0)) {
                Keyspaces.fill(c.sync(), "", 40, source.info().hasStreams());
            }
            Map<String, Keyspaces.Entry> expected;
            try (StatefulRedisConnection<byte[], byte[]> c = source.connect(0)) {
                expected = Keyspaces.read(c);
            }

            CopyReport report = new RedisCopy(source, target, CopyOptions.defaults().withBatch(30), Progress.silent()).run();

            assertThat(report.failures()).as(report.toString()).isEmpty();
            assertThat(report.copied()).isEqualTo(expected.size());
            assertThat(report.mode()).isEqualTo("dump");
            assertThat(values(cluster.read())).isEqualTo(values(expected));
            assertThat(cluster.keysPerPrimary()).allSatisfy(n -> assertThat(n).isGreaterThan(expected.size() / 6L));

            CopyReport again = new RedisCopy(source, target, CopyOptions.defaults(), Progress.silent()).run();
            assertThat(again.skippedUnchanged()).as("a rerun finds every key in place").isEqualTo(expected.size());
            assertThat(again.clean()).isTrue();
        }
    }

    @ParameterizedTest(name = "cluster -> {0}")
    @EnumSource(value = TestRedis.class, names = {"V7", "V6_2"})
    void clusterSourceIntoStandalone(TestRedis version) {
        flush();
        try (LocalRedisServer dst = version.startManaged();
             RedisEndpoint source = endpoint(cluster.uri(), "source"); RedisEndpoint target = endpoint(dst.uri(), "target")) {
            try (KeyedConnection c = source.connectKeyed(0)) {
                Keyspaces.fill(c.sync(), "", 40, target.info().hasStreams());
            }
            Map<String, Keyspaces.Entry> expected = cluster.read();
            assertThat(expected).hasSizeGreaterThan(150);

            CopyReport report = new RedisCopy(source, target, CopyOptions.defaults().withBatch(25), Progress.silent()).run();

            assertThat(report.failures()).as(report.toString()).isEmpty();
            assertThat(report.copied()).isEqualTo(expected.size());
            assertThat(report.mode()).isEqualTo(version == TestRedis.V7 ? "dump" : "struct");
            try (StatefulRedisConnection<byte[], byte[]> c = target.connect(0)) {
                assertThat(values(Keyspaces.read(c))).isEqualTo(values(expected));
            }
        }
    }

    @Test
    void clusterToClusterTypeNativelyKeepsEveryKeyInItsSlot() {
        flush();
        try (TestCluster other = TestCluster.start(3);
             RedisEndpoint source = endpoint(cluster.uri(), "source"); RedisEndpoint target = endpoint(other.uri(), "target")) {
            try (KeyedConnection c = source.connectKeyed(0)) {
                Keyspaces.fill(c.sync(), "{tag}", 10, true);
                Keyspaces.fill(c.sync(), "odd}", 10, false);
                for (String k : List.of("{tag}orders", "orders")) { // consumer-group commands routed by slot
                    byte[] key = k.getBytes();
                    c.sync().xadd(key, new XAddArgs().id("1-1"), Map.of("a".getBytes(), "1".getBytes()));
                    c.sync().xadd(key, new XAddArgs().id("1-2"), Map.of("a".getBytes(), "2".getBytes()));
                    c.sync().xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "g".getBytes());
                    c.sync().xreadgroup(io.lettuce.core.Consumer.from("g".getBytes(), "alice".getBytes()),
                            XReadArgs.Builder.count(1), XReadArgs.StreamOffset.lastConsumed(key));
                }
            }
            Map<String, Keyspaces.Entry> expected = cluster.read();

            CopyReport report = new RedisCopy(source, target,
                    CopyOptions.defaults().withMode(io.cutover.redis.copy.CopyMode.STRUCT), Progress.silent()).run();

            assertThat(report.failures()).as(report.toString()).isEmpty();
            assertThat(report.copiedStruct()).isEqualTo(expected.size());
            assertThat(values(other.read())).isEqualTo(values(expected));
            try (KeyedConnection c = target.connectKeyed(0)) {
                for (String k : List.of("{tag}orders", "orders")) {
                    PendingMessages pel = c.sync().xpending(k.getBytes(), "g".getBytes());
                    assertThat(pel.getCount()).as(k).isEqualTo(1);
                    assertThat(pel.getConsumerMessageCount()).as(k).containsOnlyKeys("alice");
                }
            }
        }
    }

    @Test
    void aClusterTargetTakesDatabaseZeroOnly() {
        try (LocalRedisServer src = TestRedis.V7.startManaged();
             RedisEndpoint source = endpoint(src.uri(), "source"); RedisEndpoint target = endpoint(cluster.uri(), "target")) {
            try (StatefulRedisConnection<byte[], byte[]> c = source.connect(3)) {
                c.sync().set("k".getBytes(), "v".getBytes());
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            new RedisCopy(source, target, CopyOptions.defaults(), Progress.silent()).run())
                    .hasMessageContaining("is a cluster with database 0 only: map database 3 with --db-map 3:0");
        }
    }

    private static Map<String, String> values(Map<String, Keyspaces.Entry> entries) {
        Map<String, String> out = new TreeMap<>();
        entries.forEach((k, v) -> out.put(k, v.type() + " " + v.value() + (v.pttl() < 0 ? "" : " ttl")));
        return out;
    }
}

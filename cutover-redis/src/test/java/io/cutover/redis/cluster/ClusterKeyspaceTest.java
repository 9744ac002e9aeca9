package io.cutover.redis.cluster;

import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.RedisCopy;
import io.cutover.redis.inventory.Inventory;
import io.cutover.redis.inventory.InventoryOptions;
import io.cutover.redis.inventory.KeyspaceInventory;
import io.cutover.redis.inventory.PrefixStats;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.prune.Confirmation;
import io.cutover.redis.prune.PruneOptions;
import io.cutover.redis.prune.PruneReport;
import io.cutover.redis.prune.PruneRule;
import io.cutover.redis.prune.RedisPrune;
import io.cutover.redis.testing.TestCluster;
import io.cutover.redis.testing.TestRedis;
import io.cutover.redis.verify.DiffKind;
import io.cutover.redis.verify.RedisVerify;
import io.cutover.redis.verify.VerifyOptions;
import io.cutover.redis.verify.VerifyReport;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static io.cutover.redis.cluster.ClusterCopyTest.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Inventory, verify and prune on a 3-primary cluster: every primary's keys counted, compared and pruned. */
class ClusterKeyspaceTest {
    TestCluster cluster;
    RedisEndpoint clusterEndpoint;

    @BeforeEach
    void start() {
        cluster = TestCluster.start(3);
        clusterEndpoint = endpoint(cluster.uri(), "source");
        try (KeyedConnection c = clusterEndpoint.connectKeyed(0)) {
            RedisClusterCommands<byte[], byte[]> r = c.sync();
            for (int i = 0; i < 300; i++) {
                r.set(("session:" + i).getBytes(), ("s" + i).getBytes());
                r.hset(("cache:" + i).getBytes(), "f".getBytes(), ("c" + i).getBytes());
            }
            r.pexpire("session:7".getBytes(), 3_600_000);
        }
    }

    @AfterEach
    void stop() {
        clusterEndpoint.close();
        cluster.close();
    }

    @Test
    void inventoryCountsTheKeysOfEveryPrimary() {
        assertThat(cluster.keysPerPrimary()).allSatisfy(n -> assertThat(n).isBetween(100L, 500L));

        Inventory inv = new KeyspaceInventory(clusterEndpoint, InventoryOptions.defaults()
                .withSelection(io.cutover.redis.select.KeySelection.of(java.util.List.of("session:*"), null))).run();

        assertThat(inv.keys()).isEqualTo(600);
        assertThat(inv.server().primaries()).isEqualTo(3);
        assertThat(inv.table()).startsWith("server 7.");
        assertThat(inv.table().lines().findFirst().orElseThrow()).contains("(a cluster of 3 primaries)");
        Map<String, Long> prefixes = inv.databases().get(0).prefixes().stream()
                .collect(Collectors.toMap(PrefixStats::prefix, PrefixStats::keys));
        assertThat(prefixes).containsEntry("session:", 300L).containsEntry("cache:", 300L);
        assertThat(inv.selected().keys()).isEqualTo(300);
    }

    @Test
    void verifyFindsDifferencesOnEitherSideOfAClusterCopy() {
        try (LocalRedisServer dst = TestRedis.V7.startManaged(); RedisEndpoint target = endpoint(dst.uri(), "target")) {
            new RedisCopy(clusterEndpoint, target, CopyOptions.defaults(), Progress.silent()).run();
            VerifyReport clean = new RedisVerify(clusterEndpoint, target, VerifyOptions.defaults()).run();
            assertThat(clean.identical()).as(clean.table()).isTrue();
            assertThat(clean.checked()).isEqualTo(600);

            try (StatefulRedisConnection<byte[], byte[]> c = target.connect(0)) {
                c.sync().set("session:3".getBytes(), "changed".getBytes());
                c.sync().set("stray".getBytes(), "x".getBytes());
            }
            try (KeyedConnection c = clusterEndpoint.connectKeyed(0)) {
                c.sync().del("cache:5".getBytes());
                c.sync().set("cache:5".getBytes(), "now a string".getBytes());
            }
            VerifyReport diff = new RedisVerify(clusterEndpoint, target, VerifyOptions.defaults()).run();
            assertThat(diff.differences()).containsEntry(DiffKind.VALUE, 1L).containsEntry(DiffKind.EXTRA, 1L)
                    .containsEntry(DiffKind.TYPE, 1L);

            // and the other way round: the cluster as the target
            VerifyReport reverse = new RedisVerify(target, clusterEndpoint, VerifyOptions.defaults()).run();
            assertThat(reverse.differences()).containsEntry(DiffKind.VALUE, 1L).containsEntry(DiffKind.MISSING, 1L)
                    .containsEntry(DiffKind.TYPE, 1L);
        }
    }

    @Test
    void pruneDeletesOnEveryPrimaryAndADryRunNowhere() {
        PruneReport dry = new RedisPrune(clusterEndpoint, PruneOptions.of(PruneRule.keep("session:*")).dryRun(true),
                Confirmation.yes(), null).run();
        assertThat(dry.deleted()).isEqualTo(300);
        assertThat(cluster.keysPerPrimary().stream().mapToLong(Long::longValue).sum()).isEqualTo(600);

        PruneReport report = new RedisPrune(clusterEndpoint, PruneOptions.of(PruneRule.keep("session:*")),
                Confirmation.yes(), null).run();

        assertThat(report.deleted()).isEqualTo(300);
        assertThat(report.kept()).isEqualTo(300);
        assertThat(cluster.read().keySet()).allSatisfy(k -> assertThat(k).startsWith("session:")).hasSize(300);
    }

    @Test
    void aClusterHasDatabaseZeroOnly() {
        try (RedisEndpoint db3 = endpoint(cluster.uri() + "/3", "source")) {
            assertThatThrownBy(() -> new KeyspaceInventory(db3, InventoryOptions.defaults()).run())
                    .hasMessageContaining("is a cluster with database 0 only");
        }
    }
}

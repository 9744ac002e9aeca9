package io.cutover.cli.redis;

import io.cutover.testkit.redis.LocalRedisCluster;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static io.cutover.cli.redis.CopyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The redis commands against a 3-primary cluster: detected, or asserted with --source-cluster/--target-cluster. */
@EnabledIf(value = "io.cutover.testkit.redis.RedisBinaries#hasRedis7", disabledReason = RedisBinaries.NO_REDIS7)
class ClusterCommandTest {
    private static LocalRedisServer standalone;
    private static LocalRedisCluster cluster;

    @BeforeAll
    static void start() {
        standalone = LocalRedisServer.start(Redis7.binary());
        cluster = LocalRedisCluster.start(Redis7.binary(), 3);
        try (RedisClient client = RedisClient.create(standalone.uri());
             StatefulRedisConnection<String, String> c = client.connect()) {
            for (int i = 0; i < 500; i++) {
                c.sync().set("session:" + i, "v" + i);
                c.sync().set("cache:" + i, "c" + i);
            }
        }
    }

    @AfterAll
    static void stop() {
        standalone.close();
        cluster.close();
    }

    @Test
    void copyVerifyInventoryAndPruneOnACluster() {
        var copy = run("redis", "copy", "--source", standalone.uri(), "--target", cluster.uri(), "--target-cluster",
                "--include", "session:*");
        assertThat(copy.exit()).as(copy.err()).isZero();
        assertThat(copy.out()).contains("500");

        var verify = run("redis", "verify", "--source", standalone.uri(), "--target", cluster.uri(), "--include", "session:*");
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();

        var inventory = run("redis", "inventory", "--source", cluster.uri(), "--format", "json");
        assertThat(inventory.exit()).as(inventory.err()).isZero();
        assertThat(inventory.out()).contains("\"keys\" : 500");

        try (RedisClusterClient client = RedisClusterClient.create(cluster.uri()); var c = client.connect()) {
            c.sync().set("cache:stale", "x");
        }
        var prune = run("redis", "prune", "--target", cluster.uri(), "--keep", "session:*", "--yes");
        assertThat(prune.exit()).as(prune.err()).isZero();
        try (RedisClusterClient client = RedisClusterClient.create(cluster.uri()); var c = client.connect()) {
            assertThat(c.sync().exists("cache:stale")).isZero();
            assertThat(c.sync().exists("session:42")).isEqualTo(1);
        }
    }

    @Test
    void aStandaloneServerCalledAClusterIsAUsageError() {
        var r = run("redis", "copy", "--source", standalone.uri(), "--source-cluster", "--target", cluster.uri());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("source " + standalone.uri().substring("redis://".length()) + " is not a Redis Cluster")
                .doesNotContain("\tat ");
    }

    @Test
    void switchOfAClusterPausesEveryPrimaryAndRestoresTheirNotificationSetting() {
        var r = run("redis", "switch", "--source", cluster.uri(), "--target", standalone.uri(), "--include", "session:*",
                "--yes", "--switch-command", "true");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("paused writes on the source (every one of its 3 primaries)");
        assertThat(r.err()).contains("keyspace notifications turned on ('' → 'KEA', restored at exit) on all 3 primaries");
        for (LocalRedisServer node : cluster.primaries()) {
            try (RedisClient c = RedisClient.create(node.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
                assertThat(conn.sync().configGet("notify-keyspace-events")).containsEntry("notify-keyspace-events", "");
            }
        }
    }
}

package io.cutover.redis.cluster;

import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.live.LiveCopy;
import io.cutover.redis.live.LiveMonitor;
import io.cutover.redis.live.LiveOptions;
import io.cutover.redis.live.LiveReport;
import io.cutover.redis.live.Writer;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestCluster;
import io.cutover.redis.testing.TestRedis;
import io.cutover.redis.verify.RedisVerify;
import io.cutover.redis.verify.VerifyOptions;
import io.cutover.redis.verify.VerifyReport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.cutover.redis.cluster.ClusterCopyTest.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live copy with a writer running throughout, into a cluster and out of one (notifications subscribed on every
 * primary, each found on by probing since the cluster refuses CONFIG); verify exits clean at the end.
 */
class ClusterLiveCopyTest {

    @Test
    void followsAWriterIntoAClusterTarget() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.startManaged("--notify-keyspace-events", "KEA");
             TestCluster cluster = TestCluster.start(3);
             RedisClient app = RedisClient.create(src.uri());
             RedisEndpoint s = endpoint(src.uri(), "source"); RedisEndpoint t = endpoint(cluster.uri(), "target")) {
            try (StatefulRedisConnection<String, String> c = app.connect()) {
                load(c.sync(), 20_000);
            }
            LiveReport report = runWithWriter(s, t, () -> new Writer(app, 0, 20_000, 5), new CopyOnWriteArrayList<>());

            assertThat(report.endedBy()).isEqualTo(io.cutover.redis.live.LiveEnd.IDLE);
            assertThat(report.recopied()).isGreaterThan(0);
            assertThat(report.clean()).isTrue();
            VerifyReport v = new RedisVerify(s, t, VerifyOptions.defaults()).run();
            assertThat(v.identical()).as(v.table()).isTrue();
            assertThat(v.checked()).isGreaterThan(15_000);
            assertThat(cluster.keysPerPrimary()).allSatisfy(n -> assertThat(n).isGreaterThan(4_000L));
        }
    }

    @Test
    void followsAWriterOnEveryPrimaryOfAClusterSource() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, "--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.startManaged();
             RedisClusterClient app = RedisClusterClient.create(cluster.uri());
             RedisEndpoint s = endpoint(cluster.uri(), "source"); RedisEndpoint t = endpoint(dst.uri(), "target")) {
            try (var c = app.connect()) {
                load(c.sync(), 20_000);
            }
            List<String> notes = new CopyOnWriteArrayList<>();
            LiveReport report = runWithWriter(s, t, () -> new Writer(app, 20_000, 5), notes);

            assertThat(report.notifications()).contains("on all 3 primaries");
            assertThat(report.endedBy()).isEqualTo(io.cutover.redis.live.LiveEnd.IDLE);
            assertThat(report.initial().copied()).isGreaterThan(15_000);
            assertThat(report.recopied()).isGreaterThan(0);
            assertThat(report.deleted()).isGreaterThan(0);
            assertThat(report.clean()).isTrue();
            VerifyReport v = new RedisVerify(s, t, VerifyOptions.defaults()).run();
            assertThat(v.identical()).as(v.table()).isTrue();
        }
    }

    private static LiveReport runWithWriter(RedisEndpoint s, RedisEndpoint t, java.util.function.Supplier<Writer> writer,
                                            List<String> notes) throws Exception {
        LiveCopy live = new LiveCopy(s, t, CopyOptions.defaults(),
                LiveOptions.defaults().withUntilIdle(Duration.ofMillis(500)), new LiveMonitor() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        });
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<LiveReport> run;
            try (Writer w = writer.get()) {
                run = ex.submit(live::run);
                if (!live.awaitLive(Duration.ofSeconds(60))) {
                    run.get(); // throws what ended it
                }
                Thread.sleep(1500);
                assertThat(w.ops()).isGreaterThan(1000);
            }
            return run.get(60, TimeUnit.SECONDS);
        } finally {
            ex.shutdownNow();
        }
    }

    private static void load(io.lettuce.core.cluster.api.sync.RedisClusterCommands<String, String> r, int n) {
        Map<String, String> chunk = new HashMap<>();
        for (int i = 0; i < n; i++) {
            r.set("str:" + i, "value-" + i); // one by one: MSET across slots is refused on a cluster
        }
        for (int i = 0; i < 1000; i += 10) {
            r.hset("hash:" + i, Map.of("a", "1", "b", "2"));
        }
    }
}

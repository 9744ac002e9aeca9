package io.cutover.redis.live;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.cutover.redis.verify.RedisVerify;
import io.cutover.redis.verify.VerifyOptions;
import io.cutover.redis.verify.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveCopyTest {

    @Test
    void followsAWriterThroughoutTheCopyOf200kKeysAndEndsIdentical() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisClient app = RedisClient.create(src.uri())) {
            load(src, 0, 200_000);
            LiveCopy live;
            LiveReport report;
            try (RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
                live = new LiveCopy(s, t, CopyOptions.defaults(), LiveOptions.defaults().withUntilIdle(Duration.ofMillis(500)), null);
                ExecutorService ex = Executors.newSingleThreadExecutor();
                Future<LiveReport> run;
                try (Writer w = new Writer(app, 0, 200_000, 10)) {
                    run = ex.submit(live::run);
                    assertThat(live.awaitLive(Duration.ofSeconds(60))).isTrue();
                    Thread.sleep(1500); // keep writing while changes are followed
                    assertThat(w.ops()).isGreaterThan(1000);
                }
                report = run.get(60, TimeUnit.SECONDS);
                ex.shutdown();
            }
            assertThat(report.endedBy()).isEqualTo(io.cutover.redis.live.LiveEnd.IDLE);
            assertThat(report.initial().copied()).isGreaterThan(150_000);
            assertThat(report.events()).isGreaterThan(1000);
            assertThat(report.recopied()).isGreaterThan(0);
            assertThat(report.deleted()).isGreaterThan(0);
            assertThat(report.clean()).isTrue();
            assertIdentical(src, dst, 0);
        }
    }

    @Test
    void recoversWhenTheNotificationConnectionIsKilled() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisClient app = RedisClient.create(src.uri())) {
            load(src, 0, 20_000);
            List<String> notes = new CopyOnWriteArrayList<>();
            LiveReport report;
            try (RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
                LiveCopy live = new LiveCopy(s, t, CopyOptions.defaults(), LiveOptions.defaults(), new LiveMonitor() {
                    @Override
                    public void note(String message) {
                        notes.add(message);
                    }
                });
                ExecutorService ex = Executors.newSingleThreadExecutor();
                Future<LiveReport> run = ex.submit(live::run);
                try (Writer w = new Writer(app, 0, 20_000, 10)) {
                    assertThat(live.awaitLive(Duration.ofSeconds(60))).isTrue();
                    Thread.sleep(300);
                    try (StatefulRedisConnection<String, String> c = app.connect()) {
                        assertThat(c.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub())).isEqualTo(1L);
                    }
                    Thread.sleep(700);
                }
                live.stop();
                report = run.get(60, TimeUnit.SECONDS);
                ex.shutdown();
            }
            assertThat(report.endedBy()).isEqualTo(io.cutover.redis.live.LiveEnd.STOP);
            assertThat(report.rescans()).isGreaterThanOrEqualTo(1);
            assertThat(notes).anyMatch(n -> n.startsWith("keyspace notification connection lost"));
            assertIdentical(src, dst, 0);
        }
    }

    @Test
    void overflowOfPendingKeysFallsBackToARescan() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisClient app = RedisClient.create(src.uri())) {
            load(src, 0, 5_000);
            LiveReport report;
            try (RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
                LiveCopy live = new LiveCopy(s, t, CopyOptions.defaults().withBatch(1),
                        LiveOptions.defaults().withMaxPending(5).withUntilIdle(Duration.ofMillis(300)), null);
                ExecutorService ex = Executors.newSingleThreadExecutor();
                Future<LiveReport> run = ex.submit(live::run);
                try (Writer w = new Writer(app, 0, 5_000, 20)) {
                    assertThat(live.awaitLive(Duration.ofSeconds(60))).isTrue();
                    Thread.sleep(500);
                }
                report = run.get(60, TimeUnit.SECONDS);
                ex.shutdown();
            }
            assertThat(report.rescans()).isGreaterThanOrEqualTo(1);
            assertThat(report.notes()).anyMatch(n -> n.contains("rescanning database 0"));
            assertIdentical(src, dst, 0);
        }
    }

    @Test
    void notificationsOffAreTurnedOnOnlyWithConsentAndRestored() throws Exception {
        try (LocalRedisServer src = TestRedis.V6_2.start("--notify-keyspace-events", "Ex");
             LocalRedisServer dst = TestRedis.V7.start()) {
            load(src, 0, 100);
            try (RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
                LiveCopy refused = new LiveCopy(s, t, CopyOptions.defaults(), LiveOptions.defaults(), null);
                assertThatThrownBy(refused::run).isInstanceOfSatisfying(CutoverException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("notify-keyspace-events 'xE'").contains("--enable-notifications");
                });
                assertThat(dbsize(dst, 0)).isZero();
                List<String> asked = new CopyOnWriteArrayList<>();
                LiveCopy allowed = new LiveCopy(s, t, CopyOptions.defaults(),
                        LiveOptions.defaults().withUntilIdle(Duration.ofMillis(200)), new LiveMonitor() {
                    @Override
                    public boolean allowEnablingNotifications(String question) {
                        asked.add(question);
                        assertThat(config(src)).isEqualTo("xE");
                        return true;
                    }
                });
                LiveReport report = allowed.run();
                assertThat(asked).hasSize(1);
                assertThat(report.notifications()).contains("turned on");
                assertThat(report.initial().copied()).isEqualTo(120); // 100 strings, 10 hashes, 10 lists
            }
            assertThat(config(src)).isEqualTo("xE");
        }
    }

    @Test
    void managedServerWithoutNotificationsNamesTheParameterToChange() {
        try (LocalRedisServer src = TestRedis.V7.startManaged();
             LocalRedisServer dst = TestRedis.V7.start();
             RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
            LiveCopy live = new LiveCopy(s, t, CopyOptions.defaults(), LiveOptions.defaults(), new LiveMonitor() {
                @Override
                public boolean allowEnablingNotifications(String question) {
                    return true;
                }
            });
            assertThatThrownBy(live::run).isInstanceOfSatisfying(CutoverException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(e.getMessage()).contains("refuses CONFIG").contains("set notify-keyspace-events KEA in its parameter group");
            });
            assertThat(dbsize(dst, 0)).isZero();
        }
    }

    @Test
    void managedServerWithNotificationsInItsParameterGroupIsProbedAndFollowed() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.startManaged("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
            load(src, 0, 50);
            LiveReport report = new LiveCopy(s, t, CopyOptions.defaults(),
                    LiveOptions.defaults().withUntilIdle(Duration.ofMillis(100)), null).run();
            assertThat(report.notifications()).contains("probed");
            assertThat(report.initial().copied()).isEqualTo(60); // 50 strings, 5 hashes, 5 lists
            assertIdentical(src, dst, 0);
        }
    }

    @ParameterizedTest
    @CsvSource({"V2_8, V7", "V7, V6_2"})
    void followsAWriterAcrossVersionsAndVerifyFindsThemIdentical(TestRedis from, TestRedis to) throws Exception {
        try (LocalRedisServer src = from.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = to.start();
             RedisClient app = RedisClient.create(src.uri())) {
            load(src, 0, 5_000);
            LiveReport report;
            try (RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
                LiveCopy live = new LiveCopy(s, t, CopyOptions.defaults(),
                        LiveOptions.defaults().withUntilIdle(Duration.ofMillis(300)), null);
                ExecutorService ex = Executors.newSingleThreadExecutor();
                Future<LiveReport> run = ex.submit(live::run);
                try (Writer w = new Writer(app, 0, 5_000, 5)) {
                    assertThat(live.awaitLive(Duration.ofSeconds(60))).isTrue();
                    Thread.sleep(800);
                }
                report = run.get(60, TimeUnit.SECONDS);
                ex.shutdown();
                assertThat(report.recopied()).isPositive();
                assertThat(report.clean()).as("%s", report).isTrue();
                Thread.sleep(50); // let keys given 30 ms TTLs by the writer expire on both sides
                VerifyReport verify = new RedisVerify(s, t, VerifyOptions.defaults()).run();
                assertThat(verify.first()).isEmpty();
                assertThat(verify.identical()).isTrue();
            }
        }
    }

    @Test
    void aClusterWithoutSlotsIsRefusedBeforeAnythingIsWritten() {
        try (LocalRedisServer src = TestRedis.V7.start("--cluster-enabled", "yes", "--cluster-config-file",
                "nodes-" + System.nanoTime() + ".conf", "--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisEndpoint s = endpoint(src.uri(), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
            LiveCopy live = new LiveCopy(s, t, CopyOptions.defaults(), LiveOptions.defaults(), null);
            assertThatThrownBy(live::run).isInstanceOfSatisfying(CutoverException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(e.getMessage()).isEqualTo("source 127.0.0.1:" + src.port()
                        + ": the cluster has no primary serving slots");
            });
            assertThat(dbsize(dst, 0)).isZero();
        }
    }

    // --- helpers

    static RedisEndpoint endpoint(String uri, String role) {
        return new RedisEndpoint(RedisUri.parse(uri, null, "--" + role), role);
    }

    static void load(LocalRedisServer server, int db, int n) {
        try (RedisClient client = RedisClient.create(server.uri(db));
             StatefulRedisConnection<String, String> c = client.connect()) {
            Map<String, String> chunk = new HashMap<>();
            for (int i = 0; i < n; i++) {
                chunk.put("str:" + i, "value-" + i);
                if (chunk.size() == 1000 || i == n - 1) {
                    c.sync().mset(chunk);
                    chunk.clear();
                }
            }
            for (int i = 0; i < Math.min(n, 1000); i += 10) {
                c.sync().hmset("hash:" + i, Map.of("a", "1", "b", "2")); // HMSET: 2.8 has no multi-field HSET
                c.sync().rpush("list:" + i, "x", "y");
                c.sync().pexpire("str:" + i, 3_600_000);
            }
        }
    }

    static void assertIdentical(LocalRedisServer src, LocalRedisServer dst, int db) throws Exception {
        try (RedisClient a = RedisClient.create(src.uri(db)); RedisClient b = RedisClient.create(dst.uri(db));
             StatefulRedisConnection<byte[], byte[]> ca = a.connect(ByteArrayCodec.INSTANCE);
             StatefulRedisConnection<byte[], byte[]> cb = b.connect(ByteArrayCodec.INSTANCE)) {
            assertThat(Compare.differences(ca, cb)).isEmpty();
            assertThat(ca.sync().dbsize()).isGreaterThan(0);
        }
    }

    static long dbsize(LocalRedisServer server, int db) {
        try (RedisClient a = RedisClient.create(server.uri(db)); StatefulRedisConnection<String, String> c = a.connect()) {
            return c.sync().dbsize();
        }
    }

    static String config(LocalRedisServer server) {
        try (RedisClient a = RedisClient.create(server.uri()); StatefulRedisConnection<String, String> c = a.connect()) {
            return c.sync().configGet("notify-keyspace-events").get("notify-keyspace-events");
        }
    }
}

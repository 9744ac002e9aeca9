package io.cutover.redis.switchover;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.live.StreamKeys;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisSwitchTest {
    private static final SwitchOptions FAST = SwitchOptions.defaults().withPauseTimeout(Duration.ofSeconds(10))
            .withDrainTimeout(Duration.ofSeconds(20)).withClientsTimeout(Duration.ofSeconds(5));

    @Test
    void aLockIsNeverHeldOnBothSidesAcrossTheSwitch() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start()) {
            fill(src, 2000);
            List<LockClient.Hold> holds = LockClient.newLog();
            SwitchReport report;
            try (LockClient a = new LockClient("a", src.uri(), holds);
                 LockClient b = new LockClient("b", src.uri(), holds);
                 RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
                Thread.sleep(300);
                List<String> steps = new CopyOnWriteArrayList<>();
                report = new RedisSwitch(s, t, CopyOptions.defaults(), FAST, operator(steps, (instruction) -> {
                    b.moveTo(dst.uri()); // the first instance picks up the new address at once
                    sleep(400);
                    a.moveTo(dst.uri()); // the second one a little later, while the source is still paused
                    sleep(400);
                })).run();
                Thread.sleep(800);
                assertThat(a.holdsOn(src.uri()) + b.holdsOn(src.uri())).as("locks taken on the source").isPositive();
                assertThat(a.holdsOn(dst.uri()) + b.holdsOn(dst.uri())).as("locks taken on the target").isPositive();
                assertThat(steps).anyMatch(x -> x.startsWith("paused writes on the source: CLIENT PAUSE 10000 WRITE"));
            }
            assertThat(report.differences()).isEmpty(); // first, so a failure names the keys
            assertThat(report.switched()).isTrue();
            assertThat(report.pauseMode()).isEqualTo(PauseMode.WRITE);
            assertThat(report.verifiedKeys().orElseThrow()).isPositive(); // the lock key changed during the live copy
            assertThat(report.drain().drained()).isTrue();
            assertNoOverlap(holds);
        }
    }

    @Test
    void aCounterWrittenOverOneKeptConnectionLosesNoIncrementAtTheSwitch() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start()) {
            fill(src, 500);
            SwitchReport report;
            long acked;
            try (IncrClient app = new IncrClient(src.uri());
                 RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
                Thread.sleep(200);
                List<String> steps = new CopyOnWriteArrayList<>();
                report = new RedisSwitch(s, t, CopyOptions.defaults(), FAST, operator(steps, instruction -> {
                    sleep(50); // the switch command runs; the app's INCR waits on the paused source meanwhile
                    app.pointAt(dst.uri()); // only after it: its open connection stays on the source
                })).run();
                Thread.sleep(300); // it goes on writing on the target
                app.close();
                acked = app.acked();
                assertThat(steps).anyMatch(x -> x.startsWith("disconnected 1 clients still on the source (CLIENT KILL)"));
            }
            assertThat(report.differences()).isEmpty();
            assertThat(report.lateWrites()).isEmpty();
            assertThat(report.disconnected()).hasSize(1);
            assertThat(report.clean()).isTrue();
            try (RedisClient c = RedisClient.create(dst.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
                assertThat(acked).isGreaterThan(100);
                assertThat(Long.parseLong(conn.sync().get("counter"))).as("target counter = increments acknowledged")
                        .isEqualTo(acked);
            }
        }
    }

    @Test
    void withKeepClientsWritesOnTheOldInstanceAfterTheSwitchAreReportedByName() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisClient other = RedisClient.create(src.uri());
             StatefulRedisConnection<String, String> late = other.connect()) {
            fill(src, 100);
            SwitchReport report;
            try (IncrClient app = new IncrClient(src.uri());
                 RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
                Thread.sleep(200);
                report = new RedisSwitch(s, t, CopyOptions.defaults(), FAST.withKeepClients(true)
                        .withClientsTimeout(Duration.ofMillis(1500)), new SwitchOperator() {
                    @Override
                    public boolean switchClients(String instruction, Instant pauseEnds) {
                        app.pointAt(dst.uri());
                        late.async().set("session:new\u0000", "only on the old side"); // waits for the release
                        return true;
                    }
                }).run();
            }
            assertThat(report.switched()).isTrue();
            assertThat(report.disconnected()).isEmpty();
            assertThat(report.clean()).isFalse();
            assertThat(report.lateWrites()).extracting(LateWrite::describe).contains(
                    "db 0 counter (incrby): NOT copied: the target holds another value; decide which one is right",
                    "db 0 \"session:new\\x00\" (set): copied to the target (it had no such key)");
            try (RedisClient c = RedisClient.create(dst.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
                assertThat(conn.sync().get("session:new\u0000")).isEqualTo("only on the old side");
            }
        }
    }

    @Test
    void aLockIsNeverHeldOnBothSidesWhenClientsKeepTheirConnections() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start()) {
            fill(src, 500);
            List<LockClient.Hold> holds = LockClient.newLog();
            SwitchReport report;
            try (LockClient a = new LockClient("a", src.uri(), holds);
                 LockClient b = new LockClient("b", src.uri(), holds);
                 RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
                Thread.sleep(300);
                report = new RedisSwitch(s, t, CopyOptions.defaults(), FAST, operator(new ArrayList<>(), instruction -> {
                    b.pointAt(dst.uri());
                    sleep(200);
                    a.pointAt(dst.uri()); // neither connection is closed by the client
                })).run();
                Thread.sleep(800);
                assertThat(a.holdsOn(src.uri()) + b.holdsOn(src.uri())).as("locks taken on the source").isPositive();
                assertThat(a.holdsOn(dst.uri()) + b.holdsOn(dst.uri())).as("locks taken on the target").isPositive();
            }
            assertThat(report.differences()).isEmpty();
            assertThat(report.lateWrites()).isEmpty();
            assertThat(report.disconnected()).hasSize(2);
            assertNoOverlap(holds);
        }
    }

    @Test
    void anAbortBeforeTheSwitchReleasesThePause() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
            fill(src, 100);
            RedisSwitch sw = new RedisSwitch(s, t, CopyOptions.defaults(), FAST.withPauseTimeout(Duration.ofMinutes(5)),
                    new SwitchOperator() {
                        @Override
                        public boolean switchClients(String instruction, Instant pauseEnds) {
                            return false;
                        }
                    });
            assertThatThrownBy(sw::run).isInstanceOfSatisfying(CutoverException.class, e ->
                    assertThat(e.getMessage()).contains("aborted by the operator"));
            try (RedisClient c = RedisClient.create(src.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
                conn.setTimeout(Duration.ofSeconds(2)); // would time out if writes were still paused (5 minutes)
                assertThat(conn.sync().set("after", "abort")).isEqualTo("OK");
            }
        }
    }

    @Test
    void fullPauseOfOlderServersReadsTheChangedKeysInsideThePauseTransaction() throws Exception {
        // Redis 3.0–6.0 only have CLIENT PAUSE for every command; the same mode on 7.x exercises that path.
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisClient app = RedisClient.create(src.uri());
             StatefulRedisConnection<String, String> w = app.connect();
             RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
            fill(src, 100);
            List<String> steps = new CopyOnWriteArrayList<>();
            SwitchOperator op = new SwitchOperator() {
                @Override
                public void step(String done, Duration took) {
                    steps.add(done);
                    if (done.startsWith("initial copy done")) {
                        for (int i = 0; i < 50; i++) { // changes the live copy follows
                            w.sync().set("str:" + i, "changed");
                        }
                        w.sync().del("str:99");
                    }
                }

                @Override
                public boolean switchClients(String instruction, Instant pauseEnds) {
                    return true;
                }
            };
            SwitchReport report = new RedisSwitch(s, t, CopyOptions.defaults(),
                    FAST.withPauseTimeout(Duration.ofMillis(1500)).withPauseMode(PauseMode.ALL).withClientsTimeout(Duration.ZERO), op).run();
            assertThat(report.switched()).isTrue();
            assertThat(report.verifiedKeys()).hasValue(51);
            assertThat(report.differences()).isEmpty();
            assertThat(steps).anyMatch(x -> x.contains("no CLIENT UNPAUSE before 6.2"));
            try (RedisClient c = RedisClient.create(dst.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
                assertThat(conn.sync().get("str:1")).isEqualTo("changed");
                assertThat(conn.sync().exists("str:99")).isZero();
            }
        }
    }

    @Test
    void aSourceWithoutClientPauseIsRefusedUnlessNoPauseIsAskedFor() {
        try (LocalRedisServer src = TestRedis.V2_8.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
            fill(src, 10);
            RedisSwitch sw = new RedisSwitch(s, t, CopyOptions.defaults(), FAST, operator(new ArrayList<>(), x -> { }));
            assertThatThrownBy(sw::run).isInstanceOfSatisfying(CutoverException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(e.getMessage()).contains("2.8.19").contains("no CLIENT PAUSE").contains("--no-pause");
            });
            try (RedisClient c = RedisClient.create(dst.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
                assertThat(conn.sync().dbsize()).isZero();
            }
            SwitchReport report = new RedisSwitch(s, t, CopyOptions.defaults(), FAST.withPauseMode(PauseMode.NONE)
                    .withClientsTimeout(Duration.ZERO), operator(new ArrayList<>(), x -> { })).run();
            assertThat(report.switched()).isTrue();
            assertThat(report.pauseMode()).isEqualTo(PauseMode.NONE);
            assertThat(report.live().initial().copied()).isEqualTo(10);
        }
    }

    @Test
    void consumerGroupsMovedDuringTheLiveCopyEqualTheSourcesAtThePause() throws Exception {
        List<String> steps = switchWhileConsuming(StreamKeys.DEFAULT_LIMIT);
        assertThat(steps).contains("copied the 4 streams again (consumer groups move without keyspace events)");
    }

    @Test
    void pastTheStreamKeyLimitTheStreamsAreFoundByAScanDuringThePause() throws Exception {
        List<String> steps = switchWhileConsuming(1);
        assertThat(steps).contains("found the 4 streams by SCAN … TYPE stream (more than 1 stream keys) and copied them "
                + "again (consumer groups move without keyspace events)");
    }

    @Test
    void afterLostNotificationsTheStreamsAreFoundByAScanDuringThePause() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisClient app = RedisClient.create(src.uri());
             StatefulRedisConnection<String, String> w = app.connect();
             RedisClient targetClient = RedisClient.create(dst.uri());
             StatefulRedisConnection<String, String> t = targetClient.connect();
             RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint d = endpoint(dst.uri(0), "target")) {
            for (int i = 0; i < 50; i++) {
                w.sync().xadd("orders", Map.of("n", String.valueOf(i)));
            }
            w.sync().xgroupCreate(XReadArgs.StreamOffset.from("orders", "0"), "billing");
            List<String> steps = new CopyOnWriteArrayList<>();
            List<String> notes = new CopyOnWriteArrayList<>();
            Map<String, Object> atPause = new java.util.HashMap<>();
            SwitchOperator op = new SwitchOperator() {
                @Override
                public void step(String done, Duration took) {
                    steps.add(done);
                    if (done.startsWith("initial copy done")) {
                        assertThat(w.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub())).isEqualTo(1L);
                        long deadline = System.nanoTime() + 10_000_000_000L; // until the live copy subscribed again
                        while (notes.stream().noneMatch(n -> n.startsWith("keyspace notification connection lost"))
                                && System.nanoTime() < deadline) {
                            sleep(5);
                        }
                        List<StreamMessage<String, String>> read = w.sync().xreadgroup(
                                io.lettuce.core.Consumer.from("billing", "worker"), XReadArgs.Builder.count(5),
                                XReadArgs.StreamOffset.lastConsumed("orders"));
                        w.sync().xack("orders", "billing", read.get(0).getId(), read.get(1).getId());
                    }
                }

                @Override
                public void note(String message) {
                    notes.add(message);
                }

                @Override
                public boolean switchClients(String instruction, Instant pauseEnds) {
                    atPause.putAll(groups(w));
                    return true;
                }
            };
            SwitchReport report = new RedisSwitch(s, d, CopyOptions.defaults(), FAST.withClientsTimeout(Duration.ZERO), op).run();
            assertThat(report.differences()).isEmpty();
            assertThat(report.switched()).isTrue();
            assertThat(steps).contains("found the 1 stream by SCAN … TYPE stream (keyspace events were lost) and copied it "
                    + "again (consumer groups move without keyspace events)");
            assertThat(atPause).containsKey("orders");
            assertThat(groups(t)).isEqualTo(atPause);
        }
    }

    /**
     * A V7 source with streams orders (consumed by a thread from before the switch until the pause blocks it), idle
     * (a group nobody reads), late (created during the live copy, read once after it was copied) and renamed (renamed
     * during the live copy, read once after); returns the switch's steps after checking that every group on the
     * target equals the source's at the pause.
     */
    private static List<String> switchWhileConsuming(int streamKeyLimit) throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start("--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             RedisClient app = RedisClient.create(src.uri());
             StatefulRedisConnection<String, String> w = app.connect();
             StatefulRedisConnection<String, String> consumerConnection = app.connect();
             RedisClient targetClient = RedisClient.create(dst.uri());
             StatefulRedisConnection<String, String> t = targetClient.connect();
             RedisEndpoint s = endpoint(src.uri(0), "source"); RedisEndpoint d = endpoint(dst.uri(0), "target")) {
            fill(src, 100);
            for (int i = 0; i < 2000; i++) {
                w.sync().xadd("orders", Map.of("n", String.valueOf(i)));
            }
            w.sync().xgroupCreate(XReadArgs.StreamOffset.from("orders", "0"), "billing");
            w.sync().xadd("idle", Map.of("n", "1"));
            w.sync().xgroupCreate(XReadArgs.StreamOffset.from("idle", "0"), "nobody");
            for (int i = 0; i < 10; i++) {
                w.sync().xadd("tmp", Map.of("n", String.valueOf(i)));
            }
            w.sync().xgroupCreate(XReadArgs.StreamOffset.from("tmp", "0"), "g");
            Consuming consumer = new Consuming(consumerConnection);
            consumer.start();
            consumer.awaitMore(4); // the consumer exists before the switch: reading from now on sends no event

            Map<String, Object> atPause = new java.util.HashMap<>();
            List<String> steps = new CopyOnWriteArrayList<>();
            SwitchOperator op = new SwitchOperator() {
                @Override
                public void step(String done, Duration took) {
                    steps.add(done);
                    if (done.startsWith("initial copy done")) {
                        for (int i = 0; i < 10; i++) {
                            w.sync().xadd("late", Map.of("n", String.valueOf(i)));
                        }
                        w.sync().xgroupCreate(XReadArgs.StreamOffset.from("late", "0"), "audit");
                        w.sync().rename("tmp", "renamed"); // a rename_to event: a key to check with TYPE
                    } else if (done.startsWith("live copy caught up")) { // late is on the target now
                        List<StreamMessage<String, String>> read = w.sync().xreadgroup(
                                io.lettuce.core.Consumer.from("audit", "a1"), XReadArgs.Builder.count(3),
                                XReadArgs.StreamOffset.lastConsumed("late"));
                        w.sync().xack("late", "audit", read.get(0).getId());
                        w.sync().xreadgroup(io.lettuce.core.Consumer.from("g", "r1"), XReadArgs.Builder.count(2),
                                XReadArgs.StreamOffset.lastConsumed("renamed"));
                        consumer.awaitMore(40); // orders' group moves on after the live copy last copied it
                    }
                }

                @Override
                public boolean switchClients(String instruction, Instant pauseEnds) {
                    consumer.stopConsuming(); // its XREADGROUP waits for the pause to end; the source's groups are frozen now
                    atPause.putAll(groups(w));
                    return true;
                }
            };
            SwitchReport report = new RedisSwitch(s, d, CopyOptions.defaults(), FAST.withClientsTimeout(Duration.ZERO), op)
                    .streamKeyLimit(streamKeyLimit).run();
            consumer.join(20_000);
            assertThat(report.differences()).isEmpty();
            assertThat(report.switched()).isTrue();
            assertThat(consumer.consumed()).isGreaterThanOrEqualTo(44);
            assertThat(atPause).containsKeys("orders", "idle", "late", "renamed");
            assertThat(groups(t)).isEqualTo(atPause);
            assertThat(report.verifiedKeys().orElseThrow()).as("the streams are among the verified keys").isGreaterThanOrEqualTo(4);
            return steps;
        }
    }

    /** Per stream: XINFO GROUPS (name, consumers, pending, last-delivered-id, entries-read, lag) and XPENDING summaries. */
    private static Map<String, Object> groups(StatefulRedisConnection<String, String> c) {
        Map<String, Object> out = new java.util.TreeMap<>();
        for (String[] sg : new String[][] {{"orders", "billing"}, {"idle", "nobody"}, {"late", "audit"},
                {"renamed", "g"}}) {
            if (c.sync().exists(sg[0]) == 0) {
                continue;
            }
            io.lettuce.core.models.stream.PendingMessages p = c.sync().xpending(sg[0], sg[1]);
            out.put(sg[0], List.of(c.sync().xinfoGroups(sg[0]), p.getCount(), String.valueOf(p.getMessageIds()),
                    p.getConsumerMessageCount()));
        }
        return out;
    }

    /** XREADGROUP of 4 orders at a time, acknowledging all but the first of each read, until stopped. */
    private static final class Consuming extends Thread {
        private final StatefulRedisConnection<String, String> c;
        private final java.util.concurrent.atomic.AtomicInteger consumed = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean stopped;
        private volatile Throwable failure;

        Consuming(StatefulRedisConnection<String, String> c) {
            super("consumer");
            this.c = c;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    List<StreamMessage<String, String>> read = c.sync().xreadgroup(
                            io.lettuce.core.Consumer.from("billing", "worker"), XReadArgs.Builder.count(4),
                            XReadArgs.StreamOffset.lastConsumed("orders"));
                    if (read.size() > 1) {
                        c.sync().xack("orders", "billing", read.subList(1, read.size()).stream()
                                .map(StreamMessage::getId).toArray(String[]::new));
                    }
                    consumed.addAndGet(read.size());
                    Thread.sleep(5);
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        void awaitMore(int n) {
            int until = consumed.get() + n;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (consumed.get() < until && failure == null && System.nanoTime() < deadline) {
                RedisSwitchTest.sleep(2);
            }
            assertThat(failure).isNull();
            assertThat(consumed.get()).as("entries consumed").isGreaterThanOrEqualTo(until);
        }

        int consumed() {
            return consumed.get();
        }

        void stopConsuming() {
            stopped = true;
        }
    }

    // --- helpers

    /** No two clients believed they held the lock at the same moment. */
    private static void assertNoOverlap(List<LockClient.Hold> holds) {
        List<LockClient.Hold> sorted = new ArrayList<>(holds);
        sorted.sort((x, y) -> Long.compare(x.from(), y.from()));
        assertThat(sorted.size()).isGreaterThan(4);
        for (int i = 1; i < sorted.size(); i++) {
            LockClient.Hold prev = sorted.get(i - 1);
            LockClient.Hold cur = sorted.get(i);
            assertThat(cur.from()).as("%s on %s began while %s on %s still held the lock", cur.client(), cur.uri(),
                    prev.client(), prev.uri()).isGreaterThanOrEqualTo(prev.to());
        }
    }

    @Test
    void aClusterSourceIsPausedOnEveryPrimaryAndVerifiedBeforeTheSwitch() throws Exception {
        try (io.cutover.redis.testing.TestCluster cluster = io.cutover.redis.testing.TestCluster.start(3,
                "--notify-keyspace-events", "KEA");
             LocalRedisServer dst = TestRedis.V7.start();
             io.lettuce.core.cluster.RedisClusterClient app = io.lettuce.core.cluster.RedisClusterClient.create(cluster.uri());
             RedisEndpoint s = endpoint(cluster.uri(), "source"); RedisEndpoint t = endpoint(dst.uri(0), "target")) {
            try (var c = app.connect()) {
                for (int i = 0; i < 3000; i++) {
                    c.sync().set("str:" + i, "v" + i);
                }
            }
            List<String> steps = new CopyOnWriteArrayList<>();
            List<Boolean> writesBlocked = new CopyOnWriteArrayList<>();
            SwitchReport report;
            try (io.cutover.redis.live.Writer w = new io.cutover.redis.live.Writer(app, 3000, 2)) {
                Thread.sleep(300);
                report = new RedisSwitch(s, t, CopyOptions.defaults(), FAST, operator(steps, instruction -> {
                    var topology = s.topology();
                    for (int i = 0; i < topology.primaries().size(); i++) { // each primary refuses writes while paused
                        String key = "probe:0";
                        for (int n = 1; topology.ownerOf(key.getBytes()) != i; n++) {
                            key = "probe:" + n; // a key this primary serves, so the answer can't be MOVED
                        }
                        var a = topology.primaries().get(i);
                        try (RedisClient c = RedisClient.create("redis://" + a.host() + ":" + a.port());
                             StatefulRedisConnection<String, String> conn = c.connect()) {
                            conn.setTimeout(Duration.ofMillis(300));
                            conn.sync().incr(key);
                            writesBlocked.add(false);
                        } catch (io.lettuce.core.RedisCommandTimeoutException e) {
                            writesBlocked.add(true);
                        }
                    }
                })).run();
            }
            assertThat(report.differences()).isEmpty(); // first, so a failure names the keys
            assertThat(report.switched()).isTrue();
            assertThat(report.pauseMode()).isEqualTo(PauseMode.WRITE);
            assertThat(report.verifiedKeys().orElseThrow()).isPositive();
            assertThat(steps).anyMatch(x -> x.startsWith("paused writes on the source (every one of its 3 primaries)"));
            assertThat(writesBlocked).hasSize(3).doesNotContain(false);
        }
    }

    private static SwitchOperator operator(List<String> steps, Consumer<String> onInstruction) {
        return new SwitchOperator() {
            @Override
            public void step(String done, Duration took) {
                steps.add(done);
            }

            @Override
            public boolean switchClients(String instruction, Instant pauseEnds) {
                onInstruction.accept(instruction);
                return true;
            }
        };
    }

    private static void fill(LocalRedisServer server, int n) {
        try (RedisClient c = RedisClient.create(server.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
            for (int i = 0; i < n; i += 100) {
                Map<String, String> m = new java.util.HashMap<>();
                for (int j = i; j < Math.min(n, i + 100); j++) {
                    m.put("str:" + j, "v" + j);
                }
                conn.sync().mset(m);
            }
        }
    }

    private static RedisEndpoint endpoint(String uri, String role) {
        return new RedisEndpoint(RedisUri.parse(uri, null, "--" + role), role);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

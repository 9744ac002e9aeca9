package io.cutover.redis.usage;

import io.cutover.redis.clients.ClientInfo;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.inventory.TestData;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RedisUsageTest {

    /** An application's connection: named, with a database selected, binary-safe. */
    record App(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection, String address)
            implements AutoCloseable {
        static App connect(LocalRedisServer server, int db, String name) {
            RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                    .withDatabase(db).withLibraryName("").withLibraryVersion("").build());
            client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
            StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
            c.sync().clientSetname(b(name));
            String address = null;
            for (String line : c.sync().clientList().split("\r?\n")) {
                ClientInfo info = ClientInfo.parse(line);
                if (info.name().equals(name)) {
                    address = info.addr();
                }
            }
            return new App(client, c, address);
        }

        RedisCommands<byte[], byte[]> r() {
            return connection.sync();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** MONITOR is on: a connection in monitor mode (flag O). */
    static final java.util.function.Predicate<ClientInfo> MONITORING = c -> c.flags().contains("O");
    /** The fallback has read its first counters and client list (what Redis 7 shows as the last command). */
    static final java.util.function.Predicate<ClientInfo> LISTED =
            c -> c.name().startsWith("cutover-usage-") && c.cmd().equals("client|list");

    /**
     * Runs {@code traffic} while a sample of {@code sample} is being taken, once the sampler has begun (when one of
     * the server's clients satisfies {@code begun}).
     */
    private static UsageReport sample(LocalRedisServer server, int db, Duration sample,
                                      java.util.function.Predicate<ClientInfo> begun, Runnable traffic) throws Exception {
        try (RedisEndpoint endpoint = TestData.endpoint(server, db, "server")) {
            return sample(endpoint, server, sample, begun, traffic);
        }
    }

    /** The same with the sample taken through {@code endpoint} (TLS, an ACL user) and the probe on {@code server}. */
    static UsageReport sample(RedisEndpoint endpoint, LocalRedisServer server, Duration sample,
                              java.util.function.Predicate<ClientInfo> begun, Runnable traffic) throws Exception {
        CompletableFuture<UsageReport> report;
        try (App probe = App.connect(server, 0, "probe")) { // named before the sample begins
            report = CompletableFuture.supplyAsync(() ->
                    new RedisUsage(endpoint, new UsageOptions(sample, 1_000_000, ":", 1)).run());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (java.util.Arrays.stream(probe.r().clientList().split("\\r?\\n")).map(ClientInfo::parse)
                    .noneMatch(begun) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        traffic.run();
        return report.get(30, TimeUnit.SECONDS);
    }

    /** client, db, prefix, reads, writes: what a row must say. */
    static String row(UsageRow r) {
        return r.client() + " db" + r.db() + " " + r.prefix().display() + " r" + r.reads() + " w" + r.writes();
    }

    @ParameterizedTest
    @EnumSource(value = TestRedis.class, names = {"V7", "V2_8"})
    void threeNamedClientsGiveExactlyTheirReadsAndWritesPerDatabaseAndPrefix(TestRedis version) throws Exception {
        try (LocalRedisServer server = version.startManaged();
             App billing = App.connect(server, 0, "billing-api");
             App sessions = App.connect(server, 3, "session-svc");
             App batch = App.connect(server, 1, "batch-job")) {
            Instant before = Instant.now().minusSeconds(1);
            UsageReport report = sample(server, -1, Duration.ofMillis(4000), MONITORING, () -> {
                RedisCommands<byte[], byte[]> r = billing.r();
                r.set(b("invoice:1"), b("a"));
                r.set(b("invoice:2"), b("b"));
                r.get(b("invoice:1"));
                r.mget(b("invoice:1"), b("invoice:2"), b("user:7")); // one read under each prefix
                r.ping();
                RedisCommands<byte[], byte[]> s = sessions.r();
                s.hset(b("session:abc"), b("f"), b("v"));
                s.expire(b("session:abc"), 60);
                s.hgetall(b("session:abc"));
                s.del(b("session:abc"), b("session:def"));
                RedisCommands<byte[], byte[]> j = batch.r();
                j.rpush(b("jobs:mail"), b("x"));
                j.llen(b("jobs:mail"));
                j.lpop(b("jobs:mail"));
                j.rpush(b("jobs:mail"), b("y"));
                j.rename(b("jobs:mail"), b("jobs:done"));
                j.set(new byte[] {'b', 'i', 'n', 0, (byte) 0xff, ':', 'k'}, b("v")); // a binary prefix
                j.set(b("we\"ird\\ :x"), b("v"));
                j.eval(b("return redis.call('incr', KEYS[1])"), ScriptOutputType.INTEGER, b("counter:x"));
            });
            assertThat(report.source()).isEqualTo(UsageSource.MONITOR);
            assertThat(report.usage()).map(RedisUsageTest::row).containsExactly(
                    "batch-job db1 \"bin\\x00\\xff:\" r0 w1",
                    "batch-job db1 counter: r0 w1", // the INCR the script ran, counted for its caller
                    "batch-job db1 jobs: r1 w4",
                    "batch-job db1 \"we\\\"ird\\\\ :\" r0 w1",
                    "billing-api db0 invoice: r2 w2",
                    "billing-api db0 user: r1 w0",
                    "session-svc db3 session: r1 w3");
            assertThat(report.usage()).allSatisfy(r -> {
                String expected = switch (r.client()) {
                    case "batch-job" -> batch.address();
                    case "billing-api" -> billing.address();
                    default -> sessions.address();
                };
                assertThat(r.address()).isEqualTo(expected);
                assertThat(r.lastSeen()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
            });
            UsageReport.Monitored m = (UsageReport.Monitored) report.details();
            assertThat(m.unknownCommands()).isEmpty();
            assertThat(m.maxLinesReached()).isFalse();
            assertThat(report.seconds()).as("the sample runs its whole length").isGreaterThanOrEqualTo(3.9);
            assertThat(report.usage().get(0).prefix().text()).isEmpty(); // not UTF-8: JSON gives it in base64
            assertThat(report.usage().get(0).prefix().base64()).isEqualTo("YmluAP86");
            assertThat(report.table()).contains("batch-job").contains("\"bin\\x00\\xff:\"");
        }
    }

    @Test
    void aDatabaseInTheUriLimitsTheRowsAndMaxLinesEndsTheSampleEarly() throws Exception {
        try (LocalRedisServer server = TestRedis.V7.startManaged();
             App a = App.connect(server, 0, "a");
             App c = App.connect(server, 5, "c")) {
            UsageReport report = sample(server, 5, Duration.ofMillis(4000), MONITORING, () -> {
                c.r().set(b("big:1"), new byte[3 << 20]); // its MONITOR line (12 MB escaped) is kept in part
                a.r().set(b("x:1"), b("1"));
                c.r().set(b("y:1"), b("1"));
                c.r().get(b("y:1"));
            });
            assertThat(report.usage()).map(RedisUsageTest::row).containsExactly("c db5 big: r0 w1", "c db5 y: r1 w1");
            assertThat(((UsageReport.Monitored) report.details()).cutLines()).isEqualTo(1);
            assertThat(report.table()).contains("1 command longer than 1 MB (big values) was read in part");
        }
        try (LocalRedisServer server = TestRedis.V7.startManaged();
             RedisEndpoint endpoint = TestData.endpoint(server, -1, "server");
             App a = App.connect(server, 0, "busy")) {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!done.get() && System.nanoTime() < until) {
                    a.r().incr(b("n:1"));
                }
            });
            UsageReport report = new RedisUsage(endpoint, new UsageOptions(Duration.ofSeconds(20), 50, ":", 1)).run();
            done.set(true);
            load.get(30, TimeUnit.SECONDS);
            assertThat(((UsageReport.Monitored) report.details()).maxLinesReached()).isTrue();
            assertThat(report.seconds()).isLessThan(15);
        }
    }

    @Test
    void whereMonitorIsRefusedItFallsBackToClientListAndServerCountersAndSaysSo() throws Exception {
        try (LocalRedisServer server = TestRedis.V7.startManaged("--rename-command", "MONITOR", "");
             App app = App.connect(server, 2, "orders-api")) {
            UsageReport report = sample(server, -1, Duration.ofMillis(3000), LISTED, () -> {
                app.r().set(b("order:1"), b("a"));
                app.r().set(b("order:2"), b("b"));
                app.r().get(b("order:1"));
                app.r().get(b("order:9"));
            });
            assertThat(report.source()).isEqualTo(UsageSource.CLIENT_LIST);
            // the probe that waited for the sample to begin was connected at its start: listed too
            assertThat(report.usage()).map(UsageRow::client).containsExactly("orders-api", "probe");
            assertThat(report.usage()).first().satisfies(r -> {
                assertThat(r.client()).isEqualTo("orders-api");
                assertThat(r.address()).isEqualTo(app.address());
                assertThat(r.db()).isEqualTo(2);
                assertThat(r.prefix()).isNull();
                assertThat(r.reads()).isNull();
                assertThat(r.writes()).isNull();
            });
            UsageReport.Fallback f = (UsageReport.Fallback) report.details();
            assertThat(f.refusal()).contains("unknown command");
            assertThat(f.server().writes()).isEqualTo(Map.of("set", 2L));
            assertThat(f.server().reads()).isEqualTo(Map.of("get", 2L));
            assertThat(f.server().keyspaceHits()).isEqualTo(1);
            assertThat(f.server().keyspaceMisses()).isEqualTo(1);
            assertThat(report.table()).contains("MONITOR refused").contains("It cannot tell which keys")
                    .contains("2 reads (get 2), 2 writes (set 2); keyspace hits 1, misses 1 (50.0% hits)");
        }
    }

    @Test
    void theCommandTableFindsKeysWhereverACommandPutsThem() {
        List<String> seen = new ArrayList<>();
        String[][] cases = {
                {"mset", "a:1", "v", "b:1", "v"}, {"blpop", "q:1", "q:2", "5"}, {"zunionstore", "d:1", "2", "s:1", "s:2", "weights", "1", "2"},
                {"xread", "count", "2", "streams", "x:1", "x:2", "0", "0"}, {"sort", "l:1", "by", "w:*", "store", "out:1"},
                {"bitop", "and", "dst:1", "s:1", "s:2"}, {"object", "encoding", "o:1"}};
        for (String[] c : cases) {
            List<byte[]> args = java.util.Arrays.stream(c).map(RedisUsageTest::b).toList();
            StringBuilder sb = new StringBuilder(c[0]);
            for (KeySpec spec : CommandTable.lookup(c[0]).keys()) {
                spec.keys(args, (k, a) -> sb.append(' ').append(new String(k, StandardCharsets.UTF_8)).append('=').append(a));
            }
            seen.add(sb.toString());
        }
        assertThat(seen).containsExactly("mset a:1=WRITE b:1=WRITE", "blpop q:1=WRITE q:2=WRITE",
                "zunionstore d:1=WRITE s:1=READ s:2=READ", "xread x:1=READ x:2=READ",
                "sort l:1=READ out:1=WRITE", "bitop dst:1=WRITE s:1=READ s:2=READ", "object o:1=READ");
        assertThat(CommandTable.lookup("GET").access()).contains(Access.READ);
        assertThat(CommandTable.lookup("sunionstore").access()).contains(Access.WRITE);
        assertThat(CommandTable.lookup("frobnicate").kind()).isEqualTo(CommandTable.Kind.UNKNOWN);
    }
}

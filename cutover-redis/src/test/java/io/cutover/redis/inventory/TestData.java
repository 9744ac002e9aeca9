package io.cutover.redis.inventory;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.testkit.redis.LocalRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Writes test data straight through Lettuce and reads back what is there (tests of inventory, prune, verify). */
public final class TestData {
    private TestData() {
    }

    /** Runs {@code work} with a String connection to {@code db} of {@code server}. */
    public static void with(LocalRedisServer server, int db, Consumer<RedisCommands<String, String>> work) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withDatabase(db).withLibraryName("").withLibraryVersion("").build());
        client.setOptions(io.lettuce.core.ClientOptions.builder()
                .protocolVersion(io.lettuce.core.protocol.ProtocolVersion.RESP2).build());
        try (StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8)) {
            work.accept(c.sync());
        } finally {
            client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1));
        }
    }

    /** Every key of {@code db}, sorted (SCAN; test servers are small). */
    public static TreeSet<String> keys(LocalRedisServer server, int db) {
        TreeSet<String> out = new TreeSet<>();
        with(server, db, r -> {
            io.lettuce.core.ScanCursor cursor = io.lettuce.core.ScanCursor.INITIAL;
            do {
                io.lettuce.core.KeyScanCursor<String> page = r.scan(cursor, io.lettuce.core.ScanArgs.Builder.limit(1000));
                out.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
        });
        return out;
    }

    /**
     * A small shared instance, sessions mixed with everything else: db 0 holds 100 session:* hashes with a 30 min TTL, 50 cache:* strings
     * with a 2 h TTL, 20 user:* hashes without TTL and user:big (a 2000-field hash); db 1 holds 5 jobs:queue:*
     * lists with a 3-day TTL and a leaderboard zset with a 30-day TTL.
     */
    public static void shared(LocalRedisServer server) {
        with(server, 0, r -> {
            for (int i = 0; i < 100; i++) {
                r.hmset("session:" + i, java.util.Map.of("user", "u" + i, "csrf", "t" + i));
                r.pexpire("session:" + i, 30 * 60_000L);
            }
            for (int i = 0; i < 50; i++) {
                r.psetex("cache:" + i, 2 * 3_600_000L, "value-" + i);
            }
            for (int i = 0; i < 20; i++) {
                r.hmset("user:" + i, java.util.Map.of("name", "n" + i));
            }
            java.util.Map<String, String> big = new java.util.HashMap<>();
            for (int i = 0; i < 2000; i++) {
                big.put("field-" + i, "x".repeat(20));
            }
            r.hmset("user:big", big);
        });
        with(server, 1, r -> {
            for (int i = 0; i < 5; i++) {
                r.rpush("jobs:queue:" + i, "a", "b", "c");
                r.pexpire("jobs:queue:" + i, 3 * 86_400_000L);
            }
            r.zadd("leaderboard", 1.5, "alice");
            r.zadd("leaderboard", 2.0, "bob");
            r.pexpire("leaderboard", 30 * 86_400_000L);
        });
    }

    /** An endpoint for {@code server} (db given or all). */
    public static RedisEndpoint endpoint(LocalRedisServer server, int db, String role) {
        String uri = db < 0 ? server.uri() : server.uri(db);
        return new RedisEndpoint(RedisUri.parse(uri, null, "--" + role), role);
    }

    /** The keys of {@code all} not matching {@code prefix}. */
    public static List<String> without(Collection<String> all, String prefix) {
        List<String> out = new ArrayList<>();
        for (String k : all) {
            if (!k.startsWith(prefix)) {
                out.add(k);
            }
        }
        return out;
    }
}

package io.cutover.cli.redis;

import io.cutover.cli.Cutover;
import io.cutover.testkit.redis.LocalRedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Shared by the CLI tests of inventory, prune, verify and clients: real servers, data through Lettuce, a CLI run. */
final class InventoryCliSupport {
    /** What the managed services forbid, renamed away. */
    static final String[] MANAGED = {
            "--rename-command", "MIGRATE", "", "--rename-command", "SYNC", "", "--rename-command", "PSYNC", "",
            "--rename-command", "KEYS", "", "--rename-command", "CONFIG", "", "--rename-command", "DEBUG", ""};

    private InventoryCliSupport() {
    }

    /** One CLI run's exit code and output. */
    record Run(int exit, String out, String err) {
    }

    static Run cutover(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cutover.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final java.util.Set<Integer> passworded = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Debian's Redis 7 with the managed-service restrictions and {@link #PASSWORD} required. */
    static LocalRedisServer managedWithPassword() {
        LocalRedisServer s = managed("--requirepass", PASSWORD);
        passworded.add(s.port());
        return s;
    }

    /** Debian's Redis 7 with the managed-service restrictions plus {@code args}. */
    static LocalRedisServer managed(String... args) {
        String[] all = new String[MANAGED.length + args.length];
        System.arraycopy(MANAGED, 0, all, 0, MANAGED.length);
        System.arraycopy(args, 0, all, MANAGED.length, args.length);
        return LocalRedisServer.start(Redis7.binary(), all);
    }

    /** Password of the test servers started with requirepass (null: none). */
    static final String PASSWORD = "s3cret";

    static RedisClient client(LocalRedisServer server, int db) {
        RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withDatabase(db).withLibraryName("").withLibraryVersion("");
        if (passworded.contains(server.port())) {
            uri.withPassword(PASSWORD.toCharArray());
        }
        RedisClient client = RedisClient.create(uri.build());
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
        return client;
    }

    static void with(LocalRedisServer server, int db, Consumer<RedisCommands<String, String>> work) {
        RedisClient client = client(server, db);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            work.accept(c.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** 30 session:* hashes with a TTL, 20 cache:* strings and a user:* hash in db 0; a jobs list in db 1. */
    static void shared(LocalRedisServer server) {
        with(server, 0, r -> {
            for (int i = 0; i < 30; i++) {
                r.hmset("session:" + i, Map.of("user", "u" + i));
                r.pexpire("session:" + i, 600_000);
            }
            for (int i = 0; i < 20; i++) {
                r.set("cache:" + i, "v" + i);
            }
            r.hmset("user:1", Map.of("name", "ann"));
        });
        with(server, 1, r -> r.rpush("jobs:mail", "a", "b"));
    }

    static TreeSet<String> keys(LocalRedisServer server, int db) {
        TreeSet<String> out = new TreeSet<>();
        with(server, db, r -> {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.limit(1000));
                out.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
        });
        return out;
    }
}

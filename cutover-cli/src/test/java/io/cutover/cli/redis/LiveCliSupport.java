package io.cutover.cli.redis;

import io.cutover.cli.Cutover;
import io.cutover.testkit.redis.LocalRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Running {@code cutover} in-process and poking test servers, for the live/switch/TLS CLI tests. */
final class LiveCliSupport {
    record Result(int exit, String out, String err) {
    }

    private LiveCliSupport() {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cutover.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void fill(LocalRedisServer server, int n) {
        try (RedisClient c = RedisClient.create(server.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < n; i++) {
                m.put("session:" + i, "v" + i);
            }
            conn.sync().mset(m);
        }
    }

    static long dbsize(LocalRedisServer server) {
        try (RedisClient c = RedisClient.create(server.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
            return conn.sync().dbsize();
        }
    }

    static String config(LocalRedisServer server, String name) {
        try (RedisClient c = RedisClient.create(server.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
            return conn.sync().configGet(name).get(name);
        }
    }
}

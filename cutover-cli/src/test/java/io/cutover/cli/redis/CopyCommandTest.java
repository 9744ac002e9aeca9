package io.cutover.cli.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.cli.Cutover;
import io.cutover.core.output.Json;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cutover redis copy} end to end: output, exit codes, and one-line errors that leave the target empty. */
@EnabledIf(value = "io.cutover.testkit.redis.RedisBinaries#hasRedis7", disabledReason = RedisBinaries.NO_REDIS7)
class CopyCommandTest {
    private static LocalRedisServer source;
    private static LocalRedisServer target;
    private static LocalRedisServer locked;

    record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() {
        source = LocalRedisServer.start(Redis7.binary());
        target = LocalRedisServer.start(Redis7.binary());
        locked = LocalRedisServer.start(Redis7.binary(), "--requirepass", "s3cret");
        try (RedisEndpoint e = new RedisEndpoint(RedisUri.parse(source.uri(), null, "--source"), "source");
             StatefulRedisConnection<byte[], byte[]> c = e.connect(0)) {
            for (int i = 0; i < 30; i++) {
                c.sync().set(("session:" + i).getBytes(), ("v" + i).getBytes());
                c.sync().set(("cache:" + i).getBytes(), ("c" + i).getBytes());
            }
            c.sync().pexpire("session:0".getBytes(), 600_000);
        }
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
        locked.close();
    }

    @AfterEach
    void emptyTarget() {
        command(target.uri(), "flushall");
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cutover.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static long targetKeys() {
        try (RedisEndpoint e = new RedisEndpoint(RedisUri.parse(target.uri(), null, "--target"), "target");
             StatefulRedisConnection<byte[], byte[]> c = e.connect(0)) {
            return c.sync().dbsize();
        }
    }

    private static void command(String uri, String what) {
        try (RedisEndpoint e = new RedisEndpoint(RedisUri.parse(uri, null, "--target"), "target");
             StatefulRedisConnection<byte[], byte[]> c = e.connect(0)) {
            if (what.equals("flushall")) {
                c.sync().flushall();
            }
        }
    }

    @Test
    void copiesTheSelectionAndPrintsASummary() {
        Result r = run("redis", "copy", "--source", source.uri(), "--target", target.uri(), "--include", "session:*");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("copied " + source.uri() + " -> " + target.uri() + " (dump)\n")
                .containsPattern("copied +30\n").containsPattern("skipped: filtered +30\n").containsPattern("failed +0\n");
        assertThat(targetKeys()).isEqualTo(30);
    }

    @Test
    void jsonOutputAndExitOneWhenExistingKeysAreLeft() throws Exception {
        run("redis", "copy", "--source", source.uri(), "--target", target.uri(), "--include", "cache:1");
        try (RedisEndpoint e = new RedisEndpoint(RedisUri.parse(target.uri(), null, "--target"), "target");
             StatefulRedisConnection<byte[], byte[]> c = e.connect(0)) {
            c.sync().set("cache:2".getBytes(), "theirs".getBytes());
        }
        Result r = run("redis", "copy", "--source", source.uri(), "--target", target.uri(), "--include", "cache:*",
                "--format", "json");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode json = Json.mapper().readTree(r.out());
        assertThat(json.get("copied").asLong()).isEqualTo(28);
        assertThat(json.at("/skipped/unchanged").asLong()).isEqualTo(1);
        assertThat(json.at("/skipped/existing").asLong()).isEqualTo(1);
        assertThat(json.at("/existingKeys/0/key").asText()).isEqualTo("cache:2");
        assertThat(json.get("clean").asBoolean()).isFalse();

        Result replaced = run("redis", "copy", "--source", source.uri(), "--target", target.uri(), "--include", "cache:*",
                "--replace", "--format", "json");
        assertThat(replaced.exit()).isZero();
        assertThat(Json.mapper().readTree(replaced.out()).get("copied").asLong()).isEqualTo(30);
    }

    @Test
    void badUriIsAUsageError() {
        assertUsageError(new String[] {"--source", "http://127.0.0.1:1", "--target", target.uri()},
                "cutover: --source: bad Redis URI 'http://127.0.0.1:1': the scheme must be redis:// or rediss://", 2);
    }

    @Test
    void badGlobIsAUsageError() {
        assertUsageError(new String[] {"--source", source.uri(), "--target", target.uri(), "--include", "session:[a"},
                "cutover: bad glob 'session:[a': unclosed '['", 2);
    }

    @Test
    void badDbMapIsAUsageError() {
        assertUsageError(new String[] {"--source", source.uri(), "--target", target.uri(), "--db-map", "one:0"},
                "cutover: --db-map: expected SRC:DST[:prefix=P], got 'one:0'", 2);
    }

    @Test
    void dbMapToAMissingDatabaseIsAUsageError() {
        assertUsageError(new String[] {"--source", source.uri(), "--target", target.uri(), "--db-map", "0:99"},
                "cutover: target " + address(target) + " has no database 99 (source database 0 goes there by --db-map)", 2);
    }

    @Test
    void unknownFlagIsAUsageError() {
        assertUsageError(new String[] {"--source", source.uri(), "--target", target.uri(), "--frobnicate"},
                "cutover: Unknown option: '--frobnicate' (see 'cutover redis copy --help')", 2);
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertUsageError(new String[] {"--source", source.uri(), "--target", target.uri(), "--batch", "0"},
                "cutover: --batch: expected 1..100000, got 0", 2);
        assertUsageError(new String[] {"--source", source.uri(), "--target", target.uri(), "--mode", "fast"},
                "cutover: Invalid value for option '--mode': expected one of [AUTO, DUMP, STRUCT] (case-insensitive) but was 'fast' (see 'cutover redis copy --help')", 2);
    }

    @Test
    void wrongPasswordIsAUsageErrorAndNeverPrinted() {
        Result r = run("redis", "copy", "--source", source.uri(), "--target",
                "redis://:wrongpass@127.0.0.1:" + locked.port());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("cutover: target " + address(locked) + ": authentication failed")
                .doesNotContain("wrongpass").hasLineCount(1);
        assertThat(r.out()).isEmpty();
        assertThat(targetKeys()).isZero();
    }

    @Test
    void unreachableSourceIsARuntimeFailure() {
        int port = LocalRedisServer.freePort();
        assertUsageError(new String[] {"--source", "redis://127.0.0.1:" + port, "--target", target.uri()},
                "cutover: source 127.0.0.1:" + port + ": cannot connect (connection refused)", 3);
    }

    private static void assertUsageError(String[] args, String message, int exit) {
        String[] all = new String[args.length + 2];
        all[0] = "redis";
        all[1] = "copy";
        System.arraycopy(args, 0, all, 2, args.length);
        Result r = run(all);
        assertThat(r.err().strip()).isEqualTo(message);
        assertThat(r.exit()).isEqualTo(exit);
        assertThat(r.out()).isEmpty();
        assertThat(targetKeys()).isZero();
    }

    private static String address(LocalRedisServer s) {
        return "127.0.0.1:" + s.port();
    }
}

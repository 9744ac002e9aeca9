package io.cutover.cli.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.cutover.cli.redis.LiveCliSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys with a zero byte, a backslash, a leading space, invalid UTF-8 and a 10 KB name, through inventory, copy,
 * verify and prune: tables quote them as redis-cli does and cut long ones; JSON carries the exact key.
 */
class AwkwardKeysCommandTest {
    private static final byte[] ZERO = {'a', 0};                                   // shown "a\x00"
    private static final byte[] TYPED = "a\\x00".getBytes(StandardCharsets.UTF_8); // shown "a\\x00"
    private static final byte[] LEAD = " lead".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BINARY = {'b', 'i', 'n', ':', (byte) 0xff, (byte) 0xfe};
    private static final byte[] LONG = ("long:" + "x".repeat(10_240)).getBytes(StandardCharsets.UTF_8);

    @Test
    void everyCommandShowsTheExactKey() throws Exception {
        try (LocalRedisServer src = LocalRedisServer.start(Redis7.binary());
             LocalRedisServer dst = LocalRedisServer.start(Redis7.binary());
             RedisClient sc = RedisClient.create(src.uri()); RedisClient dc = RedisClient.create(dst.uri());
             StatefulRedisConnection<byte[], byte[]> s = sc.connect(ByteArrayCodec.INSTANCE);
             StatefulRedisConnection<byte[], byte[]> d = dc.connect(ByteArrayCodec.INSTANCE)) {
            for (byte[] k : List.of(ZERO, TYPED, LEAD, BINARY, LONG)) {
                s.sync().set(k, "v".getBytes());
            }
            s.sync().set("session:1".getBytes(), "v".getBytes());
            d.sync().set(ZERO, "other".getBytes()); // an existing key with another value

            LiveCliSupport.Result inv = run("redis", "inventory", "--source", src.uri(0), "--top", "10");
            assertThat(inv.exit()).as(inv.err()).isZero();
            assertThat(inv.out()).contains(" \"a\\x00\" ").contains(" \"a\\\\x00\" ").contains(" \" lead\" ")
                    .contains(" \"bin:\\xff\\xfe\" ").contains("…(10245 bytes)");
            assertThat(inv.out().lines().mapToInt(String::length).max().orElse(0)).isLessThan(200);
            JsonNode invJson = Json.mapper().readTree(run("redis", "inventory", "--source", src.uri(0), "--top", "10",
                    "--format", "json").out());
            assertThat(keys(invJson.get("biggest"))).contains("a\u0000", "a\\x00", " lead", "base64:"
                    + Base64.getEncoder().encodeToString(BINARY), new String(LONG, StandardCharsets.UTF_8));

            LiveCliSupport.Result copy = run("redis", "copy", "--source", src.uri(0), "--target", dst.uri(0));
            assertThat(copy.exit()).isEqualTo(1);
            assertThat(copy.out()).contains("  \"a\\x00\"\n");
            s.sync().del(ZERO);
            d.sync().set(ZERO, "other".getBytes());
            s.sync().set(ZERO, "v".getBytes());
            JsonNode copyJson = Json.mapper().readTree(run("redis", "copy", "--source", src.uri(0), "--target",
                    dst.uri(0), "--format", "json").out());
            assertThat(copyJson.at("/existingKeys/0/key").asText()).isEqualTo("a\u0000");

            d.sync().set(LEAD, "changed".getBytes());
            d.sync().set(BINARY, "changed".getBytes());
            d.sync().del(LONG);
            LiveCliSupport.Result verify = run("redis", "verify", "--source", src.uri(0), "--target", dst.uri(0));
            assertThat(verify.exit()).isEqualTo(1);
            assertThat(verify.out()).contains(" \" lead\" ").contains(" \"bin:\\xff\\xfe\" ").contains("…(10245 bytes)")
                    .contains(" \"a\\x00\" ");
            assertThat(verify.out().lines().mapToInt(String::length).max().orElse(0)).isLessThan(200);
            JsonNode verifyJson = Json.mapper().readTree(run("redis", "verify", "--source", src.uri(0), "--target",
                    dst.uri(0), "--format", "json").out());
            assertThat(keys(verifyJson.get("first"))).containsExactlyInAnyOrder("a\u0000", " lead",
                    "base64:" + Base64.getEncoder().encodeToString(BINARY), new String(LONG, StandardCharsets.UTF_8));

            LiveCliSupport.Result prune = run("redis", "prune", "--target", dst.uri(0), "--keep", "session:*", "--yes",
                    "--format", "json");
            assertThat(prune.exit()).as(prune.err()).isZero();
            assertThat(Json.mapper().readTree(prune.out()).get("deleted").asLong()).isEqualTo(4); // a\x00, a\\x00, " lead", bin
            assertThat(d.sync().dbsize()).isEqualTo(1);
            assertThat(d.sync().exists(ZERO, TYPED, LEAD, BINARY)).isZero();
        }
    }

    /** Each entry's exact key: the text of "key", or "base64:" and "key_base64". */
    private static List<String> keys(JsonNode entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.has("key") ? e.get("key").asText() : "base64:" + e.get("key_base64").asText()));
        return out;
    }
}

package io.cutover.redis.switchover;

import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangedKeyCheckTest {

    /** The copy gives a key its remaining TTL, so the target lets it go a little after the source did. */
    @Test
    void aKeyAboutToExpireOnTheTargetIsNotADifferenceButALongerLivedOneIs() {
        try (LocalRedisServer src = TestRedis.V7.start(); LocalRedisServer dst = TestRedis.V7.start();
             RedisEndpoint s = new RedisEndpoint(RedisUri.parse(src.uri(0), null, "--source"), "source");
             RedisEndpoint t = new RedisEndpoint(RedisUri.parse(dst.uri(0), null, "--target"), "target");
             RedisClient client = RedisClient.create(dst.uri(0));
             StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set("expiring", "v");
            c.sync().pexpire("expiring", 300);
            c.sync().set("lingering", "v");
            c.sync().pexpire("lingering", 60_000);
            c.sync().set("kept", "v");
            List<byte[]> keys = List.of(bytes("expiring"), bytes("lingering"), bytes("kept"));
            List<ChangedKeyCheck.Value> sourceValues;
            try (KeyedConnection sc = s.connectKeyed(0)) { // none of the keys is on the source
                sourceValues = ChangedKeyCheck.read(s, sc, keys);
            }

            List<String> diffs;
            try (KeyedConnection sc = s.connectKeyed(0)) {
                diffs = ChangedKeyCheck.compare(s, sc, t, DbMapping.identity(), 0, keys, sourceValues, true);
            }

            assertThat(diffs).containsExactly("db 0 lingering: deleted on the source, still on the target",
                    "db 0 kept: deleted on the source, still on the target");
            assertThat(c.sync().exists("expiring")).isZero();
        }
    }

    /**
     * The two sides are read one after the other: a source key about to expire may be gone from the target when the
     * target is read. It is compared again once it has expired; a longer-lived one missing on the target is reported.
     */
    @Test
    void aKeyAboutToExpireOnTheSourceIsNotADifferenceButALongerLivedOneIs() {
        try (LocalRedisServer src = TestRedis.V7.start(); LocalRedisServer dst = TestRedis.V7.start();
             RedisEndpoint s = new RedisEndpoint(RedisUri.parse(src.uri(0), null, "--source"), "source");
             RedisEndpoint t = new RedisEndpoint(RedisUri.parse(dst.uri(0), null, "--target"), "target");
             RedisClient client = RedisClient.create(src.uri(0));
             StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set("fading", "v");
            c.sync().pexpire("fading", 300);
            c.sync().set("lasting", "v");
            c.sync().pexpire("lasting", 60_000);
            List<byte[]> keys = List.of(bytes("fading"), bytes("lasting"));
            try (KeyedConnection sc = s.connectKeyed(0)) { // none of the keys is on the target
                List<ChangedKeyCheck.Value> sourceValues = ChangedKeyCheck.read(s, sc, keys);
                assertThat(sourceValues.get(0).pttl()).isBetween(0L, 300L);

                assertThat(ChangedKeyCheck.compare(s, sc, t, DbMapping.identity(), 0, keys, sourceValues, true))
                        .containsExactly("db 0 lasting: missing on the target");
                // every command paused: the source is not read again, its fading key is gone once its TTL has run out
                assertThat(ChangedKeyCheck.compare(s, null, t, DbMapping.identity(), 0, keys, sourceValues, true))
                        .containsExactly("db 0 lasting: missing on the target");
            }
            assertThat(c.sync().exists("fading")).isZero();
        }
    }

    /** Equal values whose DUMP payloads differ (listpack vs hashtable) are the same; a changed field is not. */
    @Test
    void payloadsThatDifferAreDecidedByTheValue() {
        try (LocalRedisServer src = TestRedis.V7.start(); LocalRedisServer dst = TestRedis.V7.start();
             RedisEndpoint s = new RedisEndpoint(RedisUri.parse(src.uri(0), null, "--source"), "source");
             RedisEndpoint t = new RedisEndpoint(RedisUri.parse(dst.uri(0), null, "--target"), "target");
             RedisClient a = RedisClient.create(src.uri(0)); RedisClient b = RedisClient.create(dst.uri(0));
             StatefulRedisConnection<String, String> ca = a.connect(); StatefulRedisConnection<String, String> cb = b.connect()) {
            for (String key : List.of("encoded", "changed")) {
                cb.sync().hset(key, "f0", "x".repeat(100)); // a long value makes the target's hash a hashtable for good
                for (int f = 0; f < 10; f++) {
                    cb.sync().hset(key, "f" + f, "v" + f);
                    ca.sync().hset(key, "f" + f, "v" + f); // a listpack
                }
            }
            cb.sync().hset("changed", "f3", "other");
            assertThat(ca.sync().objectEncoding("encoded")).isNotEqualTo(cb.sync().objectEncoding("encoded"));
            List<byte[]> keys = List.of(bytes("encoded"), bytes("changed"));
            try (KeyedConnection sc = s.connectKeyed(0)) {
                List<ChangedKeyCheck.Value> values = ChangedKeyCheck.read(s, sc, keys);
                assertThat(ChangedKeyCheck.compare(s, sc, t, DbMapping.identity(), 0, keys, values, true))
                        .containsExactly("db 0 changed: value differs");
                // all paused: the source can't be read again, so differing payloads are a difference
                assertThat(ChangedKeyCheck.compare(s, null, t, DbMapping.identity(), 0, keys, values, true))
                        .hasSize(2).allMatch(d -> d.contains("value differs"));
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

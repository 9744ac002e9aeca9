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

            List<String> diffs = ChangedKeyCheck.compare(t, DbMapping.identity(), 0, keys, sourceValues, true);

            assertThat(diffs).containsExactly("db 0 lingering: deleted on the source, still on the target",
                    "db 0 kept: deleted on the source, still on the target");
            assertThat(c.sync().exists("expiring")).isZero();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.cutover.redis.copy;

import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.Keyspaces;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.cutover.redis.copy.CopyAssertions.assertCopied;
import static io.cutover.redis.copy.CopyAssertions.endpoint;
import static io.cutover.redis.copy.CopyAssertions.read;
import static io.cutover.redis.testing.Keyspaces.b;
import static org.assertj.core.api.Assertions.assertThat;

/** Values far bigger than one chunk go type-natively in chunks (7.x → 6.2) and arrive whole, with their TTL. */
class BigValueCopyTest {

    @Test
    @SuppressWarnings("unchecked")
    void copiesA200kFieldHashAndBigCollectionsInChunks() {
        try (LocalRedisServer src = TestRedis.V7.startManaged(); LocalRedisServer dst = TestRedis.V6_2.startManaged();
             RedisEndpoint source = endpoint(src, "source"); RedisEndpoint target = endpoint(dst, "target")) {
            try (StatefulRedisConnection<byte[], byte[]> c = source.connect(0)) {
                RedisCommands<byte[], byte[]> s = c.sync();
                for (int chunk = 0; chunk < 200; chunk++) {
                    Map<byte[], byte[]> fields = new LinkedHashMap<>();
                    for (int i = chunk * 1000; i < (chunk + 1) * 1000; i++) {
                        fields.put(b("field:" + i), b("value:" + i));
                    }
                    s.hset(b("big:hash"), fields);
                }
                s.pexpire(b("big:hash"), 7_200_000);
                byte[][] items = new byte[5500][];
                byte[][] members = new byte[5500][];
                ScoredValue<byte[]>[] scored = new ScoredValue[5500];
                for (int i = 0; i < 5500; i++) {
                    items[i] = b("item:" + i);
                    members[i] = b("member:" + i);
                    scored[i] = ScoredValue.just(i * 0.5, b("m:" + i));
                }
                s.rpush(b("big:list"), items);
                s.sadd(b("big:set"), members);
                s.zadd(b("big:zset"), scored);
                Keyspaces.fill(s, "small:", 3, true);
            }
            Map<String, Keyspaces.Entry> before = read(source, 0);

            CopyReport r = new RedisCopy(source, target, CopyOptions.defaults(), Progress.silent()).run();

            assertThat(r.mode()).isEqualTo("struct");
            assertThat(r.failures()).isEmpty();
            assertThat(r.copied()).isEqualTo(before.size());
            assertCopied(before, read(target, 0)); // also proves no temporary key was left behind
            try (StatefulRedisConnection<byte[], byte[]> c = target.connect(0)) {
                assertThat(c.sync().hlen(b("big:hash"))).isEqualTo(200_000);
            }
        }
    }
}

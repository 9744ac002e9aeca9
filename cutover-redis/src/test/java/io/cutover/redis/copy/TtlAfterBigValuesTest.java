package io.cutover.redis.copy;

import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.cutover.redis.copy.CopyAssertions.endpoint;
import static io.cutover.redis.testing.Keyspaces.b;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small keys with TTLs copied in the same batch as big values get the TTL they have on the source at the end, not
 * the one read when the batch started (which would be late by the big values' transfer time).
 */
class TtlAfterBigValuesTest {
    private static final int SMALL = 500;
    private static final long PX = 600_000;

    @Test
    void dumpRestoreWithAbsoluteExpiries() {
        copyAndCompare(TestRedis.V7, TestRedis.V7, "dump", false); // RESTORE … ABSTTL
    }

    @Test
    void dumpRestoreOnOldTargetsWithReplace() {
        // no ABSTTL before 5.0: RESTORE with a relative TTL, then PEXPIREAT (only on keys the copy may overwrite)
        copyAndCompare(TestRedis.V2_8, TestRedis.V2_8, "dump", true);
    }

    @Test
    void typeNativeCopy() {
        copyAndCompare(TestRedis.V7, TestRedis.V6_2, "struct", false);
    }

    private static void copyAndCompare(TestRedis from, TestRedis to, String mode, boolean replace) {
        try (LocalRedisServer src = from.start(); LocalRedisServer dst = to.start();
             RedisEndpoint source = endpoint(src, "source"); RedisEndpoint target = endpoint(dst, "target")) {
            List<byte[]> keys = new ArrayList<>();
            try (StatefulRedisConnection<byte[], byte[]> c = source.connect(0)) {
                Random random = new Random(7);
                byte[] chunk = new byte[1 << 20];
                for (int v = 0; v < 3; v++) { // incompressible, so the transfer takes its time
                    for (int mb = 0; mb < 24; mb++) {
                        random.nextBytes(chunk);
                        c.sync().append(b("big:" + v), chunk);
                    }
                }
                RedisAsyncCommands<byte[], byte[]> a = c.async();
                List<RedisFuture<String>> sets = new ArrayList<>();
                for (int i = 0; i < SMALL; i++) {
                    keys.add(b("session:" + i));
                    sets.add(a.set(keys.get(i), b("v" + i), SetArgs.Builder.px(PX)));
                }
                sets.forEach(f -> f.toCompletableFuture().join());
            }
            CopyReport r = new RedisCopy(source, target, CopyOptions.defaults().withReplace(replace), Progress.silent()).run();
            assertThat(r.copied()).isEqualTo(SMALL + 3);
            assertThat(r.mode()).isEqualTo(mode);
            try (StatefulRedisConnection<byte[], byte[]> s = source.connect(0);
                 StatefulRedisConnection<byte[], byte[]> t = target.connect(0)) {
                for (byte[] k : keys) { // the target's TTL is read between two reads of the source's
                    long before = s.sync().pttl(k);
                    long targetTtl = t.sync().pttl(k);
                    long after = s.sync().pttl(k);
                    assertThat(targetTtl).as("TTL of %s (source %d … %d ms)", new String(k), before, after)
                            .isBetween(after - 100, before + 100);
                }
            }
        }
    }
}

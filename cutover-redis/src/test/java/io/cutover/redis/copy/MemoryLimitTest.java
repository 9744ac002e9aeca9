package io.cutover.redis.copy;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.testing.TestRedis;
import io.cutover.testkit.redis.LocalRedisServer;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static io.cutover.redis.copy.CopyAssertions.endpoint;
import static io.cutover.redis.testing.Keyspaces.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A target that runs out of room (maxmemory with noeviction, proto-max-bulk-len): the copy ends with exit 3 and one
 * line naming the target, the key, its size and the setting to change, never blaming the source.
 */
class MemoryLimitTest {

    @ParameterizedTest
    @EnumSource(value = CopyMode.class, names = {"DUMP", "STRUCT"})
    void aFullTargetEndsTheCopyNamingKeySizeAndMaxmemory(CopyMode mode) {
        try (LocalRedisServer src = TestRedis.V7.start();
             LocalRedisServer dst = TestRedis.V7.startManaged("--maxmemory", "4mb", "--maxmemory-policy", "noeviction");
             RedisEndpoint source = endpoint(src, "source"); RedisEndpoint target = endpoint(dst, "target")) {
            fill(source, 40, 200 * 1024); // 8 MB
            assertThatThrownBy(() -> new RedisCopy(source, target, CopyOptions.defaults().withMode(mode).withThreads(1),
                    Progress.silent()).run()).isInstanceOfSatisfying(CutoverException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.RUNTIME);
                        assertThat(e.getMessage()).startsWith("target 127.0.0.1:" + dst.port() + " is out of memory")
                                .contains("key big:").contains("maxmemory").contains("OOM")
                                .doesNotContain("source 127.0.0.1").doesNotContain("\n");
                        if (mode == CopyMode.DUMP) {
                            assertThat(e.getMessage()).contains(" KB = "); // the payload's size
                        }
                    });
        }
    }

    @Test
    void aValueLongerThanTheTargetsProtoMaxBulkLenNamesTheSetting() {
        try (LocalRedisServer src = TestRedis.V7.start();
             LocalRedisServer dst = TestRedis.V7.startManaged("--proto-max-bulk-len", "1mb");
             RedisEndpoint source = endpoint(src, "source"); RedisEndpoint target = endpoint(dst, "target")) {
            fill(source, 1, 3 << 20); // 3 MB, incompressible: the DUMP payload is as long
            for (CopyMode mode : CopyMode.values()) { // a string that long can't exist there at all
                assertThatThrownBy(() -> new RedisCopy(source, target, CopyOptions.defaults().withMode(mode),
                        Progress.silent()).run()).isInstanceOfSatisfying(CutoverException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(ExitCode.RUNTIME);
                            assertThat(e.getMessage()).startsWith("target 127.0.0.1:" + dst.port())
                                    .contains("key big:0").contains("proto-max-bulk-len").doesNotContain("\n");
                            if (mode != CopyMode.STRUCT) {
                                assertThat(e.getMessage()).contains("3.0 MB");
                            }
                        });
            }
            try (StatefulRedisConnection<byte[], byte[]> c = source.connect(0)) {
                c.sync().del(b("big:0"));
                Random random = new Random(5);
                for (int f = 0; f < 3000; f++) { // a 3 MB hash: one RESTORE too long, fine in pieces
                    byte[] value = new byte[1024];
                    random.nextBytes(value);
                    c.sync().hset(b("hash"), b("f" + f), value);
                }
            }
            assertThatThrownBy(() -> new RedisCopy(source, target, CopyOptions.defaults(), Progress.silent()).run())
                    .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.getMessage())
                            .contains("key hash").contains("--mode struct"));
            CopyReport r = new RedisCopy(source, target, CopyOptions.defaults().withMode(CopyMode.STRUCT), Progress.silent()).run();
            assertThat(r.copied()).as(r.failures().toString()).isEqualTo(1);
            try (StatefulRedisConnection<byte[], byte[]> t = target.connect(0)) {
                assertThat(t.sync().hlen(b("hash"))).isEqualTo(3000L);
            }
        }
    }

    private static void fill(RedisEndpoint source, int keys, int bytes) {
        Random random = new Random(11);
        try (StatefulRedisConnection<byte[], byte[]> c = source.connect(0)) {
            for (int i = 0; i < keys; i++) {
                byte[] value = new byte[bytes];
                random.nextBytes(value);
                c.sync().set(b("big:" + i), value);
            }
        }
    }
}

package io.cutover.redis.copy;

import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.Keyspaces;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.cutover.redis.copy.CopyAssertions.assertCopied;
import static io.cutover.redis.copy.CopyAssertions.endpoint;
import static io.cutover.redis.copy.CopyAssertions.read;
import static org.assertj.core.api.Assertions.assertThat;

/** Every type with TTLs across versions, on servers that refuse MIGRATE, SYNC, PSYNC, KEYS, CONFIG and DEBUG. */
class CrossVersionCopyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"V2_8, V7, dump", "V6_2, V7, dump", "V7, V6_2, struct", "V7, V2_8, struct", "V7, V7, dump"})
    void copiesEveryTypeAndTtlAcrossVersions(TestRedis from, TestRedis to, String expectedMode) {
        try (LocalRedisServer src = from.startManaged(); LocalRedisServer dst = to.startManaged();
             RedisEndpoint source = endpoint(src, "source"); RedisEndpoint target = endpoint(dst, "target")) {
            boolean streams = source.info().hasStreams() && target.info().hasStreams();
            try (StatefulRedisConnection<byte[], byte[]> c = source.connect(0)) {
                Keyspaces.fill(c.sync(), "", 60, streams);
            }
            try (StatefulRedisConnection<byte[], byte[]> c = source.connect(2)) {
                Keyspaces.fill(c.sync(), "db2:", 5, false);
            }
            Map<String, Keyspaces.Entry> db0 = read(source, 0);
            Map<String, Keyspaces.Entry> db2 = read(source, 2);

            CopyReport report = new RedisCopy(source, target, CopyOptions.defaults().withBatch(50), Progress.silent()).run();

            assertThat(report.failures()).as(report.toString()).isEmpty();
            assertThat(report.copied()).as(report.toString()).isEqualTo(db0.size() + db2.size());
            assertThat(report.mode()).isEqualTo(expectedMode);
            assertThat(report.copied()).isEqualTo(db0.size() + db2.size());
            assertThat(report.failed()).isZero();
            assertThat(report.clean()).isTrue();
            assertCopied(db0, read(target, 0));
            assertCopied(db2, read(target, 2));
        }
    }
}

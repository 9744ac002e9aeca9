package io.cutover.redis.copy;

import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 300 MB string and 400 strings of 1 MB copied type-natively (7.x → 6.2 and → 2.8) by a JVM with a 256 MB heap:
 * the copy finishes and the process's peak resident memory stays bounded.
 */
class BoundedMemoryCopyTest {
    private static final long BIG = 300L << 20;
    private static final long PEAK_LIMIT_KB = 600L * 1024;

    @Test
    void bigStringsGoInPiecesWithinASmallHeap() throws Exception {
        try (LocalRedisServer src = TestRedis.V7.start(); LocalRedisServer to62 = TestRedis.V6_2.start();
             LocalRedisServer to28 = TestRedis.V2_8.start();
             RedisClient c = RedisClient.create(src.uri()); StatefulRedisConnection<String, String> s = c.connect()) {
            s.sync().setrange("big", BIG - 5, "tail!"); // grown server-side: nothing big passes through the test
            s.sync().pexpire("big", 3_600_000);
            List<RedisFuture<Long>> f = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                f.add(s.async().setrange("mb:" + i, (1 << 20) - 3, "end"));
            }
            f.forEach(x -> x.toCompletableFuture().join());
            for (LocalRedisServer target : List.of(to62, to28)) {
                String out = runChild(src.uri(0), target.uri(0));
                assertThat(out).contains("copied 401 failed 0 mode struct");
                Matcher peak = Pattern.compile("VmHWM:\\s+(\\d+) kB").matcher(out);
                assertThat(peak.find()).as(out).isTrue();
                System.out.println("copy to " + target.uri() + ": peak RSS " + peak.group(1) + " kB");
                assertThat(Long.parseLong(peak.group(1))).as("peak RSS of the copy (kB)").isLessThan(PEAK_LIMIT_KB);
                try (RedisClient tc = RedisClient.create(target.uri()); StatefulRedisConnection<String, String> t = tc.connect()) {
                    assertThat(t.sync().strlen("big")).isEqualTo(BIG);
                    assertThat(t.sync().getrange("big", BIG - 5, BIG)).isEqualTo("tail!");
                    assertThat(t.sync().pttl("big")).isBetween(3_500_000L, 3_600_000L);
                    assertThat(t.sync().dbsize()).isEqualTo(401);
                    assertThat(t.sync().strlen("mb:399")).isEqualTo(1 << 20);
                }
            }
        }
    }

    private static String runChild(String source, String target) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CopyInChildJvm.class.getName(), source, target)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}

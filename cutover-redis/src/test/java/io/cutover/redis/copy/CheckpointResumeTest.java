package io.cutover.redis.copy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.core.output.Json;
import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.select.KeySelection;
import io.cutover.redis.testing.Keyspaces;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.cutover.redis.copy.CopyAssertions.assertCopied;
import static io.cutover.redis.copy.CopyAssertions.endpoint;
import static io.cutover.redis.copy.CopyAssertions.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A copy killed part way (SIGKILL of its JVM) resumes from its checkpoint and ends with the full keyspace. */
class CheckpointResumeTest {

    @Test
    void killedCopyResumesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        try (LocalRedisServer src = TestRedis.V7.startManaged(); LocalRedisServer dst = TestRedis.V7.startManaged();
             RedisEndpoint source = endpoint(src, "source"); RedisEndpoint target = endpoint(dst, "target")) {
            for (int db : new int[] {0, 3}) {
                try (StatefulRedisConnection<byte[], byte[]> c = source.connect(db)) {
                    Keyspaces.fill(c.sync(), "db" + db + ":", 600, true);
                }
            }
            Path checkpoint = dir.resolve("copy.json");
            String java = ProcessHandle.current().info().command().orElse("java");
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CopyProcess.class.getName(), src.uri(), dst.uri(), checkpoint.toString(), "800") // slow enough to be killed part way on a loaded machine
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (confirmed(checkpoint) < 1000 && System.nanoTime() < deadline) {
                    assertThat(child.isAlive()).as("child finished too early: %s",
                            Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "").isTrue();
                    Thread.sleep(50);
                }
            } finally {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            long before = confirmed(checkpoint);
            assertThat(before).isBetween(1000L, 2L * 6 * 600 - 1);
            assertThat(dbsize(target, 0) + dbsize(target, 3)).isLessThan(2 * 6 * 600);

            CopyReport resumed = new RedisCopy(source, target, CopyOptions.defaults().withCheckpoint(checkpoint),
                    Progress.silent()).run();

            assertThat(resumed.resumed()).isTrue();
            assertThat(resumed.clean()).as(resumed.toString()).isTrue();
            // keys copied after the last checkpoint write were found again on the target, unchanged
            assertThat(resumed.copied() + resumed.skippedUnchanged()).isGreaterThanOrEqualTo(2 * 6 * 600);
            for (int db : new int[] {0, 3}) {
                Map<String, Keyspaces.Entry> expected = read(source, db);
                assertCopied(expected, read(target, db));
            }
            JsonNode saved = Json.mapper().readTree(checkpoint.toFile());
            assertThat(saved.at("/databases/0/done").asBoolean()).isTrue();
            assertThat(saved.at("/databases/3/done").asBoolean()).isTrue();

            // a rerun with the finished checkpoint has nothing left to do
            CopyReport again = new RedisCopy(source, target, CopyOptions.defaults().withCheckpoint(checkpoint),
                    Progress.silent()).run();
            assertThat(again.copied()).isEqualTo(resumed.copied());

            // the checkpoint belongs to this job: another selection is refused before anything is written
            CopyOptions other = CopyOptions.defaults().withCheckpoint(checkpoint)
                    .withSelection(KeySelection.of(List.of("db0:*"), List.of()));
            assertThatThrownBy(() -> new RedisCopy(source, target, other, Progress.silent()).run())
                    .isInstanceOfSatisfying(CutoverException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).startsWith("--checkpoint " + checkpoint + ": written for another copy");
                    });
        }
    }

    private static long dbsize(RedisEndpoint e, int db) {
        try (StatefulRedisConnection<byte[], byte[]> c = e.connect(db)) {
            return c.sync().dbsize();
        }
    }

    /** Keys the checkpoint confirms (copied and skipped), 0 before it exists. */
    private static long confirmed(Path checkpoint) {
        try {
            if (!Files.exists(checkpoint)) {
                return 0;
            }
            JsonNode n = Json.mapper().readTree(checkpoint.toFile());
            return n.at("/totals/copied").asLong() + n.at("/totals/expired").asLong();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}

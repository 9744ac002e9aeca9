package io.cutover.cli.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.cutover.cli.runbook.RunbookCommandTest.cutover;
import static org.assertj.core.api.Assertions.assertThat;

/** Abort stops a cutover: step that runs in this process, and the run and the report say it was aborted. */
@Timeout(120)
class RunbookAbortTest {
    private static final String WINDOW = "window: {start: \"2026-12-06T22:00:00+09:00\", end: \"2026-12-07T02:00:00+09:00\"}\n";

    @TempDir
    Path dir;

    private static long dbsize(LocalRedisServer r) {
        try (RedisClient c = RedisClient.create(r.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
            return conn.sync().dbsize();
        }
    }

    private static void populate(LocalRedisServer r, int keys) {
        try (RedisClient c = RedisClient.create(r.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
            for (int i = 0; i < keys; i += 1000) {
                java.util.Map<String, String> m = new java.util.HashMap<>();
                for (int k = i; k < Math.min(keys, i + 1000); k++) {
                    m.put("key:" + k, "value " + k);
                }
                conn.sync().mset(m);
            }
        }
    }

    /** Waits until the step's state in the JSON report is {@code state}. */
    private static void await(Path f, String step, String state) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            RunbookCommandTest.Result r = cutover("runbook", "report", f.toString(), "--format", "json");
            if (r.exit() == 0 && r.out().contains("\"id\" : \"" + step + "\"")) {
                try {
                    for (JsonNode s : Json.mapper().readTree(r.out()).path("steps")) {
                        if (s.path("id").asText().equals(step) && s.path("state").asText().equals(state)) {
                            return;
                        }
                    }
                } catch (Exception e) {
                    // not written yet
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(step + " never became " + state);
    }

    @Test
    void abortStopsABigCopyInTheMiddleAndTheStepIsRecordedAborted() throws Exception {
        try (LocalRedisServer source = LocalRedisServer.start(RedisBinaries.redis62());
             LocalRedisServer target = LocalRedisServer.start(RedisBinaries.redis62())) {
            populate(source, 200_000);
            Path f = dir.resolve("night.yaml");
            Files.writeString(f, "name: night\n" + WINDOW + """
                    steps:
                      - {id: copy, title: Copy the keyspace, owner: carol, planned: 10m,
                         cutover: "redis copy --source %s --target %s --rate 200 --batch 10 --threads 2"}
                      - {id: after, title: Never reached, owner: bob, shell: "echo reached", planned: 1s}
                    """.formatted(source.uri(), target.uri()));
            CompletableFuture<RunbookCommandTest.Result> run = CompletableFuture.supplyAsync(
                    () -> cutover("runbook", "run", f.toString(), "--by", "carol"));
            await(f, "copy", "running");
            while (dbsize(target) == 0) {
                Thread.sleep(50);
            }
            RunbookCommandTest.Result abort = cutover("runbook", "abort", f.toString(), "--by", "alice");
            assertThat(abort.exit()).as(abort.err()).isZero();
            RunbookCommandTest.Result done = run.get(60, TimeUnit.SECONDS);
            assertThat(done.exit()).as(done.out() + done.err()).isEqualTo(3);
            assertThat(done.out()).contains("abort by alice").contains("aborted  copy").contains("run 1 aborted");

            long copied = dbsize(target);
            assertThat(copied).isBetween(1L, 199_999L);
            Thread.sleep(1000);
            assertThat(dbsize(target)).as("nothing written after the abort").isEqualTo(copied);

            JsonNode rep = Json.mapper().readTree(cutover("runbook", "report", f.toString(), "--format", "json").out());
            assertThat(rep.path("state").asText()).isEqualTo("aborted");
            assertThat(rep.path("steps").findValuesAsText("state")).containsExactly("aborted", "pending");
            assertThat(cutover("runbook", "report", f.toString()).out()).contains("| copy | Copy the keyspace | carol | aborted |")
                    .contains("aborted by alice");
        }
    }

    @Test
    void abortStopsALiveCopyThatWouldRunUntilStopped() throws Exception {
        try (LocalRedisServer source = LocalRedisServer.start(RedisBinaries.redis62());
             LocalRedisServer target = LocalRedisServer.start(RedisBinaries.redis62())) {
            populate(source, 100);
            Path f = dir.resolve("live.yaml");
            Files.writeString(f, "name: live\n" + WINDOW + """
                    steps:
                      - {id: sync, title: Keep the new Redis current, owner: carol, planned: 1h,
                         cutover: "redis copy --source %s --target %s --live --enable-notifications"}
                    """.formatted(source.uri(), target.uri()));
            CompletableFuture<RunbookCommandTest.Result> run = CompletableFuture.supplyAsync(
                    () -> cutover("runbook", "run", f.toString(), "--by", "carol"));
            await(f, "sync", "running");
            while (dbsize(target) < 100) {
                Thread.sleep(50);
            }
            assertThat(cutover("runbook", "abort", f.toString(), "--by", "alice").exit()).isZero();
            RunbookCommandTest.Result done = run.get(60, TimeUnit.SECONDS);
            assertThat(done.exit()).as(done.out() + done.err()).isEqualTo(3);
            assertThat(done.out()).as(done.out() + done.err()).contains("aborted  sync").contains("run 1 aborted");
            JsonNode rep = Json.mapper().readTree(cutover("runbook", "report", f.toString(), "--format", "json").out());
            assertThat(rep.path("steps").findValuesAsText("state")).containsExactly("aborted");
        }
    }
}

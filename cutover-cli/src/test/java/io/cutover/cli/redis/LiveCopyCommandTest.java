package io.cutover.cli.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisServer;
import org.junit.jupiter.api.Test;

import static io.cutover.cli.redis.LiveCliSupport.config;
import static io.cutover.cli.redis.LiveCliSupport.dbsize;
import static io.cutover.cli.redis.LiveCliSupport.fill;
import static io.cutover.cli.redis.LiveCliSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code cutover redis copy --live}: summary, JSON, notification consent and restore, bad options. */
class LiveCopyCommandTest {

    @Test
    void liveCopyUntilIdleTurnsNotificationsOnWhenAllowedAndRestoresThem() throws Exception {
        try (LocalRedisServer src = LocalRedisServer.start(Redis7.binary());
             LocalRedisServer dst = LocalRedisServer.start(Redis7.binary())) {
            fill(src, 40);
            LiveCliSupport.Result r = run("redis", "copy", "--source", src.uri(0), "--target", dst.uri(0), "--live",
                    "--until-idle", "300ms", "--enable-notifications");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).containsPattern("copied +40\n").contains("ended by idle with 0 pending")
                    .contains("notifications: turned on ('' → 'KEA', restored at exit)");
            assertThat(r.err()).contains("live: keyspace notifications turned on");
            assertThat(dbsize(dst)).isEqualTo(40);
            assertThat(config(src, "notify-keyspace-events")).isEmpty();

            LiveCliSupport.Result json = run("redis", "copy", "--source", src.uri(0), "--target", dst.uri(0), "--live",
                    "--until-idle", "100ms", "--enable-notifications", "--format", "json");
            assertThat(json.exit()).isZero();
            JsonNode n = Json.mapper().readTree(json.out());
            assertThat(n.get("endedBy").asText()).isEqualTo("idle");
            assertThat(n.at("/initial/copied").asLong()).isEqualTo(40);
            assertThat(n.get("clean").asBoolean()).isTrue();
        }
    }

    @Test
    void sigtermCopiesWhatIsPendingPrintsTheSummaryAndExits() throws Exception {
        try (LocalRedisServer src = LocalRedisServer.start(Redis7.binary(), "--notify-keyspace-events", "KEA");
             LocalRedisServer dst = LocalRedisServer.start(Redis7.binary());
             io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(src.uri(0));
             io.lettuce.core.api.StatefulRedisConnection<String, String> app = client.connect()) {
            fill(src, 500);
            java.nio.file.Path out = java.nio.file.Files.createTempFile("live", ".out");
            java.nio.file.Path err = java.nio.file.Files.createTempFile("live", ".err");
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), io.cutover.cli.Cutover.class.getName(),
                    "redis", "copy", "--source", src.uri(0), "--target", dst.uri(0), "--live")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
                while (!java.nio.file.Files.readString(err).contains("live: initial copy") && System.nanoTime() < deadline) {
                    assertThat(p.isAlive()).as(java.nio.file.Files.readString(err)).isTrue();
                    Thread.sleep(50);
                }
                for (int i = 0; i < 200; i++) {
                    app.sync().set("after:" + i, "v" + i); // followed from the events; some still pending at the signal
                }
                p.destroy(); // SIGTERM, as Kubernetes and Ctrl-C's neighbours send it
                assertThat(p.waitFor(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            assertThat(p.exitValue()).as(java.nio.file.Files.readString(err)).isEqualTo(143);
            assertThat(java.nio.file.Files.readString(out)).containsPattern("copied +500\n")
                    .contains("ended by stop with 0 pending");
            assertThat(dbsize(dst)).as("every write acknowledged before the signal is on the target").isEqualTo(700);
        }
    }

    @Test
    void withoutATerminalOrFlagNotificationsStayOffAndNothingIsWritten() {
        try (LocalRedisServer src = LocalRedisServer.start(Redis7.binary());
             LocalRedisServer dst = LocalRedisServer.start(Redis7.binary())) {
            fill(src, 5);
            LiveCliSupport.Result r = run("redis", "copy", "--source", src.uri(0), "--target", dst.uri(0), "--live");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().strip()).startsWith("cutover: source 127.0.0.1:" + src.port() + " has notify-keyspace-events ''")
                    .endsWith("no terminal to ask; pass --enable-notifications to allow it").doesNotContain("\n");
            assertThat(dbsize(dst)).isZero();
            assertThat(config(src, "notify-keyspace-events")).isEmpty();
        }
    }

    @Test
    void liveOnlyOptionsNeedLiveAndDurationsAreChecked() {
        LiveCliSupport.Result r = run("redis", "copy", "--source", "redis://127.0.0.1:1", "--target", "redis://127.0.0.1:2",
                "--until-idle", "5s");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("cutover: --until-idle and --enable-notifications need --live\n");
        LiveCliSupport.Result bad = run("redis", "copy", "--source", "redis://127.0.0.1:1", "--target", "redis://127.0.0.1:2",
                "--live", "--until-idle", "soon");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("cutover: --until-idle: not a duration: 'soon'");
    }
}

package io.cutover.cli.runbook;

import io.cutover.cli.Cutover;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runbook started on a real terminal (a pseudo-terminal from util-linux's {@code script}) runs its in-process
 * steps without one: a step that would ask a question fails with the flag to pass, instead of waiting for an answer
 * typed on a screen nobody watches.
 */
class RunbookOnTerminalTest {
    @TempDir
    Path dir;

    @Test
    void aStepThatWouldAskFailsWithTheFlagToPassAndDeletesNothing() throws Exception {
        try (LocalRedisServer redis = LocalRedisServer.start(RedisBinaries.redis62());
             RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set("session:1", "kept");
            c.sync().set("cache:1", "would be deleted after a yes");
            Path f = dir.resolve("night.yaml");
            Files.writeString(f, """
                    name: night
                    window: {start: "2026-12-06T22:00:00+09:00", end: "2026-12-07T02:00:00+09:00"}
                    steps:
                      - {id: prune, title: Prune the cache, owner: carol, planned: 1m,
                         cutover: "redis prune --target %s --keep 'session:*'"}
                    """.formatted(redis.uri()));
            String java = ProcessHandle.current().info().command().orElse("java");
            String command = String.join(" ", List.of(quote(java), "-cp", quote(System.getProperty("java.class.path")),
                    Cutover.class.getName(), "runbook", "run", quote(f.toString()), "--by", "carol"));
            Path log = dir.resolve("terminal.log");
            Process p = new ProcessBuilder("script", "-qec", command, "/dev/null")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // a prompt on the terminal would wait here for ever: nobody types into this one
            boolean ended = p.waitFor(2, TimeUnit.MINUTES);
            if (!ended) {
                p.destroyForcibly();
            }
            String screen = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(ended).as("the run ended by itself; terminal:%n%s", screen).isTrue();
            assertThat(p.exitValue()).as(screen).isEqualTo(3);
            assertThat(screen).contains("FAILED   prune: cutover redis prune: usage error (exit 2)")
                    .doesNotContain("Delete these keys?");
            RunbookCommandTest.Result report = RunbookCommandTest.cutover("runbook", "report", f.toString());
            assertThat(report.out()).contains(
                    "cutover: prune: no terminal to confirm on; nothing deleted (add --yes, or --dry-run to only count)");
            assertThat(c.sync().dbsize()).isEqualTo(2);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}

package io.cutover.cli.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.cutover.cli.redis.LiveCliSupport.dbsize;
import static io.cutover.cli.redis.LiveCliSupport.fill;
import static io.cutover.cli.redis.LiveCliSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code cutover redis switch} end to end with a --switch-command, aborts, refusals. */
class SwitchCommandTest {

    @Test
    void switchesWithASwitchCommandAndReportsEachStep() throws Exception {
        try (LocalRedisServer src = LocalRedisServer.start(Redis7.binary(), "--notify-keyspace-events", "KEA");
             LocalRedisServer dst = LocalRedisServer.start(Redis7.binary())) {
            fill(src, 25);
            LiveCliSupport.Result r = run("redis", "switch", "--source", src.uri(0), "--target", dst.uri(0), "--yes",
                    "--switch-command", "echo \"DNS redis.internal now points at $PWD\"; echo failover-noted >&2", "--pause-timeout", "5s",
                    "--clients-timeout", "2s", "--format", "json");
            assertThat(r.exit()).as(r.err()).isZero();
            // what the switch command said is in the command's own output, which a runbook step captures
            assertThat(r.err()).contains("DNS redis.internal now points at /").contains("failover-noted");
            assertThat(r.err()).contains(">>> point clients at the target now (DNS/config): 127.0.0.1:" + dst.port())
                    .contains("switch: paused writes on the source: CLIENT PAUSE 5000 WRITE")
                    .contains("switch: released the pause (CLIENT UNPAUSE)")
                    .contains("switch: every client left the source");
            JsonNode n = Json.mapper().readTree(r.out());
            assertThat(n.get("switched").asBoolean()).isTrue();
            assertThat(n.get("pauseMode").asText()).isEqualTo("write");
            assertThat(n.at("/live/initial/copied").asLong()).isEqualTo(25);
            assertThat(n.get("steps").size()).isGreaterThanOrEqualTo(7);
            assertThat(n.get("verified").asText()).isEqualTo("changed_keys");
            assertThat(n.get("verifiedKeys").isIntegralNumber()).as("no key changed, but a count: 0").isTrue();
            assertThat(n.get("verifiedKeys").asLong()).isZero();
            assertThat(dbsize(dst)).isEqualTo(25);
        }
    }

    @Test
    void withKeepClientsAKeyWrittenOnTheOldInstanceAfterTheSwitchIsAConflict() throws Exception {
        try (LocalRedisServer src = LocalRedisServer.start(Redis7.binary(), "--notify-keyspace-events", "KEA");
             LocalRedisServer dst = LocalRedisServer.start(Redis7.binary());
             RedisClient app = RedisClient.create(src.uri());
             StatefulRedisConnection<String, String> conn = app.connect()) {
            fill(src, 5);
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread writer = new Thread(() -> { // an app that never notices the switch
                for (int i = 0; writing.get(); i++) {
                    conn.sync().set("hits\u00001", String.valueOf(i));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            writer.start();
            LiveCliSupport.Result r = run("redis", "switch", "--source", src.uri(0), "--target", dst.uri(0), "--yes",
                    "--switch-command", "true", "--pause-timeout", "5s", "--clients-timeout", "1s", "--keep-clients",
                    "--format", "json");
            writing.set(false);
            writer.join();
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("switch: --keep-clients: clients still connected to the source are not disconnected");
            JsonNode n = Json.mapper().readTree(r.out());
            assertThat(n.get("clean").asBoolean()).isFalse();
            JsonNode late = n.get("lateWrites").get(0);
            assertThat(late.get("key").asText()).isEqualTo("hits\u00001");
            assertThat(late.get("event").asText()).isEqualTo("set");
            assertThat(late.get("outcome").asText()).isEqualTo("target_differs");
        }
    }

    @Test
    void aFailingSwitchCommandAbortsAndReleasesThePause() {
        try (LocalRedisServer src = LocalRedisServer.start(Redis7.binary(), "--notify-keyspace-events", "KEA");
             LocalRedisServer dst = LocalRedisServer.start(Redis7.binary())) {
            fill(src, 5);
            LiveCliSupport.Result r = run("redis", "switch", "--source", src.uri(0), "--target", dst.uri(0), "--yes",
                    "--switch-command", "exit 7", "--pause-timeout", "5m");
            assertThat(r.exit()).isEqualTo(3);
            assertThat(r.err()).contains("switch: --switch-command exited with 7")
                    .contains("released the pause (CLIENT UNPAUSE): the source takes writes again, nothing was switched")
                    .endsWith("cutover: switch aborted by the operator; nothing was switched\n");
            try (RedisClient c = RedisClient.create(src.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
                conn.setTimeout(Duration.ofSeconds(2)); // times out if writes were still paused
                assertThat(conn.sync().set("after", "abort")).isEqualTo("OK");
            }
        }
    }

    @Test
    void refusalsBeforeAnythingHappens() {
        // (a 2.8 source without --no-pause is refused too: see RedisSwitchTest, the CLI has no 2.8 binary)
        try (LocalRedisServer src = LocalRedisServer.start(Redis7.binary());
             LocalRedisServer dst = LocalRedisServer.start(Redis7.binary())) {
            fill(src, 5);
            LiveCliSupport.Result noTerminal = run("redis", "switch", "--source", src.uri(0), "--target", dst.uri(0), "--yes");
            assertThat(noTerminal.exit()).isEqualTo(2);
            assertThat(noTerminal.err()).isEqualTo("cutover: no terminal to confirm the switch on: give --switch-command\n");
            LiveCliSupport.Result notAsked = run("redis", "switch", "--source", src.uri(0), "--target", dst.uri(0),
                    "--switch-command", "true");
            assertThat(notAsked.exit()).isEqualTo(2);
            assertThat(notAsked.err()).isEqualTo("cutover: no terminal to ask before pausing the source's writers: pass --yes\n");
            LiveCliSupport.Result offAndNotAllowed = run("redis", "switch", "--source", src.uri(0), "--target", dst.uri(0),
                    "--switch-command", "true", "--yes", "--pause-mode", "write", "--no-pause");
            assertThat(offAndNotAllowed.exit()).isEqualTo(2);
            assertThat(dbsize(dst)).isZero();
        }
    }
}

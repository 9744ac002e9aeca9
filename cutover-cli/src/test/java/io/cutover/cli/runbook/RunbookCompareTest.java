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
import java.util.HashMap;
import java.util.Map;

import static io.cutover.cli.runbook.RunbookCommandTest.cutover;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code cutover runbook compare}: two rehearsals of a real Redis copy whose keyspace doubled in between. */
@Timeout(120)
class RunbookCompareTest {
    private static final String WINDOW = "window: {start: \"2026-12-06T22:00:00+09:00\", end: \"2026-12-07T02:00:00+09:00\"}\n";

    @TempDir
    Path dir;

    private static void keys(LocalRedisServer r, int from, int to) {
        try (RedisClient c = RedisClient.create(r.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
            Map<String, String> m = new HashMap<>();
            for (int i = from; i < to; i++) {
                m.put("session:" + i, "value " + i);
            }
            conn.sync().mset(m);
        }
    }

    @Test
    void aCopyWhoseKeyspaceDoubledIsFlaggedAndTheExitSaysSo() throws Exception {
        try (LocalRedisServer source = LocalRedisServer.start(RedisBinaries.redis62());
             LocalRedisServer target = LocalRedisServer.start(RedisBinaries.redis62())) {
            keys(source, 0, 1000);
            Path f = dir.resolve("night.yaml");
            Files.writeString(f, "name: night\n" + WINDOW + """
                    steps:
                      - {id: copy, title: Copy the keyspace, owner: carol, planned: 5m,
                         cutover: "redis copy --source %s --target %s --replace"}
                      - {id: verify, title: Verify, owner: carol, planned: 1m, cutover: "redis verify --source %s --target %s"}
                    """.formatted(source.uri(), target.uri(), source.uri(), target.uri()));
            assertThat(cutover("runbook", "rehearse", f.toString()).exit()).isZero();
            RunbookCommandTest.Result one = cutover("runbook", "compare", f.toString());
            assertThat(one.exit()).isEqualTo(2);
            assertThat(one.err()).isEqualTo("cutover: no run before run 1 to compare it with (give --with M)\n");

            keys(source, 1000, 2000);
            RunbookCommandTest.Result second = cutover("runbook", "rehearse", f.toString());
            assertThat(second.exit()).as(second.err()).isZero();
            // the rehearsal ends with the sizes compared with the rehearsal before
            assertThat(second.out()).contains("night: rehearsal 2 compared with rehearsal 1 (sizes flagged beyond 20%)")
                    .contains("copied keys 1,000 → 2,000 (+100%)");

            RunbookCommandTest.Result cmp = cutover("runbook", "compare", f.toString());
            assertThat(cmp.exit()).as(cmp.err()).isEqualTo(1);
            assertThat(cmp.out()).contains("! copy").contains("! verify").contains("source keys 1,000 → 2,000 (+100%)")
                    .contains("2 steps' measured size changed by more than 20%");
            JsonNode j = Json.mapper().readTree(cutover("runbook", "compare", f.toString(), "--format", "json").out());
            assertThat(j.path("before").path("run").asInt()).isEqualTo(1);
            assertThat(j.path("after").path("run").asInt()).isEqualTo(2);
            assertThat(j.path("flagged").toString()).isEqualTo("[\"copy\",\"verify\"]");
            JsonNode copied = j.path("steps").get(0).path("sizes").get(0);
            assertThat(copied.path("name").asText()).isEqualTo("copied keys");
            assertThat(copied.path("before").asLong()).isEqualTo(1000);
            assertThat(copied.path("after").asLong()).isEqualTo(2000);
            assertThat(copied.path("change").asDouble()).isEqualTo(1.0);
            assertThat(j.path("steps").get(0).path("after").path("measured").path("copied keys").asLong()).isEqualTo(2000);

            // a threshold above the change: nothing flagged, exit 0
            assertThat(cutover("runbook", "compare", f.toString(), "--threshold", "150%").exit()).isZero();
            // the run compared with itself the other way round
            assertThat(cutover("runbook", "compare", f.toString(), "--run", "1", "--with", "2").out())
                    .contains("copied keys 2,000 → 1,000 (-50%)");
            RunbookCommandTest.Result bad = cutover("runbook", "compare", f.toString(), "--threshold", "lots");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.out()).isEmpty();
            assertThat(bad.err()).isEqualTo("cutover: --threshold: 'lots' is not a percentage (e.g. 20%)\n");
            assertThat(cutover("runbook", "compare", f.toString(), "--with", "9").err())
                    .isEqualTo("cutover: --with: no run 9 in " + dir.resolve("night.state.json") + "\n");
        }
    }
}

package io.cutover.cli.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.cli.Cutover;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class RunbookCommandTest {
    private static final String WINDOW = "window: {start: \"2026-12-06T22:00:00+09:00\", end: \"2026-12-07T02:00:00+09:00\"}\n";

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    static Result cutover(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cutover.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkListsEachProblemOnItsOwnLineAndExits2() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "name: night\n" + WINDOW + """
                steps:
                  - {id: a, title: A, owner: bob, shell: "true", planned: soon}
                  - {id: b, title: B, owner: bob, cutover: "redis copy --source 'unclosed", planned: 1m}
                """);
        Result r = cutover("runbook", "check", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly(
                f + ":4:59: planned: not a duration: 'soon' (use e.g. 500ms, 30s, 10m, 6h, 2d)",
                f + ":5:44: cutover: unclosed ' quote",
                "cutover: 2 problems in " + f);
        assertThat(dir.resolve("bad.state.json")).doesNotExist();
        assertThat(cutover("runbook", "check", dir.resolve("missing.yaml").toString()).err())
                .isEqualTo("cutover: " + dir.resolve("missing.yaml") + ": no such runbook file\n");
    }

    @Test
    void aCutoverStepRunsInProcessAndTheReportHasItsOutput() throws Exception {
        try (LocalRedisServer redis = LocalRedisServer.start(RedisBinaries.redis62())) {
            Path f = dir.resolve("night.yaml");
            Files.writeString(f, "name: night\n" + WINDOW + """
                    vars:
                      OLD: "%s"
                    steps:
                      - {id: who, title: Who is connected, owner: bob, cutover: "redis clients --uri ${OLD}", planned: 10s}
                      - {id: keys, title: Count keys, owner: bob, shell: "echo 0 keys", planned: 1s}
                    """.formatted(redis.uri()));
            Result check = cutover("runbook", "check", f.toString());
            assertThat(check.exit()).isZero();
            assertThat(check.out()).contains("critical path (*): who → keys = 11.0s");

            Result run = cutover("runbook", "rehearse", f.toString(), "--by", "carol");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("starting rehearsal 1 of night").contains("done     who in ")
                    .contains("planned vs actual (rehearsal 1):");

            Result json = cutover("runbook", "report", f.toString(), "--format", "json");
            assertThat(json.exit()).isZero();
            JsonNode rep = Json.mapper().readTree(json.out());
            assertThat(rep.path("kind").asText()).isEqualTo("rehearsal");
            assertThat(rep.path("state").asText()).isEqualTo("done");
            assertThat(rep.path("window").path("end").asText()).isEqualTo("2026-12-07T02:00:00.000+09:00");
            assertThat(rep.path("steps").get(0).path("state").asText()).isEqualTo("done");

            Result md = cutover("runbook", "report", f.toString());
            // CLIENT LIST's table, captured from the in-process command
            assertThat(md.out()).contains("| who | Who is connected | bob | done |").contains("### who\n\n```\nno other clients connected\n```");

            Result html = cutover("runbook", "report", f.toString(), "--format", "html");
            assertThat(html.exit()).isZero();
            assertThat(html.out()).startsWith("<!DOCTYPE html>").contains("<td class=\"id\">who</td><td>Who is connected</td><td>bob</td>")
                    .contains("no other clients connected").endsWith("</html>\n");
            Result xml = cutover("runbook", "report", f.toString(), "--format", "xml");
            assertThat(xml.exit()).isEqualTo(2);
            assertThat(xml.out()).isEmpty();
            assertThat(xml.err()).isEqualTo("cutover: --format: 'xml' is not md, html or json\n");

            // the second check uses what the rehearsal measured
            assertThat(cutover("runbook", "check", f.toString()).out()).contains("p50 of 1 rehearsal");
            Result bad = cutover("runbook", "report", f.toString(), "--run", "7");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).isEqualTo("cutover: no run 7 in " + dir.resolve("night.state.json") + "\n");
            Result done = cutover("runbook", "done", f.toString(), "keys");
            assertThat(done.exit()).isEqualTo(2);
            assertThat(done.err()).isEqualTo("cutover: no run of night in progress\n");
            Result confirmFailed = cutover("runbook", "confirm", f.toString(), "keys", "--failed");
            assertThat(confirmFailed.exit()).isEqualTo(2); // --failed belongs to done alone
            assertThat(confirmFailed.err()).contains("Unknown option: '--failed'");
        }
    }

    @Test
    void aLagGateOpensOnTheLagALiveCopyStepReports() throws Exception {
        try (LocalRedisServer source = LocalRedisServer.start(RedisBinaries.redis62());
             LocalRedisServer target = LocalRedisServer.start(RedisBinaries.redis62())) {
            Path f = dir.resolve("live.yaml");
            Files.writeString(f, "name: live\n" + WINDOW + """
                    steps:
                      - {id: sync, title: Keep the new Redis current, owner: carol, after: [], planned: 10s,
                         cutover: "redis copy --source %s --target %s --live --until-idle 4s --enable-notifications"}
                      - {id: caught-up, title: Lag under a second, owner: carol, after: [], planned: 5s, timeout: 60s,
                         gate: {redis_lag: sync, max: 1s}}
                    """.formatted(source.uri(), target.uri()));
            Result run = cutover("runbook", "rehearse", f.toString(), "--by", "carol");
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            JsonNode rep = Json.mapper().readTree(cutover("runbook", "report", f.toString(), "--format", "json").out());
            assertThat(rep.path("steps").findValuesAsText("state")).containsExactly("done", "done");
            // the gate read the live copy's own lag line, not a figure of its own
            assertThat(cutover("runbook", "report", f.toString()).out()).contains("lag 0ms (max 1000ms)")
                    .contains("live: pending 0, oldest 0ms");
        }
    }
}

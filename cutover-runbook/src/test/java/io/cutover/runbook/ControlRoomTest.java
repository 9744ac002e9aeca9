package io.cutover.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.StepState;
import io.cutover.runbook.ui.ControlRoom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class ControlRoomTest {
    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aManualStepIsConfirmedAndDoneOverHttpOnlyWithTheToken() throws Exception {
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.windowAroundNow() + """
                steps:
                  - {id: prepare, title: Prepare, owner: bob, shell: "echo ready", planned: 1s}
                  - {id: switch, title: Switch DNS, owner: alice, manual: Change the Route53 record, confirm: true, planned: 5m}
                """));
        Runs run = new Runs(r);
        try (ControlRoom room = ControlRoom.start(run.runner, "127.0.0.1:0")) {
            CompletableFuture<Integer> code = run.background();
            RunnerTest.awaitState(r, "switch", StepState.WAITING);
            String base = room.url();

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Cutover control room</title>").contains("name=\"viewport\"");

            JsonNode state = Json.mapper().readTree(get(base + "api/state").body());
            assertThat(state.path("state").asText()).isEqualTo("running");
            assertThat(state.path("steps").get(1).path("state").asText()).isEqualTo("waiting");
            assertThat(state.path("steps").get(1).path("confirmable").asBoolean()).isTrue();
            assertThat(state.path("steps").get(0).path("output").get(0).asText()).isEqualTo("ready");
            assertThat(state.path("verdict").asText()).startsWith("fits with");

            // anyone with the page can watch, nobody without the token can click
            assertThat(post(base + "api/action?action=confirm&step=switch&by=mallory").statusCode()).isEqualTo(403);
            assertThat(post(base + "api/action?action=confirm&step=switch&by=mallory&token=0000").statusCode()).isEqualTo(403);
            assertThat(Runs.last(r).step("switch").state()).isEqualTo(StepState.WAITING);
            assertThat(Runs.last(r).step("switch").confirmedBy()).isNull();

            String t = "&token=" + room.token();
            HttpResponse<String> early = post(base + "api/action?action=done&step=switch&by=alice" + t);
            assertThat(early.statusCode()).isEqualTo(409);
            assertThat(early.body()).isEqualTo("'switch' is not a manual step in progress (it is waiting)");
            assertThat(post(base + "api/action?action=confirm&step=switch&by=alice" + t).statusCode()).isEqualTo(200);
            RunnerTest.awaitState(r, "switch", StepState.RUNNING);

            // the events stream pushes the change
            HttpResponse<java.io.InputStream> sse = http.send(HttpRequest.newBuilder(URI.create(base + "events")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(sse.headers().firstValue("content-type")).hasValue("text/event-stream");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
                String line = in.readLine();
                assertThat(line).startsWith("data: {");
                JsonNode pushed = Json.mapper().readTree(line.substring(6));
                assertThat(pushed.path("steps").get(1).path("state").asText()).isEqualTo("running");
                assertThat(pushed.path("steps").get(1).path("confirmed_by").asText()).isEqualTo("alice");
            }

            assertThat(post(base + "api/action?action=done&step=switch&by=alice" + t).statusCode()).isEqualTo(200);
            assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo(0);
            RunRecord rec = Runs.last(r);
            assertThat(rec.step("switch").confirmedBy()).isEqualTo("alice");
            assertThat(rec.step("switch").doneBy()).isEqualTo("alice");
            assertThat(rec.events()).extracting(e -> e.what() + " by " + e.by()).containsExactly("confirm by alice", "done by alice");
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

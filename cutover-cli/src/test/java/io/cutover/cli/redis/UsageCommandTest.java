package io.cutover.cli.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.cutover.cli.redis.InventoryCliSupport.cutover;
import static org.assertj.core.api.Assertions.assertThat;

class UsageCommandTest {

    /** Runs the CLI in the background and waits until a client of {@code server} shows {@code sign} in CLIENT LIST. */
    private static CompletableFuture<InventoryCliSupport.Run> start(LocalRedisServer server, String sign, String... args)
            throws InterruptedException {
        CompletableFuture<InventoryCliSupport.Run> run = CompletableFuture.supplyAsync(() -> cutover(args));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String[] list = {""};
        while (!list[0].contains(sign) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            InventoryCliSupport.with(server, 0, r -> list[0] = r.clientList());
        }
        return run;
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void jsonGivesSourceSecondsAndOneRowPerClientDatabaseAndPrefix() throws Exception {
        try (LocalRedisServer server = InventoryCliSupport.managed()) {
            RedisClient client = InventoryCliSupport.client(server, 1);
            try (StatefulRedisConnection<String, String> app = client.connect()) {
                app.sync().clientSetname("cart-api");
                CompletableFuture<InventoryCliSupport.Run> run = start(server, "flags=O",
                        "redis", "usage", "--uri", server.uri(), "--sample", "4s", "--format", "json");
                app.sync().set("cart:1", "a");
                app.sync().get("cart:1");
                app.sync().get("cart:2");
                InventoryCliSupport.Run done = run.get(30, TimeUnit.SECONDS);
                assertThat(done.exit()).as(done.err()).isZero();
                JsonNode json = Json.mapper().readTree(done.out());
                assertThat(fields(json)).containsExactly("source", "seconds", "usage");
                assertThat(json.get("source").asText()).isEqualTo("monitor");
                assertThat(json.get("seconds").asDouble()).as("the sample runs its whole length").isGreaterThanOrEqualTo(3.9);
                assertThat(json.get("usage")).hasSize(1);
                JsonNode row = json.get("usage").get(0);
                assertThat(fields(row)).containsExactly("client", "library", "address", "db", "prefix", "reads",
                        "writes", "last_seen");
                assertThat(row.get("client").asText()).isEqualTo("cart-api");
                assertThat(row.get("library").isNull()).isTrue(); // 7.0 has no lib-name
                assertThat(row.get("address").asText()).matches("127\\.0\\.0\\.1:[0-9]+");
                assertThat(row.get("db").asInt()).isEqualTo(1);
                assertThat(row.get("prefix").asText()).isEqualTo("cart:");
                assertThat(row.get("reads").asLong()).isEqualTo(2);
                assertThat(row.get("writes").asLong()).isEqualTo(1);
                assertThat(Instant.parse(row.get("last_seen").asText())).isBefore(Instant.now());
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void monitorRenamedAwayGivesTheClientListSourceAndSaysWhatItCannotTell() throws Exception {
        try (LocalRedisServer server = InventoryCliSupport.managed("--rename-command", "MONITOR", "")) {
            InventoryCliSupport.with(server, 0, r -> {
                r.clientSetname("legacy-batch");
                InventoryCliSupport.Run json = cutover("redis", "usage", "--uri", server.uri(), "--sample", "1s",
                        "--format", "json");
                assertThat(json.exit()).as(json.err()).isZero();
                assertThat(json.err()).startsWith("cutover: MONITOR refused (ERR unknown command")
                        .contains("It cannot tell which keys or prefixes a client touches");
                try {
                    JsonNode node = Json.mapper().readTree(json.out());
                    assertThat(node.get("source").asText()).isEqualTo("client_list");
                    assertThat(node.get("usage")).hasSize(1);
                    assertThat(node.at("/usage/0/client").asText()).isEqualTo("legacy-batch");
                    assertThat(node.at("/usage/0/prefix").isNull()).isTrue();
                    assertThat(node.at("/usage/0/reads").isNull()).isTrue();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
                InventoryCliSupport.Run table = cutover("redis", "usage", "--uri", server.uri(), "--sample", "500ms");
                assertThat(table.exit()).isZero();
                assertThat(table.out()).startsWith("MONITOR refused (ERR unknown command")
                        .contains("legacy-batch").contains("server-wide over");
            });
        }
    }

    @Test
    void aWrongPasswordIsAUsageErrorThatNeverShowsThePassword() {
        try (LocalRedisServer server = InventoryCliSupport.managedWithPassword()) {
            InventoryCommandTest.assertOneLine(cutover("redis", "usage", "--uri",
                    "redis://:wrong-s3cret@127.0.0.1:" + server.port(), "--sample", "1s"), 2,
                    "cutover: server 127.0.0.1:" + server.port() + ": authentication failed");
        }
    }

    @Test
    void badInputsAreOneLineWithTheirExitCode() {
        InventoryCommandTest.assertOneLine(cutover("redis", "usage", "--uri", "http://127.0.0.1:6379"), 2,
                "cutover: --uri: bad Redis URI 'http://127.0.0.1:6379': the scheme must be redis:// or rediss://");
        InventoryCommandTest.assertOneLine(cutover("redis", "usage", "--uri", "redis://127.0.0.1:1", "--sample", "soon"),
                2, "cutover: --sample: not a duration: 'soon'");
        InventoryCommandTest.assertOneLine(cutover("redis", "usage", "--uri", "redis://127.0.0.1:1", "--sample", "0s"),
                2, "cutover: --sample must be a positive duration");
        InventoryCommandTest.assertOneLine(cutover("redis", "usage", "--uri", "redis://127.0.0.1:1", "--max-lines", "0"),
                2, "cutover: --max-lines must be at least 1, got 0");
        InventoryCommandTest.assertOneLine(cutover("redis", "usage", "--uri", "redis://127.0.0.1:1", "--sample", "1s"),
                3, "cutover: server 127.0.0.1:1: cannot connect (connection refused)");
    }
}

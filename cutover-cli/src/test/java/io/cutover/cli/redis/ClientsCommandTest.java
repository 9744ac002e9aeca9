package io.cutover.cli.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.cutover.cli.redis.InventoryCliSupport.cutover;
import static org.assertj.core.api.Assertions.assertThat;

class ClientsCommandTest {

    @Test
    void listsTimesOutNamingWhoStaysAndReturnsZeroOnceDrained() throws Exception {
        try (LocalRedisServer server = InventoryCliSupport.managed()) {
            RedisClient client = InventoryCliSupport.client(server, 2);
            try {
                StatefulRedisConnection<String, String> stuck = client.connect();
                stuck.sync().clientSetname("batch-job-17");

                InventoryCliSupport.Run list = cutover("redis", "clients", "--uri", server.uri(), "--format", "json");
                assertThat(list.exit()).as(list.err()).isZero();
                JsonNode json = Json.mapper().readTree(list.out());
                assertThat(json.at("/clients").size()).isEqualTo(1);
                assertThat(json.at("/clients/0/name").asText()).isEqualTo("batch-job-17");
                assertThat(json.at("/groups/0/db").asInt()).isEqualTo(2);

                InventoryCliSupport.Run timeout = cutover("redis", "clients", "--uri", server.uri(), "--until-drained",
                        "--timeout", "600ms", "--interval", "100ms");
                assertThat(timeout.exit()).isEqualTo(1);
                assertThat(timeout.out()).contains("still connected after 600ms:").contains("batch-job-17");

                InventoryCliSupport.Run ignored = cutover("redis", "clients", "--uri", server.uri(), "--until-drained",
                        "--timeout", "5s", "--ignore", "batch-job-17");
                assertThat(ignored.exit()).isZero();

                CompletableFuture<InventoryCliSupport.Run> watch = CompletableFuture.supplyAsync(() -> cutover("redis",
                        "clients", "--uri", server.uri(), "--until-drained", "--timeout", "30s", "--interval", "100ms"));
                Thread.sleep(500);
                stuck.close();
                InventoryCliSupport.Run drained = watch.get(30, TimeUnit.SECONDS);
                assertThat(drained.exit()).as(drained.out() + drained.err()).isZero();
                assertThat(drained.out()).contains("1 other client connected: batch-job-17@").contains("drained");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void badDurationIsAUsageError() {
        InventoryCommandTest.assertOneLine(cutover("redis", "clients", "--uri", "redis://127.0.0.1:1", "--timeout", "forever"),
                2, "cutover: --timeout: not a duration: 'forever'");
    }
}

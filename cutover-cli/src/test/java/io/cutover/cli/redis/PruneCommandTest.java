package io.cutover.cli.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisServer;
import org.junit.jupiter.api.Test;

import static io.cutover.cli.redis.InventoryCliSupport.cutover;
import static org.assertj.core.api.Assertions.assertThat;

class PruneCommandTest {

    @Test
    void withoutYesAndWithoutATerminalItRefusesAndDeletesNothing() {
        try (LocalRedisServer server = InventoryCliSupport.managed()) {
            InventoryCliSupport.shared(server);
            InventoryCliSupport.Run run = cutover("redis", "prune", "--target", server.uri(), "--keep", "session:*");
            InventoryCommandTest.assertOneLine(run, 2, "cutover: prune: no terminal to confirm on; nothing deleted (add --yes");
            assertThat(InventoryCliSupport.keys(server, 0)).hasSize(51);
            assertThat(InventoryCliSupport.keys(server, 1)).hasSize(1);
        }
    }

    @Test
    void dryRunCountsThenYesPrunesToExactlyTheKeptKeys() throws Exception {
        try (LocalRedisServer server = InventoryCliSupport.managed()) {
            InventoryCliSupport.shared(server);
            InventoryCliSupport.Run dry = cutover("redis", "prune", "--target", server.uri(), "--keep", "session:*", "user:*",
                    "--dry-run");
            assertThat(dry.exit()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("dry run (nothing deleted)").contains("cache:").contains("would delete 21 keys");
            assertThat(InventoryCliSupport.keys(server, 0)).hasSize(51);

            InventoryCliSupport.Run run = cutover("redis", "prune", "--target", server.uri(), "--keep", "session:*", "user:*",
                    "--yes", "--batch", "4", "--format", "json");
            assertThat(run.exit()).as(run.err()).isZero();
            JsonNode json = Json.mapper().readTree(run.out());
            assertThat(json.at("/deleted").asLong()).isEqualTo(21);
            assertThat(json.at("/kept").asLong()).isEqualTo(31);
            assertThat(json.at("/command").asText()).isEqualTo("UNLINK");
            assertThat(InventoryCliSupport.keys(server, 0)).hasSize(31)
                    .allMatch(k -> k.startsWith("session:") || k.startsWith("user:"));
            assertThat(InventoryCliSupport.keys(server, 1)).isEmpty();
        }
    }

    @Test
    void keepAndDeleteTogetherOrNeitherIsAUsageError() {
        InventoryCommandTest.assertOneLine(cutover("redis", "prune", "--target", "redis://127.0.0.1:1", "--keep", "a*",
                "--delete", "b*"), 2, "cutover: prune: give exactly one of --keep GLOB... or --delete GLOB...");
        InventoryCommandTest.assertOneLine(cutover("redis", "prune", "--target", "redis://127.0.0.1:1"), 2,
                "cutover: prune: give exactly one of --keep GLOB... or --delete GLOB...");
        InventoryCommandTest.assertOneLine(cutover("redis", "prune", "--target", "redis://127.0.0.1:1", "--delete", "x[", "--yes"),
                2, "cutover: bad glob 'x['");
    }
}

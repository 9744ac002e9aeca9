package io.cutover.cli.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static io.cutover.cli.redis.InventoryCliSupport.cutover;
import static org.assertj.core.api.Assertions.assertThat;

@EnabledIf(value = "io.cutover.testkit.redis.RedisBinaries#hasRedis7", disabledReason = RedisBinaries.NO_REDIS7)
class InventoryCommandTest {
    private static LocalRedisServer server;

    @BeforeAll
    static void start() {
        server = InventoryCliSupport.managedWithPassword();
        InventoryCliSupport.shared(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String uri() {
        return "redis://:s3cret@127.0.0.1:" + server.port();
    }

    @Test
    void jsonOutputIsStable() throws Exception {
        InventoryCliSupport.Run run = cutover("redis", "inventory", "--source", uri(), "--include", "session:*", "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.at("/server/version").asText()).startsWith("7.");
        assertThat(json.at("/databases/0/db").asInt()).isZero();
        assertThat(json.at("/databases/0/keys").asLong()).isEqualTo(51);
        assertThat(json.at("/databases/1/keys").asLong()).isEqualTo(1);
        assertThat(json.at("/databases/0/prefixes").findValuesAsText("prefix")).containsExactlyInAnyOrder("session:", "cache:", "user:");
        assertThat(json.at("/databases/0/prefixes/0/bytes").asLong()).isPositive();
        assertThat(json.at("/selected/keys").asLong()).isEqualTo(30);
        assertThat(json.at("/selected/bytes").asLong()).isPositive();
        assertThat(run.out()).doesNotContain("s3cret");
    }

    @Test
    void tableOutputShowsPrefixesAndTheSelection() {
        InventoryCliSupport.Run run = cutover("redis", "inventory", "--source", uri() + "/0", "--include", "session:*",
                "--exclude", "session:1*");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("db 0: 51 keys").doesNotContain("db 1:").contains("session:")
                .contains("selected: keep session:*, drop session:1* → 19 keys");
    }

    @Test
    void aWrongPasswordIsAUsageErrorAndNeverPrinted() {
        InventoryCliSupport.Run run = cutover("redis", "inventory", "--source", "redis://:nope@127.0.0.1:" + server.port());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("cutover: source 127.0.0.1:" + server.port() + ": authentication failed")
                .doesNotContain("nope");
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badInputsGiveOneLineAndTheRightExitCode() {
        assertOneLine(cutover("redis", "inventory", "--source", "http://127.0.0.1:6379"), 2,
                "cutover: --source: bad Redis URI 'http://127.0.0.1:6379': the scheme must be redis:// or rediss://");
        assertOneLine(cutover("redis", "inventory", "--source", uri(), "--include", "session:["), 2,
                "cutover: bad glob 'session:[': unclosed '['");
        assertOneLine(cutover("redis", "inventory", "--source", uri(), "--bogus"), 2, "cutover: Unknown option: '--bogus'");
        assertOneLine(cutover("redis", "inventory", "--source", uri(), "--format", "xml"), 2,
                "cutover: --format: expected table or json, got 'xml'");
        assertOneLine(cutover("redis", "inventory", "--source", uri(), "--depth", "0"), 2,
                "cutover: --depth must be at least 1, got 0");
        int port = LocalRedisServer.freePort();
        assertOneLine(cutover("redis", "inventory", "--source", "redis://127.0.0.1:" + port), 3,
                "cutover: source 127.0.0.1:" + port + ": cannot connect (connection refused)");
    }

    static void assertOneLine(InventoryCliSupport.Run run, int exit, String startOfMessage) {
        assertThat(run.exit()).as(run.err()).isEqualTo(exit);
        assertThat(run.err()).startsWith(startOfMessage);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).doesNotContain("s3cret");
    }
}

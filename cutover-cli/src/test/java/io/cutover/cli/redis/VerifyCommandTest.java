package io.cutover.cli.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisServer;
import org.junit.jupiter.api.Test;

import static io.cutover.cli.redis.InventoryCliSupport.cutover;
import static org.assertj.core.api.Assertions.assertThat;

class VerifyCommandTest {

    @Test
    void exitZeroWhenIdenticalOneWithDifferencesThreeWhenUnreachable() throws Exception {
        try (LocalRedisServer a = InventoryCliSupport.managed(); LocalRedisServer b = InventoryCliSupport.managed()) {
            InventoryCliSupport.shared(a);
            InventoryCliSupport.shared(b);
            InventoryCliSupport.Run same = cutover("redis", "verify", "--source", a.uri(), "--target", b.uri());
            assertThat(same.exit()).as(same.err()).isZero();
            assertThat(same.out()).contains("52 source keys").contains("identical");

            InventoryCliSupport.with(b, 0, r -> {
                r.del("session:3");
                r.set("cache:1", "changed");
                r.set("session:new", "x");
            });
            InventoryCliSupport.Run diff = cutover("redis", "verify", "--source", a.uri(), "--target", b.uri(),
                    "--include", "session:*", "--max-diffs", "1");
            assertThat(diff.exit()).isEqualTo(1);
            assertThat(diff.out()).contains("2 differences: missing 1, extra 1").contains("(first 1 of 2)");

            InventoryCliSupport.Run json = cutover("redis", "verify", "--source", a.uri(), "--target", b.uri(), "--format", "json");
            assertThat(json.exit()).isEqualTo(1);
            JsonNode report = Json.mapper().readTree(json.out());
            assertThat(report.at("/identical").asBoolean()).isFalse();
            assertThat(report.at("/differences/missing").asLong()).isEqualTo(1);
            assertThat(report.at("/differences/extra").asLong()).isEqualTo(1);
            assertThat(report.at("/differences/value").asLong()).isEqualTo(1);
            assertThat(report.at("/first").findValuesAsText("key")).contains("session:3", "cache:1", "session:new");

            int port = LocalRedisServer.freePort();
            InventoryCommandTest.assertOneLine(cutover("redis", "verify", "--source", a.uri(), "--target",
                    "redis://127.0.0.1:" + port), 3, "cutover: target 127.0.0.1:" + port + ": cannot connect (connection refused)");
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        InventoryCommandTest.assertOneLine(cutover("redis", "verify", "--source", "redis://127.0.0.1:1", "--target",
                "redis://127.0.0.1:2", "--ttl-tolerance", "soon"), 2, "cutover: --ttl-tolerance: not a duration: 'soon'");
        InventoryCommandTest.assertOneLine(cutover("redis", "verify", "--source", "redis://127.0.0.1:1", "--target",
                "redis://127.0.0.1:2", "--db-map", "3-0"), 2, "cutover: --db-map: expected SRC:DST[:prefix=P], got '3-0'");
        InventoryCommandTest.assertOneLine(cutover("redis", "verify", "--source", "redis://127.0.0.1:1"), 2,
                "cutover: Missing required option: '--target=URI'");
    }
}

package io.cutover.redis.inventory;

import io.cutover.redis.select.KeyNames;
import io.cutover.core.output.Json;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.select.KeySelection;
import io.cutover.redis.testing.TestRedis;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KeyspaceInventoryTest {

    @ParameterizedTest
    @EnumSource(TestRedis.class)
    void countsBytesTypesTtlBucketsBiggestKeysAndSelection(TestRedis version) throws Exception {
        try (LocalRedisServer server = version.startManaged();
             RedisEndpoint endpoint = TestData.endpoint(server, -1, "source")) {
            TestData.shared(server);
            Inventory inv = new KeyspaceInventory(endpoint, InventoryOptions.defaults()
                    .withSelection(KeySelection.of(java.util.List.of("session:*"), null))).run();

            assertThat(inv.server().bytesSource()).isEqualTo(version == TestRedis.V2_8 ? "estimate" : "memory_usage");
            assertThat(inv.databases()).extracting(DbInventory::db).containsExactly(0, 1);
            DbInventory db0 = inv.databases().get(0);
            assertThat(db0.keys()).isEqualTo(171);
            Map<String, PrefixStats> p = new java.util.HashMap<>();
            db0.prefixes().forEach(s -> p.put(s.prefix(), s));
            assertThat(p).containsOnlyKeys("session:", "cache:", "user:");
            assertThat(p.get("session:").keys()).isEqualTo(100);
            assertThat(p.get("session:").types()).containsExactly(Map.entry("hash", 100L));
            assertThat(p.get("session:").ttl()).containsEntry("lt_1h", 100L).containsEntry("none", 0L);
            assertThat(p.get("cache:").ttl()).containsEntry("lt_1d", 50L);
            assertThat(p.get("user:").ttl()).containsEntry("none", 21L);
            assertThat(p.get("session:").bytes()).isPositive();
            assertThat(db0.bytes()).isEqualTo(db0.prefixes().stream().mapToLong(PrefixStats::bytes).sum());

            DbInventory db1 = inv.databases().get(1);
            assertThat(db1.keys()).isEqualTo(6);
            assertThat(db1.prefixes()).extracting(PrefixStats::prefix).containsExactlyInAnyOrder("jobs:", KeyNames.NO_PREFIX);
            PrefixStats jobs = db1.prefixes().stream().filter(s -> s.prefix().equals("jobs:")).findFirst().orElseThrow();
            assertThat(jobs.ttl()).containsEntry("lt_7d", 5L);
            assertThat(jobs.types()).containsExactly(Map.entry("list", 5L));
            PrefixStats board = db1.prefixes().stream().filter(s -> s.prefix().equals(KeyNames.NO_PREFIX)).findFirst().orElseThrow();
            assertThat(board.ttl()).containsEntry("longer", 1L);
            assertThat(board.types()).containsExactly(Map.entry("zset", 1L));

            assertThat(inv.biggest()).hasSize(10);
            assertThat(inv.biggest().get(0).key()).isEqualTo("user:big");
            assertThat(inv.biggest().get(0).bytes()).isGreaterThan(inv.biggest().get(1).bytes());
            assertThat(inv.selected().keys()).isEqualTo(100);
            assertThat(inv.selected().bytes()).isEqualTo(p.get("session:").bytes());
            if (version == TestRedis.V2_8) {
                // estimated from lengths and sampled elements: no value was read whole
                String[] stats = {""};
                TestData.with(server, 0, r -> stats[0] = r.info("commandstats"));
                assertThat(stats[0]).contains("cmdstat_hlen").doesNotContain("cmdstat_dump");
            }

            JsonNode json = Json.mapper().readTree(Json.write(inv));
            assertThat(json.at("/server/version").asText()).isEqualTo(endpoint.info().version());
            assertThat(json.at("/server/bytes_source").asText()).isEqualTo(inv.server().bytesSource());
            assertThat(json.at("/databases/0/db").asInt()).isEqualTo(0);
            assertThat(json.at("/databases/0/keys").asLong()).isEqualTo(171);
            assertThat(json.at("/databases/0/prefixes/0/prefix").asText()).isNotEmpty();
            assertThat(json.at("/databases/0/prefixes/0/keys").isNumber()).isTrue();
            assertThat(json.at("/databases/0/prefixes/0/bytes").isNumber()).isTrue();
            assertThat(json.at("/selected/keys").asLong()).isEqualTo(100);
            assertThat(json.at("/selected/bytes").asLong()).isEqualTo(inv.selected().bytes());

            assertThat(inv.table()).contains("db 0: 171 keys").contains("session:").contains("user:big")
                    .contains("selected: keep session:* → 100 keys");
        }
    }

    @Test
    void dbInUriLimitsTheScopeAndDepthGroupsDeeper() {
        try (LocalRedisServer server = TestRedis.V7.startManaged();
             RedisEndpoint endpoint = TestData.endpoint(server, 1, "source")) {
            TestData.shared(server);
            Inventory inv = new KeyspaceInventory(endpoint, new InventoryOptions(":", 2, KeySelection.all(), 3, 2)).run();
            assertThat(inv.databases()).extracting(DbInventory::db).containsExactly(1);
            assertThat(inv.databases().get(0).prefixes()).extracting(PrefixStats::prefix)
                    .containsExactlyInAnyOrder("jobs:queue:", KeyNames.NO_PREFIX);
            assertThat(inv.biggest()).hasSize(3);
            assertThat(inv.selected()).isNull();
        }
    }

    @Test
    void aServerRefusingMemoryUsageIsSizedByEstimates() {
        try (LocalRedisServer server = TestRedis.V7.startManaged("--rename-command", "MEMORY", "");
             RedisEndpoint endpoint = TestData.endpoint(server, 0, "source")) {
            TestData.with(server, 0, r -> r.set("k", "v".repeat(50)));
            Inventory inv = new KeyspaceInventory(endpoint, InventoryOptions.defaults()).run();
            assertThat(inv.server().bytesSource()).isEqualTo("estimate");
            assertThat(inv.bytes()).isEqualTo(1 + 50); // the key and its STRLEN
            assertThat(inv.table()).contains("sizes estimated from lengths and sampled elements");
        }
    }

    @Test
    void aHugeStringOn28IsSizedWithoutReadingIt() {
        try (LocalRedisServer server = TestRedis.V2_8.startManaged();
             RedisEndpoint endpoint = TestData.endpoint(server, 0, "source")) {
            TestData.with(server, 0, r -> {
                r.setrange("huge", (300L << 20) - 1, "x"); // 300 MB, grown server-side
                r.rpush("list", "aaaa", "bbbb", "cccc");
                r.hset("hash", "field", "value");
            });
            Inventory inv = new KeyspaceInventory(endpoint, InventoryOptions.defaults()).run();
            assertThat(inv.server().bytesSource()).isEqualTo("estimate");
            assertThat(inv.biggest().get(0).key()).isEqualTo("huge");
            assertThat(inv.biggest().get(0).bytes()).isEqualTo(4 + (300L << 20));
            assertThat(inv.biggest()).extracting(BigKey::key, BigKey::bytes)
                    .contains(org.assertj.core.groups.Tuple.tuple("list", 4L + 3 * 4), org.assertj.core.groups.Tuple.tuple("hash", 4L + 10));
            String[] stats = {""};
            TestData.with(server, 0, r -> stats[0] = r.info("commandstats"));
            assertThat(stats[0]).contains("cmdstat_strlen").doesNotContain("cmdstat_dump").doesNotContain("cmdstat_getrange");
        }
    }

    @Test
    void prefixesAndBinaryKeyNames() {
        byte[] colon = {':'};
        assertThat(KeyNames.prefix(b("user:42:cart"), colon, 1)).isEqualTo("user:");
        assertThat(KeyNames.prefix(b("user:42:cart"), colon, 2)).isEqualTo("user:42:");
        assertThat(KeyNames.prefix(b("user:42"), colon, 3)).isEqualTo("user:");
        assertThat(KeyNames.prefix(b("plain"), colon, 1)).isEqualTo(KeyNames.NO_PREFIX);
        assertThat(KeyNames.prefix(b("a::b"), b("::"), 1)).isEqualTo("a::");
        assertThat(KeyNames.display(new byte[] {'k', (byte) 0xff, 0})).isEqualTo("\"k\\xff\\x00\"");
        assertThat(KeyNames.display(b("sésame"))).isEqualTo("sésame");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

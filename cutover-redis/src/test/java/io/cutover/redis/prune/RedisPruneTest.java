package io.cutover.redis.prune;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.inventory.TestData;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisPruneTest {

    @ParameterizedTest
    @EnumSource(value = TestRedis.class, names = {"V2_8", "V7"})
    void keepsExactlyWhatMatchesInEveryDatabase(TestRedis version) {
        try (LocalRedisServer server = version.startManaged();
             RedisEndpoint target = TestData.endpoint(server, -1, "target")) {
            TestData.shared(server);
            TestData.with(server, 1, r -> r.set("session:in-db1", "x"));
            Set<String> db0Before = TestData.keys(server, 0);
            AtomicReference<String> asked = new AtomicReference<>();
            // a small batch so deletes span many multi-key commands
            PruneReport report = new RedisPrune(target, PruneOptions.of(PruneRule.keep("session:*")).batch(7),
                    q -> {
                        asked.set(q);
                        return true;
                    }, null).run();

            assertThat(asked.get()).contains("(db 0: 171 keys, db 1: 7 keys): keep session:*, delete every other key");
            assertThat(report.command()).isEqualTo(version == TestRedis.V2_8 ? "DEL" : "UNLINK");
            assertThat(report.dryRun()).isFalse();
            Set<String> expected0 = new TreeSet<>(db0Before.stream().filter(k -> k.startsWith("session:")).toList());
            assertThat(expected0).hasSize(100);
            assertThat(TestData.keys(server, 0)).isEqualTo(expected0);
            assertThat(TestData.keys(server, 1)).containsExactly("session:in-db1");
            assertThat(report.deleted()).isEqualTo(71 + 6);
            assertThat(report.kept()).isEqualTo(101);
            PruneReport.DbPrune db0 = report.databases().get(0);
            assertThat(db0.prefixes()).contains(new PruneReport.PrefixCount("session:", 0, 100),
                    new PruneReport.PrefixCount("cache:", 50, 0), new PruneReport.PrefixCount("user:", 21, 0));
        }
    }

    @Test
    void deleteRuleAndDbFromUri() {
        try (LocalRedisServer server = TestRedis.V7.startManaged();
             RedisEndpoint target = TestData.endpoint(server, 0, "target")) {
            TestData.shared(server);
            TestData.with(server, 1, r -> r.set("cache:db1", "x"));
            new RedisPrune(target, PruneOptions.of(PruneRule.delete("cache:*", "user:big")), Confirmation.yes(), null).run();
            assertThat(TestData.keys(server, 0)).hasSize(120).noneMatch(k -> k.startsWith("cache:") || k.equals("user:big"));
            assertThat(TestData.keys(server, 1)).contains("cache:db1"); // db 1 not in scope: the URI names db 0
        }
    }

    @Test
    void aServerRefusingUnlinkIsPrunedWithDel() {
        try (LocalRedisServer server = TestRedis.V7.startManaged("--rename-command", "UNLINK", "");
             RedisEndpoint target = TestData.endpoint(server, 0, "target")) {
            TestData.shared(server);
            PruneReport report = new RedisPrune(target, PruneOptions.of(PruneRule.keep("user:*")), Confirmation.yes(), null).run();
            assertThat(report.command()).isEqualTo("DEL");
            assertThat(TestData.keys(server, 0)).hasSize(21).allMatch(k -> k.startsWith("user:"));
        }
    }

    @Test
    void dryRunCountsPerPrefixAndDeletesNothing() {
        try (LocalRedisServer server = TestRedis.V7.startManaged();
             RedisEndpoint target = TestData.endpoint(server, -1, "target")) {
            TestData.shared(server);
            PruneReport report = new RedisPrune(target, PruneOptions.of(PruneRule.keep("session:*")).dryRun(true),
                    q -> {
                        throw new AssertionError("a dry run asks nothing");
                    }, null).run();
            assertThat(report.dryRun()).isTrue();
            assertThat(report.deleted()).isEqualTo(71 + 6);
            assertThat(report.databases().get(1).prefixes()).contains(new PruneReport.PrefixCount("jobs:", 5, 0));
            assertThat(report.table()).contains("dry run (nothing deleted)").contains("would delete");
            assertThat(TestData.keys(server, 0)).hasSize(171);
            assertThat(TestData.keys(server, 1)).hasSize(6);
        }
    }

    @Test
    void refusedConfirmationDeletesNothing() {
        try (LocalRedisServer server = TestRedis.V2_8.startManaged();
             RedisEndpoint target = TestData.endpoint(server, -1, "target")) {
            TestData.shared(server);
            assertThatThrownBy(() -> new RedisPrune(target, PruneOptions.of(PruneRule.keep("session:*")), q -> false, null).run())
                    .isInstanceOfSatisfying(CutoverException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).isEqualTo("prune: not confirmed; nothing deleted");
                    });
            assertThat(TestData.keys(server, 0)).hasSize(171);
        }
    }

    @Test
    void rulesNeedExactlyOneOfKeepAndDelete() {
        assertThatThrownBy(() -> PruneRule.of(java.util.List.of("a*"), java.util.List.of("b*")))
                .hasMessage("prune: give exactly one of --keep GLOB... or --delete GLOB...");
        assertThatThrownBy(() -> PruneRule.of(null, null)).isInstanceOf(CutoverException.class);
        assertThatThrownBy(() -> PruneRule.keep("session:[")).hasMessageContaining("bad glob 'session:['");
        PruneRule keep = PruneRule.keep("session:*", "user:?");
        assertThat(keep.deletes("session:1".getBytes())).isFalse();
        assertThat(keep.deletes("user:1".getBytes())).isFalse();
        assertThat(keep.deletes("user:12".getBytes())).isTrue();
        assertThat(PruneRule.delete("user:?").deletes("user:1".getBytes())).isTrue();
    }
}

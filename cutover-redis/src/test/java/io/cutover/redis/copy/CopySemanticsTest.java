package io.cutover.redis.copy;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.select.KeySelection;
import io.cutover.redis.testing.Keyspaces;
import io.cutover.redis.testing.TestRedis;
import io.cutover.testkit.redis.RedisBinaries;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.cutover.redis.copy.CopyAssertions.assertCopied;
import static io.cutover.redis.copy.CopyAssertions.endpoint;
import static io.cutover.redis.copy.CopyAssertions.read;
import static io.cutover.redis.testing.Keyspaces.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Selection, database merges, existing keys, dry runs: one Redis 7 source, targets of each version. */
@EnabledIf(value = "io.cutover.testkit.redis.RedisBinaries#hasRedis7", disabledReason = RedisBinaries.NO_REDIS7)
class CopySemanticsTest {
    private static LocalRedisServer src;
    private static RedisEndpoint source;

    @BeforeAll
    static void fillSource() {
        src = TestRedis.V7.startManaged();
        source = endpoint(src, "source");
        for (int db : new int[] {0, 1, 2}) {
            try (StatefulRedisConnection<byte[], byte[]> c = source.connect(db)) {
                RedisCommands<byte[], byte[]> s = c.sync();
                for (int i = 0; i < 40; i++) {
                    s.set(b("session:" + i), b("s" + db + "-" + i));
                    s.set(b("cache:" + i), b("c" + db + "-" + i));
                }
                s.hset(b("session:h"), Map.of(b("user"), b("u" + db)));
                s.pexpire(b("session:h"), 600_000);
                s.set(b("lock:session:0"), b("x")); // matches session:* only when not anchored
            }
        }
    }

    @AfterAll
    static void stop() {
        source.close();
        src.close();
    }

    @Test
    void includeAndExcludeSelectKeysAndCountTheRest() {
        try (LocalRedisServer dst = TestRedis.V7.startManaged(); RedisEndpoint target = endpoint(dst, "target")) {
            CopyOptions o = CopyOptions.defaults().withSelection(KeySelection.of(List.of("session:*"), List.of("session:h")));
            CopyReport r = new RedisCopy(endpoint(src.uri(1), "source"), target, o, Progress.silent()).run();

            assertThat(r.copied()).isEqualTo(40);
            assertThat(r.skippedFiltered()).isEqualTo(42); // 40 cache + session:h + lock:session:0
            Map<String, Keyspaces.Entry> expected = new TreeMap<>(read(source, 1));
            expected.keySet().removeIf(k -> !k.startsWith("session:") || k.equals("session:h"));
            assertCopied(expected, read(target, 1));
            assertThat(read(target, 0)).isEmpty();
        }
    }

    @Test
    void mergesDatabasesWithPrefixesIntoDbZero() {
        try (LocalRedisServer dst = TestRedis.V6_2.startManaged(); RedisEndpoint target = endpoint(dst, "target")) {
            CopyOptions o = CopyOptions.defaults()
                    .withDbMapping(DbMapping.parse(List.of("1:0:prefix=one:", "2:0:prefix=two:")));
            CopyReport r = new RedisCopy(source, target, o, Progress.silent()).run();

            assertThat(r.clean()).isTrue();
            assertThat(r.copied()).isEqualTo(3 * 82);
            Map<String, Keyspaces.Entry> expected = new TreeMap<>(read(source, 0));
            read(source, 1).forEach((k, v) -> expected.put("one:" + k, v));
            read(source, 2).forEach((k, v) -> expected.put("two:" + k, v));
            assertCopied(expected, read(target, 0));
        }
    }

    @Test
    void mergeWithoutPrefixListsCollidingKeysAndLeavesThem() {
        try (LocalRedisServer dst = TestRedis.V7.startManaged(); RedisEndpoint target = endpoint(dst, "target")) {
            CopyOptions o = CopyOptions.defaults().withDbMapping(DbMapping.parse(List.of("1:0")))
                    .withSelection(KeySelection.of(List.of("cache:1*"), List.of()));
            RedisEndpoint twoDbs = endpoint(src.uri(), "source");
            // only dbs 0 and 1 have a rule or keep their number; db 2 stays db 2
            CopyReport r = new RedisCopy(twoDbs, target, o, Progress.silent()).run();

            assertThat(r.copied()).isEqualTo(11 + 11); // db 0 → 0, db 2 → 2 (cache:1, cache:10..19)
            assertThat(r.skippedExisting()).isEqualTo(11); // db 1 → 0 collides with db 0's keys
            assertThat(r.existingKeys()).contains("cache:1", "cache:19");
            assertThat(r.clean()).isFalse();
            try (StatefulRedisConnection<byte[], byte[]> c = target.connect(0)) {
                assertThat(c.sync().get(b("cache:1"))).isEqualTo(b("c0-1")); // the lower database's key stays
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestRedis.class, names = {"V2_8", "V7"})
    void existingKeysAreListedUntouchedOrReplacedWithReplace(TestRedis version) {
        try (LocalRedisServer dst = version.startManaged(); RedisEndpoint target = endpoint(dst, "target")) {
            try (StatefulRedisConnection<byte[], byte[]> c = target.connect(0)) {
                c.sync().set(b("session:1"), b("theirs"));
                c.sync().sadd(b("session:h"), b("a-set-not-a-hash"));
            }
            CopyOptions o = CopyOptions.defaults().withSelection(KeySelection.of(List.of("session:*"), List.of()));
            RedisEndpoint db0 = endpoint(src.uri(0), "source");
            CopyReport first = new RedisCopy(db0, target, o, Progress.silent()).run();
            String mode = version == TestRedis.V7 ? "dump" : "struct";
            assertThat(first.mode()).isEqualTo(mode);
            assertThat(first.skippedExisting()).isEqualTo(2);
            assertThat(first.existingKeys()).containsExactlyInAnyOrder("session:1", "session:h");
            assertThat(first.copied()).isEqualTo(39);
            try (StatefulRedisConnection<byte[], byte[]> c = target.connect(0)) {
                assertThat(c.sync().get(b("session:1"))).isEqualTo(b("theirs"));
                assertThat(c.sync().type(b("session:h"))).isEqualTo("set");
            }

            // a rerun: what this job copied is found unchanged, the two others are still listed
            CopyReport rerun = new RedisCopy(db0, target, o, Progress.silent()).run();
            assertThat(rerun.copied()).isZero();
            assertThat(rerun.skippedExisting()).isEqualTo(2);
            assertThat(rerun.skippedUnchanged()).isEqualTo(39);

            CopyReport replaced = new RedisCopy(db0, target, o.withReplace(true), Progress.silent()).run();
            assertThat(replaced.copied()).isEqualTo(41);
            assertThat(replaced.clean()).isTrue();
            Map<String, Keyspaces.Entry> expected = new TreeMap<>(read(source, 0));
            expected.keySet().removeIf(k -> !k.startsWith("session:"));
            assertCopied(expected, read(target, 0));
        }
    }

    @Test
    void dryRunWritesNothingAndCountsWhatWouldHappen() {
        try (LocalRedisServer dst = TestRedis.V7.startManaged(); RedisEndpoint target = endpoint(dst, "target")) {
            try (StatefulRedisConnection<byte[], byte[]> c = target.connect(2)) {
                c.sync().set(b("cache:3"), b("theirs"));
            }
            CopyReport r = new RedisCopy(source, target, CopyOptions.defaults().withDryRun(true), Progress.silent()).run();
            assertThat(r.dryRun()).isTrue();
            assertThat(r.copied()).isEqualTo(3 * 82 - 1);
            assertThat(r.existingKeys()).containsExactly("cache:3");
            assertThat(read(target, 0)).isEmpty();
            assertThat(read(target, 1)).isEmpty();
            assertThat(read(target, 2)).hasSize(1);
        }
    }

    @Test
    void aTargetDatabaseThatDoesNotExistIsAUsageErrorBeforeAnythingIsWritten() {
        try (LocalRedisServer dst = TestRedis.V7.startManaged("--databases", "2");
             RedisEndpoint target = endpoint(dst, "target")) {
            assertThatThrownBy(() -> new RedisCopy(source, target, CopyOptions.defaults(), Progress.silent()).run())
                    .isInstanceOfSatisfying(CutoverException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).isEqualTo("target 127.0.0.1:" + dst.port()
                                + " has no database 2 (source database 2 goes there; use --db-map)");
                    });
            assertThat(read(target, 0)).isEmpty();
            assertThat(read(target, 1)).isEmpty();
        }
    }

    @Test
    void dumpModeToAnOlderTargetAndAnAmbiguousTargetDbAreRefusedUpFront() {
        try (LocalRedisServer dst = TestRedis.V6_2.startManaged(); RedisEndpoint target = endpoint(dst, "target")) {
            assertThatThrownBy(() -> new RedisCopy(source, target, CopyOptions.defaults().withMode(CopyMode.DUMP),
                    Progress.silent()).run())
                    .isInstanceOfSatisfying(CutoverException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).startsWith("--mode dump: the target (6.2.")
                                .endsWith("; use --mode auto or struct");
                    });
            RedisEndpoint targetDb5 = endpoint(dst.uri(5), "target");
            assertThatThrownBy(() -> new RedisCopy(source, targetDb5, CopyOptions.defaults(), Progress.silent()).run())
                    .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.getMessage()).isEqualTo(
                            "--target names database 5 but the source has databases [0, 1, 2]: say where each goes with --db-map SRC:DST"));
            assertThat(read(target, 0)).isEmpty();
            assertThat(read(target, 5)).isEmpty();

            // with one source database, the target URI's database receives it
            CopyReport r = new RedisCopy(endpoint(src.uri(2), "source"), targetDb5, CopyOptions.defaults(), Progress.silent()).run();
            assertThat(r.copied()).isEqualTo(82);
            assertThat(read(target, 5)).hasSize(82);
        }
    }
}

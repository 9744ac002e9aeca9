package io.cutover.redis.copy;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.select.KeySelection;
import io.cutover.redis.testing.Keyspaces;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.cutover.redis.copy.CopyAssertions.assertCopied;
import static io.cutover.redis.copy.CopyAssertions.endpoint;
import static io.cutover.redis.copy.CopyAssertions.read;
import static io.cutover.redis.testing.Keyspaces.b;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-batch copier as a live sync uses it: given keys, REPLACE where the target has it and DEL+RESTORE on 2.8, and
 * deletes on the target.
 */
class KeyBatchCopierTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"V2_8, V2_8", "V6_2, V7"})
    void copiesGivenKeysReplacesAndDeletes(TestRedis from, TestRedis to) {
        try (LocalRedisServer src = from.startManaged(); LocalRedisServer dst = to.startManaged();
             RedisEndpoint source = endpoint(src, "source"); RedisEndpoint target = endpoint(dst, "target")) {
            List<byte[]> keys = new ArrayList<>();
            try (StatefulRedisConnection<byte[], byte[]> c = source.connect(1)) {
                Keyspaces.fill(c.sync(), "k:", 20, false);
                c.sync().set(b("other"), b("not selected"));
                read(source, 1).keySet().forEach(k -> keys.add(k.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
            }
            keys.add(b("k:gone")); // vanished before we got to it
            try (StatefulRedisConnection<byte[], byte[]> c = target.connect(0)) {
                c.sync().set(b("p:k:string:0"), b("theirs"));
            }
            CopyOptions o = CopyOptions.defaults().withSelection(KeySelection.of(List.of("k:*"), List.of()));
            DbMapping toZero = DbMapping.parse(List.of("1:0:prefix=p:"));
            try (KeyBatchCopier copier = new KeyBatchCopier(source, target, o, toZero, new RateLimiter(0))) {
                Tally first = new Tally();
                copier.copySelected(1, keys.stream().filter(k -> o.selection().matches(k)).toList(), first);
                assertThat(first.copied).isEqualTo(99);
                assertThat(first.expired).isEqualTo(1);
                assertThat(first.existingKeys).containsExactly("p:k:string:0");
            }
            try (KeyBatchCopier copier = new KeyBatchCopier(source, target, o.withReplace(true), toZero,
                    new RateLimiter(0))) {
                BatchResult again = copier.copy(1, keys);
                assertThat(again.copied()).isEqualTo(100);
                assertThat(again.filtered()).isEqualTo(1);
                assertThat(again.existing()).isZero();
                Map<String, Keyspaces.Entry> expected = new TreeMap<>();
                read(source, 1).forEach((k, v) -> {
                    if (k.startsWith("k:")) {
                        expected.put("p:" + k, v);
                    }
                });
                assertCopied(expected, read(target, 0));

                assertThat(copier.delete(1, List.of(b("k:string:1"), b("k:hash:1"), b("k:nothing")))).isEqualTo(2);
                assertThat(read(target, 0)).doesNotContainKeys("p:k:string:1", "p:k:hash:1").hasSize(98);
            }
        }
    }
}

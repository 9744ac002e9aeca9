package io.cutover.redis.copy;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.Keyspaces;
import io.lettuce.core.api.StatefulRedisConnection;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Key-by-key comparison of source and target for the copy tests. */
final class CopyAssertions {
    private CopyAssertions() {
    }

    static RedisEndpoint endpoint(LocalRedisServer server, String role) {
        return new RedisEndpoint(RedisUri.parse(server.uri(), null, "--" + role), role);
    }

    static RedisEndpoint endpoint(String uri, String role) {
        return new RedisEndpoint(RedisUri.parse(uri, null, "--" + role), role);
    }

    static Map<String, Keyspaces.Entry> read(RedisEndpoint e, int db) {
        try (StatefulRedisConnection<byte[], byte[]> c = e.connect(db)) {
            return Keyspaces.read(c);
        }
    }

    /** The target db holds exactly the given source entries (renamed by {@code rename}), TTLs within a minute. */
    static void assertCopied(Map<String, Keyspaces.Entry> source, Map<String, Keyspaces.Entry> target,
                             UnaryOperator<String> rename) {
        Map<String, String> expected = new TreeMap<>();
        source.forEach((k, v) -> expected.put(rename.apply(k), v.type() + " " + v.value()));
        Map<String, String> actual = new TreeMap<>();
        target.forEach((k, v) -> actual.put(k, v.type() + " " + v.value()));
        assertThat(actual).isEqualTo(expected);
        source.forEach((k, v) -> {
            long got = target.get(rename.apply(k)).pttl();
            if (v.pttl() < 0) {
                assertThat(got).as("TTL of %s", k).isEqualTo(-1);
            } else {
                assertThat(got).as("TTL of %s", k).isBetween(v.pttl() - 60_000, v.pttl() + 1_000);
            }
        });
    }

    static void assertCopied(Map<String, Keyspaces.Entry> source, Map<String, Keyspaces.Entry> target) {
        assertCopied(source, target, UnaryOperator.identity());
    }
}

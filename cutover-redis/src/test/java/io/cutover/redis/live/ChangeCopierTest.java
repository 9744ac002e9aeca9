package io.cutover.redis.live;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeCopierTest {

    /**
     * A key whose last event said "changed" but which is gone when read (an expiry while the source's writes are
     * paused sends no "expired" event until the pause ends) loses its target copy at once.
     */
    @Test
    void aChangedKeyMissingOnTheSourceIsDeletedOnTheTargetWhileThePresentOnesAreCopied() {
        try (LocalRedisServer src = TestRedis.V7.start(); LocalRedisServer dst = TestRedis.V7.start();
             RedisEndpoint s = new RedisEndpoint(RedisUri.parse(src.uri(0), null, "--source"), "source");
             RedisEndpoint t = new RedisEndpoint(RedisUri.parse(dst.uri(0), null, "--target"), "target");
             RedisClient sc = RedisClient.create(src.uri(0)); StatefulRedisConnection<String, String> source = sc.connect();
             RedisClient tc = RedisClient.create(dst.uri(0)); StatefulRedisConnection<String, String> target = tc.connect()) {
            source.sync().set("kept", "new");
            target.sync().set("kept", "old");
            target.sync().set("vanished", "stale"); // copied earlier, no TTL; gone from the source since
            target.sync().set("untouched", "x");    // no change event: not this batch's business

            ChangeCopier.Outcome o;
            // a live copy always replaces
            try (ChangeCopier copier = new ChangeCopier(s, t, CopyOptions.defaults().withReplace(true), DbMapping.identity(),
                    List.of(0))) {
                o = copier.apply(0, List.of(change("kept"), change("vanished")));
            }

            assertThat(o.result().copied()).isEqualTo(1);
            assertThat(o.result().expired()).isEqualTo(1);
            assertThat(o.deleted()).isEqualTo(1);
            assertThat(target.sync().get("kept")).isEqualTo("new");
            assertThat(target.sync().exists("vanished")).isZero();
            assertThat(target.sync().get("untouched")).isEqualTo("x");
        }
    }

    private static ChangedKeys.Change change(String key) {
        return new ChangedKeys.Change(0, key.getBytes(StandardCharsets.UTF_8), 0, false);
    }
}

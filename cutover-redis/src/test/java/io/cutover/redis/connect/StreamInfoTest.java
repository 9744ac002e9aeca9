package io.cutover.redis.connect;

import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** XINFO replies as 6.2 and 7.x really send them, and replies missing what a version lacks. */
class StreamInfoTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(value = TestRedis.class, names = {"V6_2", "V7"})
    void parsesWhatEachVersionReports(TestRedis version) {
        try (LocalRedisServer server = version.startManaged();
             RedisEndpoint e = new RedisEndpoint(RedisUri.parse(server.uri(), null, "--source"), "source");
             StatefulRedisConnection<byte[], byte[]> c = e.connect(0)) {
            RedisCommands<byte[], byte[]> r = c.sync();
            boolean seven = e.info().atLeast(7, 0);
            r.xadd(b("s"), new XAddArgs().id("3-1"), Map.of(b("f"), b("v")));
            r.xadd(b("s"), new XAddArgs().id("3-2"), Map.of(b("f"), b("v")));
            r.xdel(b("s"), "3-2");
            byte[] binary = {'g', 0, (byte) 0xff};
            r.xgroupCreate(XReadArgs.StreamOffset.from(b("s"), "3-1"), binary, new XGroupCreateArgs());
            r.xgroupCreateconsumer(b("s"), io.lettuce.core.Consumer.from(binary, b("idle")));

            StreamInfo.Stream s = StreamInfo.stream(r.xinfoStream(b("s")));
            assertThat(s.lastGeneratedId()).isEqualTo("3-2");
            assertThat(s.entriesAdded()).isEqualTo(seven ? 2L : null);
            assertThat(s.maxDeletedEntryId()).isEqualTo(seven ? "3-2" : null);

            List<StreamInfo.Group> groups = StreamInfo.groups(r.xinfoGroups(b("s")));
            assertThat(groups).hasSize(1);
            assertThat(groups.get(0).name()).isEqualTo(binary);
            assertThat(groups.get(0).lastDeliveredId()).isEqualTo("3-1");
            assertThat(groups.get(0).pending()).isZero();
            assertThat(groups.get(0).entriesRead()).isNull(); // 6.2: no such field; 7.x: unknown after a create at an id

            List<StreamInfo.Consumer> consumers = StreamInfo.consumers(r.xinfoConsumers(b("s"), binary));
            assertThat(consumers).extracting(x -> new String(x.name(), StandardCharsets.UTF_8)).containsExactly("idle");
        }
    }

    @Test
    void missingOddAndUnparsableFieldsGiveNulls() {
        StreamInfo.Stream empty = StreamInfo.stream(List.of());
        assertThat(empty).isEqualTo(new StreamInfo.Stream(null, null, null));
        // a trailing name without value is ignored; a non-number where a number belongs is unknown
        StreamInfo.Stream odd = StreamInfo.stream(Arrays.asList(b("entries-added"), b("many"), b("last-generated-id"), b("1-1"),
                b("max-deleted-entry-id")));
        assertThat(odd).isEqualTo(new StreamInfo.Stream("1-1", null, null));
        List<StreamInfo.Group> groups = StreamInfo.groups(List.of(Arrays.asList(b("name"), b("g"), b("pending"), null,
                b("entries-read"), null)));
        assertThat(groups.get(0).pending()).isZero();
        assertThat(groups.get(0).lastDeliveredId()).isNull();
        assertThat(groups.get(0).entriesRead()).isNull();
        assertThat(StreamInfo.groups(List.of())).isEmpty();
    }

    @Test
    void nextIdIsTheSmallestIdAfterItWithUnsignedParts() {
        assertThat(StreamInfo.nextId("5-3")).isEqualTo("5-4");
        assertThat(StreamInfo.nextId("5-18446744073709551615")).isEqualTo("6-0");
        assertThat(StreamInfo.nextId("9223372036854775808-9223372036854775807")).isEqualTo("9223372036854775808-9223372036854775808");
    }
}

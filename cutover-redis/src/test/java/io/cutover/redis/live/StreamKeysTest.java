package io.cutover.redis.live;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bounded set of stream keys a live copy follows from keyspace events. */
class StreamKeysTest {

    @Test
    void streamEventsAddKeysAndRemovingEventsTakeThemAway() {
        StreamKeys s = new StreamKeys(10);
        s.found(0, b("seeded"));
        s.event(0, b("orders"), "xadd", false);
        s.event(0, b("orders"), "xgroup-create", false); // a second event of a known key adds nothing
        s.event(1, b("orders"), "xgroup-create", false); // same name, other database
        s.event(0, b("plain"), "set", false);
        s.event(0, b("plain"), "expire", false);
        assertThat(names(s.streams())).isEqualTo(Map.of(0, List.of("orders", "seeded"), 1, List.of("orders")));

        s.event(0, b("seeded"), "del", true);
        s.event(1, b("orders"), "expired", true);
        s.event(0, b("never-seen"), "evicted", true);
        assertThat(names(s.streams())).isEqualTo(Map.of(0, List.of("orders")));
        assertThat(s.size()).isEqualTo(1);
        assertThat(s.incompleteBecause()).isNull();
    }

    @Test
    void aRenamedOrRestoredKeyIsOnlyAMaybeUntilAStreamEventOrADeleteSettlesIt() {
        StreamKeys s = new StreamKeys(10);
        s.event(0, b("orders"), "xadd", false);
        s.event(0, b("orders"), "rename_from", true);
        s.event(0, b("orders:old"), "rename_to", false);
        s.event(0, b("copied"), "copy_to", false);
        s.event(0, b("restored"), "restore", false);
        assertThat(names(s.streams())).isEmpty();
        assertThat(names(s.maybeStreams())).isEqualTo(Map.of(0, List.of("copied", "orders:old", "restored")));

        s.event(0, b("copied"), "xack-never-sent-but-x", false); // any x… event names a stream
        s.event(0, b("restored"), "del", true);
        assertThat(names(s.streams())).isEqualTo(Map.of(0, List.of("copied")));
        assertThat(names(s.maybeStreams())).isEqualTo(Map.of(0, List.of("orders:old")));
        s.event(0, b("copied"), "rename_to", false); // already known as a stream: stays one
        assertThat(names(s.streams())).isEqualTo(Map.of(0, List.of("copied")));
    }

    @Test
    void pastTheBoundTheSetIsIncompleteAndForgetsWhatItHeld() {
        StreamKeys s = new StreamKeys(2);
        s.event(0, b("a"), "xadd", false);
        s.found(0, b("b"));
        s.event(0, b("a"), "xtrim", false); // already held: not a third key
        assertThat(s.incompleteBecause()).isNull();
        s.event(0, b("c"), "xadd", false);
        assertThat(s.incompleteBecause()).isEqualTo("more than 2 stream keys");
        assertThat(s.streams()).isEmpty();
        s.event(0, b("d"), "xadd", false); // stays incomplete: the switch scans instead
        s.event(0, b("a"), "del", true);
        assertThat(s.size()).isZero();
        assertThat(s.incompleteBecause()).isEqualTo("more than 2 stream keys");
    }

    @Test
    void lostEventsMakeTheSetIncompleteAndTheFirstReasonStays() {
        StreamKeys s = new StreamKeys(5);
        s.found(0, b("a"));
        s.markIncomplete("keyspace events were lost");
        s.markIncomplete("more than 5 stream keys");
        assertThat(s.incompleteBecause()).isEqualTo("keyspace events were lost");
        assertThat(s.streams()).isEmpty();
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> new StreamKeys(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<Integer, List<String>> names(Map<Integer, List<byte[]>> byDb) {
        Map<Integer, List<String>> out = new java.util.TreeMap<>();
        byDb.forEach((db, keys) -> out.put(db, keys.stream().map(k -> new String(k, StandardCharsets.UTF_8)).sorted().toList()));
        return out;
    }
}

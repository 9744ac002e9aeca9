package io.cutover.redis.live;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The source's stream keys a live copy knows of, bounded: seeded by a scan and kept current from keyspace events.
 * Consumer groups move (XREADGROUP, XACK, XCLAIM) without any event, so a switch copies these keys again while writes
 * are paused. Past the bound, or when events may have been missed, the set is incomplete and the caller scans for
 * streams instead ({@link #incompleteBecause()}).
 */
public final class StreamKeys {
    /** Default bound: about 20 MB of heap for typical key names. */
    public static final int DEFAULT_LIMIT = 100_000;
    /** Events after which a key may hold a stream although the event's name does not say so. */
    private static final Set<String> MAYBE_STREAM = Set.of("rename_to", "restore", "copy_to", "move_to");

    private final int limit;
    private final Set<KeyRef> streams = new HashSet<>();
    private final Set<KeyRef> maybe = new HashSet<>();
    private String incomplete;

    /** A set holding at most {@code limit} keys (streams and keys that may be streams together). */
    public StreamKeys(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
    }

    /** Records a stream key found by a scan. */
    public synchronized void found(int db, byte[] key) {
        KeyRef ref = new KeyRef(db, ByteBuffer.wrap(key.clone()));
        maybe.remove(ref);
        hold(streams, ref);
    }

    /**
     * Applies a keyspace event: stream events (their names start with "x") add the key, events that remove a key
     * ({@code gone}) remove it, and events that can bring a stream under a new name (rename_to, restore, copy_to,
     * move_to) add it as a key to check with TYPE.
     */
    public synchronized void event(int db, byte[] key, String event, boolean gone) {
        KeyRef ref = new KeyRef(db, ByteBuffer.wrap(key.clone()));
        if (gone) {
            streams.remove(ref);
            maybe.remove(ref);
        } else if (event.startsWith("x")) {
            maybe.remove(ref);
            hold(streams, ref);
        } else if (MAYBE_STREAM.contains(event) && !streams.contains(ref)) {
            hold(maybe, ref);
        }
    }

    private void hold(Set<KeyRef> into, KeyRef ref) {
        if (incomplete != null || into.contains(ref)) {
            return;
        }
        if (streams.size() + maybe.size() >= limit) {
            markIncomplete("more than " + limit + " stream keys");
            return;
        }
        into.add(ref);
    }

    /** From now on the set is not trusted (events were missed, or the bound was reached); it is emptied. */
    public synchronized void markIncomplete(String why) {
        if (incomplete == null) {
            incomplete = why;
            streams.clear();
            maybe.clear();
        }
    }

    /** Why the set can't be trusted, or null when it holds every stream key of the selection. */
    public synchronized String incompleteBecause() {
        return incomplete;
    }

    /** The known stream keys by source database (empty when incomplete). */
    public synchronized Map<Integer, List<byte[]>> streams() {
        return byDb(streams);
    }

    /** Keys that may hold a stream (renamed, restored, copied or moved to): to be checked with TYPE. */
    public synchronized Map<Integer, List<byte[]>> maybeStreams() {
        return byDb(maybe);
    }

    public synchronized int size() {
        return streams.size() + maybe.size();
    }

    private static Map<Integer, List<byte[]>> byDb(Set<KeyRef> keys) {
        Map<Integer, List<byte[]>> out = new TreeMap<>();
        for (KeyRef k : keys) {
            out.computeIfAbsent(k.db, d -> new ArrayList<>()).add(k.bytes());
        }
        return out;
    }

    /** A key name with its database; equality on content. */
    private record KeyRef(int db, ByteBuffer key) {
        byte[] bytes() {
            byte[] b = new byte[key.remaining()];
            key.duplicate().get(b);
            return b;
        }
    }
}

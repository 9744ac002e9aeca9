package io.cutover.redis.switchover;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.copy.BatchResult;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.KeyBatchCopier;
import io.cutover.redis.live.KeyspaceEvents;
import io.cutover.redis.select.DbMapping;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * Watches the source's keyspace events from the moment the live copy no longer follows them (the switch point) until
 * the clients have drained: every key written on the old instance after that is a write the target may not have.
 * Holds at most {@link #LIMIT} distinct keys (the rest are counted). Its subscriptions carry a client name of their
 * own, so the drain watch and the client kill leave them alone.
 */
final class LateWrites implements AutoCloseable {
    static final int LIMIT = 10_000;
    /** Not writes by a client: the server expiring or evicting a key on its own. */
    private static final Set<String> NOT_WRITES = Set.of("expired", "evicted");

    private record Key(int db, ByteBuffer key) {
    }

    private final String clientName = "cutover-late-writes-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<Key, String> seen = new LinkedHashMap<>();
    private long notListed;
    private volatile boolean armed;
    private KeyspaceEvents events;

    private LateWrites() {
    }

    /** Subscribes to the events of {@code dbs} (keys the selection keeps); nothing is recorded until armed. */
    static LateWrites subscribe(RedisEndpoint source, List<Integer> dbs, io.cutover.redis.select.KeySelection selection) {
        LateWrites w = new LateWrites();
        w.events = KeyspaceEvents.subscribe(source, dbs, selection, w::changed, w.clientName);
        return w;
    }

    /** The client name its connections show in CLIENT LIST. */
    String clientName() {
        return clientName;
    }

    /** Starts recording once every event published so far has arrived (the source must answer SUBSCRIBE). */
    void armAfterBarrier() {
        events.barrier();
        armed = true;
    }

    /** A latch released when a message on {@code channel} arrives (see {@link KeyspaceEvents#expectMarker}). */
    CountDownLatch expectMarker(String channel) {
        return events.expectMarker(channel);
    }

    /** Starts recording now (after a marker proved every earlier event has arrived). */
    void arm() {
        armed = true;
    }

    private boolean changed(int db, byte[] key, String event, boolean gone, long nowNanos) {
        if (!armed || NOT_WRITES.contains(event)) {
            return true;
        }
        synchronized (seen) {
            Key k = new Key(db, ByteBuffer.wrap(key));
            if (seen.containsKey(k) || seen.size() < LIMIT) {
                seen.put(k, event);
            } else {
                notListed++;
            }
        }
        return true;
    }

    /**
     * Stops recording (after a last barrier) and deals with each key: copied when the target has no such key,
     * left alone when it holds another value (or the key is gone on the source). Returns what happened to each.
     */
    Result resolve(RedisEndpoint source, RedisEndpoint target, CopyOptions copyOptions, DbMapping mapping) {
        try {
            events.barrier();
        } catch (RuntimeException e) {
            // the subscription dropped: what arrived is what we can report
        }
        armed = false;
        Map<Key, String> keys;
        long more;
        synchronized (seen) {
            keys = new LinkedHashMap<>(seen);
            more = notListed;
        }
        List<LateWrite> out = new ArrayList<>(keys.size());
        if (!keys.isEmpty()) {
            try (KeyBatchCopier copier = new KeyBatchCopier(source, target,
                    copyOptions.withReplace(false).withDryRun(false).withDbMapping(mapping))) {
                for (Map.Entry<Key, String> e : keys.entrySet()) {
                    byte[] key = new byte[e.getKey().key().remaining()];
                    e.getKey().key().duplicate().get(key);
                    BatchResult r = copier.copy(e.getKey().db(), List.of(key));
                    out.add(new LateWrite(e.getKey().db(), key, e.getValue(), outcome(r),
                            r.failures().isEmpty() ? "" : r.failures().get(0).reason()));
                }
            }
        }
        return new Result(List.copyOf(out), more);
    }

    private static LateWrite.Outcome outcome(BatchResult r) {
        if (r.copied() > 0) {
            return LateWrite.Outcome.COPIED;
        }
        if (r.unchanged() > 0) {
            return LateWrite.Outcome.SAME;
        }
        if (r.existing() > 0) {
            return LateWrite.Outcome.TARGET_DIFFERS;
        }
        if (r.expired() > 0) {
            return LateWrite.Outcome.GONE_ON_SOURCE;
        }
        return LateWrite.Outcome.FAILED;
    }

    /** The keys written late, and how many more were seen than listed. */
    record Result(List<LateWrite> keys, long notListed) {
        static final Result NONE = new Result(List.of(), 0);
    }

    @Override
    public void close() {
        if (events != null) {
            events.close();
        }
    }
}

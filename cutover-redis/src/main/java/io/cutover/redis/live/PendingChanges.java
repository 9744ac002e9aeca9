package io.cutover.redis.live;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The changed keys a live copy still has to apply, in one {@link ChangedKeys} per drain worker: a key always goes to
 * the same worker, so two copies of one key never race. Every applied batch is signalled, so whoever waits for the
 * copy to catch up wakes when it may have.
 */
final class PendingChanges {
    private final ChangedKeys[] shards;
    private final Signal applied = new Signal();
    private final AtomicLong batchesApplied = new AtomicLong();

    /** {@code workers} sets sharing a bound of {@code capacity} keys. */
    PendingChanges(int workers, int capacity) {
        shards = new ChangedKeys[workers];
        for (int i = 0; i < workers; i++) {
            shards[i] = new ChangedKeys(Math.max(1, capacity / workers));
        }
    }

    int workers() {
        return shards.length;
    }

    /** Records a change from a keyspace event; false when its set is full (the database then needs a rescan). */
    boolean add(int db, byte[] key, boolean gone, long nowNanos) {
        return shard(key).add(db, key, gone, nowNanos);
    }

    /** Records a change found by a rescan, waiting for room; false if {@code stop} says to give up. */
    boolean put(int db, byte[] key, boolean gone, long nowNanos, BooleanSupplier stop) throws InterruptedException {
        return shard(key).put(db, key, gone, nowNanos, stop);
    }

    /** Worker {@code worker}'s next batch, waiting up to {@code timeoutNanos}; empty when none came. */
    List<ChangedKeys.Change> take(int worker, int max, long timeoutNanos) throws InterruptedException {
        return shards[worker].take(max, timeoutNanos);
    }

    /** Worker {@code worker} applied the batch it took. */
    void done(int worker) {
        shards[worker].done();
        batchesApplied.incrementAndGet();
        applied.signal();
    }

    /** Batches applied so far: a change in it means the copy was busy in between. */
    long batchesApplied() {
        return batchesApplied.get();
    }

    /** Wakes waiting workers and waiters on {@link #changes()}, e.g. when the copy is ending. */
    void wakeAll() {
        for (ChangedKeys s : shards) {
            s.wake();
        }
        applied.signal();
    }

    /** Signalled when a batch was applied or {@link #wakeAll()} was called. */
    Signal changes() {
        return applied;
    }

    /** Forgets every pending change of {@code db}, which a rescan is about to cover. */
    void clear(int db) {
        for (ChangedKeys s : shards) {
            s.clear(db);
        }
    }

    /** Databases whose changes overflowed a set. */
    Set<Integer> overflowed() {
        Set<Integer> out = new TreeSet<>();
        for (ChangedKeys s : shards) {
            out.addAll(s.overflowed());
        }
        return out;
    }

    int size() {
        int n = 0;
        for (ChangedKeys s : shards) {
            n += s.size();
        }
        return n;
    }

    /** When the oldest pending change was seen (System.nanoTime), if any is pending. */
    OptionalLong oldestNanos() {
        return Arrays.stream(shards).mapToLong(ChangedKeys::oldestNanos).filter(t -> t >= 0).min();
    }

    /**
     * True when every change recorded so far has been applied. Each set is checked under its own lock; a key only
     * ever moves within its set, so checking them one after another is sound once no new change arrives.
     */
    boolean settled() {
        for (ChangedKeys s : shards) {
            if (!s.settled()) {
                return false;
            }
        }
        return true;
    }

    private ChangedKeys shard(byte[] key) {
        return shards[(Arrays.hashCode(key) & 0x7fffffff) % shards.length];
    }
}

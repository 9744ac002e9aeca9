package io.cutover.redis.live;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keys changed on the source and not yet copied again: de-duplicated, oldest change first, bounded. A key changed
 * many times while pending is copied once; the latest event says whether it is gone (deleted, expired, evicted,
 * renamed away). When the bound is reached the set does not drop keys silently: it remembers which databases
 * overflowed so the caller rescans them.
 */
public final class ChangedKeys {
    private final int capacity;
    private final LinkedHashMap<KeyRef, Pending> pending = new LinkedHashMap<>();
    private final Set<Integer> overflowed = new TreeSet<>();
    private int takers;
    private long wakeups;
    private int inFlight;

    /** A set holding at most {@code capacity} keys. */
    public ChangedKeys(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * A changed key of one source database, when we first learned of the change (System.nanoTime), and whether
     * the latest event removed it.
     */
    public record Change(int db, byte[] key, long firstSeenNanos, boolean gone) {
    }

    private static final class Pending {
        final long firstSeen;
        boolean gone;

        Pending(long firstSeen, boolean gone) {
            this.firstSeen = firstSeen;
            this.gone = gone;
        }
    }

    /** Records a change; returns false when the set is full (the database is then marked for a rescan). */
    public synchronized boolean add(int db, byte[] key, boolean gone, long nowNanos) {
        if (overflowed.contains(db)) {
            return false; // the rescan will see this key anyway
        }
        KeyRef ref = new KeyRef(db, ByteBuffer.wrap(key));
        Pending p = pending.get(ref);
        if (p != null) {
            p.gone = gone; // keeps its first-change time: lag is measured from the oldest unsynced change
            return true;
        }
        if (pending.size() >= capacity) {
            overflowed.add(db);
            return false;
        }
        pending.put(ref, new Pending(nowNanos, gone));
        if (takers > 0) {
            notifyAll();
        }
        return true;
    }

    /** Records a change found by a rescan, waiting for room while the set is full; false if {@code stop} says so. */
    public synchronized boolean put(int db, byte[] key, boolean gone, long nowNanos, BooleanSupplier stop)
            throws InterruptedException {
        KeyRef ref = new KeyRef(db, ByteBuffer.wrap(key));
        while (pending.size() >= capacity && !pending.containsKey(ref)) {
            if (stop.getAsBoolean()) {
                return false;
            }
            wait(10);
        }
        Pending p = pending.get(ref);
        if (p != null) {
            p.gone = gone;
        } else {
            pending.put(ref, new Pending(nowNanos, gone));
            notifyAll(); // a taker may be waiting
        }
        return true;
    }

    /**
     * Takes up to {@code max} of the oldest changes, all from the database of the oldest one, waiting up to {@code timeoutNanos}
     * for one to arrive (or for {@link #wake()}); empty when none came. Each batch taken counts as in flight until
     * {@link #done()}.
     */
    public synchronized List<Change> take(int max, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        long seen = wakeups;
        takers++;
        try {
            long left = timeoutNanos;
            while (pending.isEmpty() && left > 0 && wakeups == seen) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
                left = deadline - System.nanoTime();
            }
        } finally {
            takers--;
        }
        List<Change> batch = take(max);
        if (!batch.isEmpty()) {
            inFlight++;
        }
        return batch;
    }

    /** A batch from {@link #take(int, long)} has been applied. */
    public synchronized void done() {
        inFlight--;
    }

    /** Wakes the takers waiting in {@link #take(int, long)}, e.g. to see that the copy is ending. */
    public synchronized void wake() {
        wakeups++;
        notifyAll();
    }

    /**
     * True when nothing is pending, no batch is in flight and nothing overflowed: every change recorded so far has
     * been applied. Checked under one lock, so a batch being taken is never between the two counts.
     */
    public synchronized boolean settled() {
        return pending.isEmpty() && inFlight == 0 && overflowed.isEmpty();
    }

    /** Takes up to {@code max} of the oldest changes, all from the database of the oldest one. */
    private List<Change> take(int max) {
        List<Change> out = new ArrayList<>(Math.min(max, pending.size()));
        Iterator<Map.Entry<KeyRef, Pending>> it = pending.entrySet().iterator();
        int db = -1;
        while (it.hasNext() && out.size() < max) {
            Map.Entry<KeyRef, Pending> e = it.next();
            if (db < 0) {
                db = e.getKey().db;
            } else if (e.getKey().db != db) {
                continue;
            }
            out.add(new Change(db, e.getKey().bytes(), e.getValue().firstSeen, e.getValue().gone));
            it.remove();
        }
        if (!out.isEmpty()) {
            notifyAll(); // room for a rescan waiting in put()
        }
        return out;
    }

    /** Every key held, grouped by database, without removing them. */
    public synchronized Map<Integer, List<byte[]>> peekAll() {
        Map<Integer, List<byte[]>> out = new TreeMap<>();
        for (KeyRef k : pending.keySet()) {
            out.computeIfAbsent(k.db, d -> new ArrayList<>()).add(k.bytes());
        }
        return out;
    }

    /** Forgets the pending changes of {@code db} (a rescan of it is about to start) and clears its overflow mark. */
    public synchronized void clear(int db) {
        pending.keySet().removeIf(k -> k.db == db);
        overflowed.remove(db);
        notifyAll();
    }

    /** Databases that overflowed since the last {@link #clear(int)} of each. */
    public synchronized Set<Integer> overflowed() {
        return Set.copyOf(overflowed);
    }

    public synchronized int size() {
        return pending.size();
    }

    /** When the oldest pending change was seen, or -1 when nothing is pending. */
    public synchronized long oldestNanos() {
        return pending.isEmpty() ? -1 : pending.values().iterator().next().firstSeen;
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

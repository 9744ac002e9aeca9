package io.cutover.router.lists;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A named set of ids that routes test against. It holds the last good load; a list never loaded
 * matches nothing, so routes that depend on it fall to the default backend.
 */
public final class Allowlist {
    private final String name;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final long createdNanos = System.nanoTime();
    private volatile long lastGoodNanos;

    /** One loaded version of the list; {@code version} is the ETag or content hash it came with. */
    public record Snapshot(Set<String> ids, String version, Instant loadedAt) {
    }

    public Allowlist(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** True when the list is loaded and holds {@code id}. */
    public boolean contains(String id) {
        Snapshot s = current.get();
        return s != null && s.ids().contains(id);
    }

    /** The current snapshot, or null when the list was never loaded. */
    public Snapshot snapshot() {
        return current.get();
    }

    /** Number of ids, 0 when never loaded. */
    public int size() {
        Snapshot s = current.get();
        return s == null ? 0 : s.ids().size();
    }

    /**
     * Seconds since the source last confirmed the list (a load or a "not modified"); since the router
     * started when it never did. This is what a staleness alert watches.
     */
    public double ageSeconds() {
        long since = lastGoodNanos == 0 ? createdNanos : lastGoodNanos;
        return (System.nanoTime() - since) / 1e9;
    }

    void replace(Snapshot snapshot) {
        current.set(snapshot);
        confirmed();
    }

    void confirmed() {
        lastGoodNanos = System.nanoTime();
    }
}

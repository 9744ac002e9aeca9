package io.cutover.sql.migrate;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Source key → target key of the rows a run has just written, for steps that children reference, so that
 * children translate refs without asking the log again. Bounded: past {@code limit} entries it stops caching
 * and look-ups fall back to the log. A step's map is complete when its log was empty at the start of the run
 * and nothing was dropped: then a key missing from it is missing from the log too. Verify fills one from the
 * log entries it reads, so children's refs are translated without asking the log again.
 */
public final class RunCache {
    private final long limit;
    private final AtomicLong size = new AtomicLong();
    private final Map<String, Map<String, String>> maps = new ConcurrentHashMap<>();
    private final Map<String, Boolean> complete = new ConcurrentHashMap<>();
    private final Set<String> installed = ConcurrentHashMap.newKeySet();

    public RunCache(long limit) {
        this.limit = limit;
    }

    /** Starts caching {@code step}; {@code fresh} when its log had no entries. */
    public void open(String step, boolean fresh) {
        maps.put(step, new ConcurrentHashMap<>());
        complete.put(step, fresh);
    }

    public void put(String step, String sourceKey, String targetKey) {
        Map<String, String> m = maps.get(step);
        if (m == null || installed.contains(step)) {
            return; // not cached, or holding its whole log already (read-only)
        }
        if (size.incrementAndGet() > limit) {
            complete.put(step, false);
            return;
        }
        m.put(sourceKey, targetKey);
    }

    /**
     * Caches {@code step}'s whole migration log, read in one pass: complete, so children translate refs through it
     * without asking the log again, and not counted against the limit (its reader bounded it already).
     */
    public void install(String step, Map<String, String> log) {
        installed.add(step);
        maps.put(step, log);
        complete.put(step, true);
    }

    /** Whether {@code step} is being cached (some step refers to it). */
    public boolean caching(String step) {
        return maps.containsKey(step);
    }

    /** The cached map of {@code step}, or null. */
    Map<String, String> map(String step) {
        return maps.get(step);
    }

    /** The cached map of {@code step} when it holds every entry its log has, else null. */
    Map<String, String> whole(String step) {
        return complete(step) ? maps.get(step) : null;
    }

    boolean complete(String step) {
        return Boolean.TRUE.equals(complete.get(step));
    }
}

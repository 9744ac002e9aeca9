package io.cutover.sql.migrate;

import io.cutover.sql.state.IntegerKeyMap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Source key → target key of the rows a run has just written, for steps that children reference, so that
 * children translate refs without asking the log again. Bounded: past {@code limit} entries it stops caching
 * and look-ups fall back to the log. A step's map is complete when its log was empty at the start of the run
 * and nothing was dropped: then a key missing from it is missing from the log too. Verify fills one from the
 * log entries it reads, so children's refs are translated without asking the log again.
 * <p>
 * A step's entries are added by its own writers and read by its children, which run after it: so writers take
 * the step's lock, and readers read without one.
 */
public final class RunCache {
    private final long limit;
    private final AtomicLong size = new AtomicLong();
    private final Map<String, StepEntries> steps = new ConcurrentHashMap<>();

    public RunCache(long limit) {
        this.limit = limit;
    }

    /** Starts caching {@code step}; {@code fresh} when its log had no entries. */
    public void open(String step, boolean fresh) {
        steps.put(step, new StepEntries(new IntegerKeyMap(1024), fresh, false));
    }

    public void put(String step, String sourceKey, String targetKey) {
        putAll(step, List.<String[]>of(new String[] {sourceKey, targetKey}));
    }

    /** Adds entries (source key, target key) of {@code step}, if it is being cached. */
    public void putAll(String step, List<String[]> entries) {
        StepEntries s = steps.get(step);
        if (s == null || s.installed || entries.isEmpty()) {
            return; // not cached, or holding its whole log already (read-only)
        }
        if (size.addAndGet(entries.size()) > limit) {
            s.complete = false;
            return;
        }
        s.add(entries);
    }

    /**
     * Caches {@code step}'s whole migration log, read in one pass: complete, so children translate refs through it
     * without asking the log again, and not counted against the limit (its reader bounded it already).
     */
    public void install(String step, Map<String, String> log) {
        steps.put(step, new StepEntries(log, true, true));
    }

    /** Whether {@code step} is being cached (some step refers to it). */
    public boolean caching(String step) {
        return steps.containsKey(step);
    }

    /** The cached map of {@code step}, or null. */
    Map<String, String> map(String step) {
        StepEntries s = steps.get(step);
        return s == null ? null : s.map;
    }

    /** The cached map of {@code step} when it holds every entry its log has, else null. */
    Map<String, String> whole(String step) {
        StepEntries s = steps.get(step);
        return s != null && s.complete ? s.map : null;
    }

    /** One step's entries: integer keys in primitive arrays until a key that is not an integer turns up. */
    private static final class StepEntries {
        private volatile Map<String, String> map;
        private volatile boolean complete;
        private final boolean installed;

        StepEntries(Map<String, String> map, boolean complete, boolean installed) {
            this.map = map;
            this.complete = complete;
            this.installed = installed;
        }

        synchronized void add(List<String[]> entries) {
            Map<String, String> m = map;
            for (String[] e : entries) {
                if (m instanceof IntegerKeyMap ints) {
                    if (ints.putText(e[0], e[1])) {
                        continue;
                    }
                    m = new HashMap<>(ints);
                }
                m.put(e[0], e[1]);
            }
            map = m;
        }
    }
}

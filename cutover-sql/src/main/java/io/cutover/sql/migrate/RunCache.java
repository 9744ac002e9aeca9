package io.cutover.sql.migrate;

import io.cutover.sql.state.IntegerKeyMap;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

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

    /** Adds entries (source key, target key) of {@code step}, if it is being cached. */
    public void putAll(String step, List<String[]> entries) {
        StepEntries s = admit(step, entries.size());
        if (s != null) {
            s.add(entries, e -> e[0], e -> e[1]);
        }
    }

    /** Adds entries (source key → target key) of {@code step}, if it is being cached. */
    public void putAll(String step, Map<String, String> entries) {
        StepEntries s = admit(step, entries.size());
        if (s != null) {
            s.add(entries.entrySet(), Map.Entry::getKey, Map.Entry::getValue);
        }
    }

    /** The entries of {@code step} that {@code count} more may be added to, or null (not cached, read-only, or full). */
    private StepEntries admit(String step, int count) {
        StepEntries s = steps.get(step);
        if (s == null || s.installed || count == 0) {
            return null; // not cached, or holding its whole log already (read-only)
        }
        if (size.addAndGet(count) > limit) {
            s.complete = false;
            return null;
        }
        return s;
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

        synchronized <T> void add(Collection<T> entries, Function<T, String> sourceKey, Function<T, String> targetKey) {
            Map<String, String> m = map;
            for (T e : entries) {
                String source = sourceKey.apply(e);
                String target = targetKey.apply(e);
                if (m instanceof IntegerKeyMap ints) {
                    if (ints.putText(source, target)) {
                        continue;
                    }
                    m = new HashMap<>(ints);
                }
                m.put(source, target);
            }
            map = m;
        }
    }
}

package io.cutover.router.lists;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reloads every list on its own period. A failed fetch, a malformed list or a suspicious shrink keeps the
 * last good list and counts a failure; nothing a source does (not even an Error) stops the next reload —
 * a strangler router whose reload loop died silently kept routing on a stale list for good.
 */
public final class ListReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ListReloader.class);

    private final MeterRegistry registry;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private ScheduledExecutorService scheduler;

    /** What one reload did. */
    public enum Status { LOADED, UNCHANGED, FAILED, REFUSED }

    /** The outcome of one reload of one list. */
    public record Outcome(String list, Status status, int size, String message) {
    }

    private static final class Entry {
        final Allowlist list;
        final AllowlistSource source;
        final Duration refresh;
        final double maxShrink;
        final Counter failures;
        volatile String lastError;

        Entry(Allowlist list, AllowlistSource source, Duration refresh, double maxShrink, Counter failures) {
            this.list = list;
            this.source = source;
            this.refresh = refresh;
            this.maxShrink = maxShrink;
            this.failures = failures;
        }
    }

    /** A reloader reporting to {@code registry}; add lists, then {@link #start()}. */
    public ListReloader(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Adds a list. {@code maxShrink} is the largest fraction (0–1) of ids a single reload may remove;
     * 1 disables the guard. Returns the list, empty until the first successful load.
     */
    public synchronized Allowlist add(String name, AllowlistSource source, Duration refresh, double maxShrink) {
        Allowlist list = new Allowlist(name);
        Counter failures = Counter.builder("cutover.router.list.reload.failures")
                .description("List reloads that failed, did not parse or were refused as a suspicious shrink")
                .tag("list", name).register(registry);
        Gauge.builder("cutover.router.list.age", list, Allowlist::ageSeconds).baseUnit("seconds")
                .description("Seconds since the list source last confirmed the list").tag("list", name)
                .register(registry);
        Gauge.builder("cutover.router.list.size", list, Allowlist::size)
                .description("Ids in the current list").tag("list", name).register(registry);
        entries.put(name, new Entry(list, source, refresh, maxShrink, failures));
        return list;
    }

    /** The lists by name. */
    public synchronized Map<String, Allowlist> lists() {
        Map<String, Allowlist> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, v.list));
        return out;
    }

    /** The last failure message of a list, or null. */
    public String lastError(String name) {
        Entry e = entries.get(name);
        return e == null ? null : e.lastError;
    }

    /** Loads every list once now (synchronously), then reloads each on its period in the background. */
    public synchronized List<Outcome> start() {
        List<Outcome> first = reloadAll(false);
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(Math.max(1, entries.size()), r -> {
            Thread t = new Thread(r, "cutover-list-reload-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        for (Entry e : entries.values()) {
            long ms = e.refresh.toMillis();
            s.scheduleWithFixedDelay(() -> reload(e, false), ms, ms, TimeUnit.MILLISECONDS);
        }
        scheduler = s;
        return first;
    }

    /** Reloads every list now; {@code force} skips the shrink guard (an intended large removal). */
    public List<Outcome> reloadAll(boolean force) {
        List<Outcome> out = new ArrayList<>();
        List<Entry> all;
        synchronized (this) {
            all = List.copyOf(entries.values());
        }
        for (Entry e : all) {
            out.add(reload(e, force));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    // Never throws: a throwing task would cancel its schedule for good.
    private Outcome reload(Entry e, boolean force) {
        synchronized (e) {
            try {
                return reloadOnce(e, force);
            } catch (Throwable t) {
                return fail(e, Status.FAILED, "reload failed: " + t);
            }
        }
    }

    private Outcome reloadOnce(Entry e, boolean force) {
        Allowlist.Snapshot current = e.list.snapshot();
        AllowlistSource.Fetched fetched;
        try {
            fetched = e.source.fetch(current == null ? null : current.version());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return fail(e, Status.FAILED, "fetch interrupted");
        } catch (Exception ex) {
            return fail(e, Status.FAILED, "fetch from " + e.source.describe() + " failed: " + ex);
        }
        if (fetched == null || fetched.notModified()) {
            if (current == null) {
                return fail(e, Status.FAILED, "source says not modified but nothing was ever loaded");
            }
            e.list.confirmed();
            e.lastError = null;
            return new Outcome(e.list.name(), Status.UNCHANGED, current.ids().size(), "not modified");
        }
        Set<String> ids;
        try {
            ids = AllowlistParser.parse(fetched.text());
        } catch (AllowlistParser.MalformedListException ex) {
            return fail(e, Status.FAILED, "malformed list from " + e.source.describe() + ": " + ex.getMessage());
        }
        if (current != null && !force && e.maxShrink < 1.0) {
            int before = current.ids().size();
            if (ids.size() < before * (1.0 - e.maxShrink)) {
                return fail(e, Status.REFUSED, String.format("refused: the list would shrink from %d to %d ids "
                        + "(more than max_shrink %.0f%%); POST /reload?force=true to accept it", before, ids.size(),
                        e.maxShrink * 100));
            }
        }
        e.list.replace(new Allowlist.Snapshot(ids, fetched.version(), Instant.now()));
        e.lastError = null;
        if (current == null || current.ids().size() != ids.size()) {
            LOG.info("list {}: {} ids loaded from {}", e.list.name(), ids.size(), e.source.describe());
        }
        return new Outcome(e.list.name(), Status.LOADED, ids.size(), ids.size() + " ids");
    }

    private Outcome fail(Entry e, Status status, String message) {
        e.failures.increment();
        e.lastError = message;
        LOG.warn("list {}: {} (keeping the last good list: {} ids)", e.list.name(), message, e.list.size());
        return new Outcome(e.list.name(), status, e.list.size(), message);
    }
}

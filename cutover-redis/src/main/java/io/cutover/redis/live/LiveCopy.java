package io.cutover.redis.live;

import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;
import io.cutover.core.time.Durations;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.copy.BatchResult;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.copy.KeyFailure;
import io.cutover.redis.copy.RedisCopy;
import io.cutover.redis.select.DbMapping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Copies a keyspace and then keeps the target current: subscribes to the source's keyspace notifications before the
 * initial scan, so nothing written during the scan is missed, then copies every changed key again (deleting it on the
 * target when it is gone on the source) until {@link #stop()} or until nothing has been pending for
 * {@link LiveOptions#untilIdle()}. Changed keys are held in a bounded set; when it overflows or the subscription
 * drops, the affected databases are rescanned (after subscribing again), never silently skipped.
 * Writes overwrite the target's keys: a live copy makes the target follow the source.
 */
public final class LiveCopy {
    private static final long STATUS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final CopyOptions copyOptions;
    private final LiveOptions options;
    private final LiveMonitor monitor;
    private final ChangedKeys changed;
    private final Object flight = new Object();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<String> notes = new ArrayList<>();

    private volatile boolean stopping;
    private volatile long stopRequestedNanos;
    private volatile boolean live;
    private volatile KeyspaceEvents events;
    private volatile LiveStatus status = new LiveStatus(0, 0, 0, 0, 0, 0);
    private boolean copying;
    private ChangeCopier copier;
    private long eventsBefore;
    private long recopied;
    private long deleted;
    private long failed;
    private int rescans;
    private int maxPending;
    private long maxLagMillis;
    private final List<KeyFailure> failures = new ArrayList<>();
    private volatile ChangedKeys touched;
    private volatile DbMapping mapping;

    /** A live copy of what {@code copyOptions} selects ({@code replace} is implied). */
    public LiveCopy(RedisEndpoint source, RedisEndpoint target, CopyOptions copyOptions, LiveOptions options,
                    LiveMonitor monitor) {
        this.source = source;
        this.target = target;
        this.copyOptions = copyOptions.withReplace(true);
        this.options = options;
        this.monitor = monitor == null ? new LiveMonitor() { } : monitor;
        this.changed = new ChangedKeys(options.maxPending());
    }

    /**
     * Also remembers up to {@code max} distinct keys copied or deleted after the initial copy (for a verify of the
     * changed keys before a switch); call before {@link #run()}.
     */
    public void rememberChangedKeys(int max) {
        touched = new ChangedKeys(max);
    }

    /** The keys changed since the initial copy, by source database; empty when more than the limit changed. */
    public Optional<Map<Integer, List<byte[]>>> changedKeys() {
        ChangedKeys t = touched;
        if (t == null || !t.overflowed().isEmpty() || rescans > 0) {
            return Optional.empty();
        }
        return Optional.of(t.peekAll());
    }

    /** Runs the initial copy and then the live phase until stopped or idle; returns the summary. */
    public LiveReport run() {
        long t0 = System.nanoTime();
        try {
            if (copyOptions.dryRun()) {
                throw CutoverException.usage("--live and --dry-run do not go together");
            }
            List<Integer> dbs = LiveScope.databases(source);
            DbMapping mapping = LiveScope.mapping(copyOptions.dbMapping(), dbs, target);
            this.mapping = mapping;
            int probeDb = dbs.isEmpty() ? source.uri().dbOrZero() : dbs.get(0);
            try (KeyspaceNotifications notifications = KeyspaceNotifications.ensure(source, probeDb,
                    monitor::allowEnablingNotifications)) {
                note("keyspace notifications " + notifications.description());
                events = KeyspaceEvents.subscribe(source, dbs, copyOptions.selection(), changed);
                CopyReport initial;
                try (Progress p = monitor.progress("copy", 0)) {
                    initial = new RedisCopy(source, target, copyOptions, p).run();
                }
                note("initial copy: " + initial.copied() + " keys in " + Durations.format(initial.elapsed())
                        + "; " + changed.size() + " keys changed meanwhile");
                try (ChangeCopier cc = new ChangeCopier(source, target, copyOptions.withDbMapping(mapping), mapping, dbs)) {
                    copier = cc;
                    live = true;
                    started.countDown();
                    String endedBy = follow(dbs);
                    return report(initial, notifications.description(), endedBy, t0);
                }
            }
        } finally {
            live = false;
            started.countDown();
            KeyspaceEvents e = events;
            if (e != null) {
                e.close();
            }
            finished.countDown();
        }
    }

    private String follow(List<Integer> dbs) {
        long lastBusy = System.nanoTime();
        long lastStatus = 0;
        long lastEvents = events.events();
        long lastEventsAt = System.nanoTime();
        double rate = 0;
        try (Progress p = monitor.progress("live", 0)) {
            while (true) {
                long now = System.nanoTime();
                if (!events.isOpen()) {
                    note("keyspace notification connection lost: subscribing again and rescanning " + dbs);
                    eventsBefore += events.events();
                    events.close();
                    events = KeyspaceEvents.subscribe(source, dbs, copyOptions.selection(), changed);
                    for (int db : dbs) {
                        rescan(db, p);
                    }
                    lastEvents = 0;
                }
                for (int db : changed.overflowed()) {
                    note("more than " + changed.capacity() + " changed keys pending: rescanning database " + db);
                    rescan(db, p);
                }
                List<ChangedKeys.Change> batch;
                synchronized (flight) {
                    batch = changed.take(copyOptions.batch());
                    copying = !batch.isEmpty();
                }
                if (!batch.isEmpty()) {
                    maxPending = Math.max(maxPending, batch.size() + changed.size());
                    long lag = TimeUnit.NANOSECONDS.toMillis(now - batch.get(0).firstSeenNanos());
                    maxLagMillis = Math.max(maxLagMillis, lag);
                    copyChanges(batch, p);
                    lastBusy = System.nanoTime();
                } else if (stopping) {
                    return "stop";
                } else if (options.untilIdle() != null && now - lastBusy >= options.untilIdle().toNanos()) {
                    return "idle";
                } else {
                    sleep(2);
                }
                if (stopping && now - stopRequestedNanos > options.flushTimeout().toNanos()) {
                    note("flush timed out after " + Durations.format(options.flushTimeout()) + " with "
                            + changed.size() + " keys pending");
                    return "flush timeout";
                }
                if (now - lastStatus >= STATUS_EVERY_NANOS) {
                    long ev = events.events();
                    double secs = (now - lastEventsAt) / 1e9;
                    if (secs >= 0.9) {
                        rate = (ev - lastEvents) / secs;
                        lastEvents = ev;
                        lastEventsAt = now;
                    }
                    int pending = changed.size();
                    maxPending = Math.max(maxPending, pending);
                    long oldest = changed.oldestNanos();
                    status = new LiveStatus(pending, oldest < 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(now - oldest),
                            rate, eventsBefore + ev, recopied, deleted);
                    p.detail(status.line());
                    lastStatus = now;
                }
            }
        }
    }

    private void copyChanges(List<ChangedKeys.Change> batch, Progress p) {
        int db = batch.get(0).db();
        List<byte[]> keys = new ArrayList<>(batch.size());
        ChangedKeys t = touched;
        for (ChangedKeys.Change c : batch) {
            keys.add(c.key());
            if (t != null) {
                t.add(db, c.key(), 0);
            }
        }
        try {
            ChangeCopier.Outcome o = copier.apply(db, keys);
            record(o);
            p.add(o.result().copied() + o.deleted());
        } finally {
            synchronized (flight) {
                copying = false;
                flight.notifyAll();
            }
        }
    }

    private void record(ChangeCopier.Outcome o) {
        BatchResult r = o.result();
        recopied += r.copied();
        deleted += o.deleted();
        failed += r.failed();
        for (KeyFailure f : r.failures()) {
            if (failures.size() < 100) {
                failures.add(f);
            }
        }
    }

    /** Copies every selected key of {@code db} again and deletes target keys gone from the source. */
    private void rescan(int db, Progress p) {
        rescans++;
        changed.clear(db); // events from now on are kept; the scan covers everything before
        long t = System.nanoTime();
        ChangeCopier.Outcome o = copier.rescan(db, this::note);
        record(o);
        p.add(o.result().copied() + o.deleted());
        note("rescan of database " + db + ": " + o.result().copied() + " copied, " + o.deleted() + " deleted in "
                + Durations.format(Duration.ofNanos(System.nanoTime() - t)));
    }

    /** Asks the live copy to copy what is pending and end; returns at once (see {@link #awaitFinished}). */
    public void stop() {
        if (!stopping) {
            stopRequestedNanos = System.nanoTime();
            stopping = true;
        }
    }

    /** Waits until {@link #run()} has returned or failed. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the initial copy is done and changes are being followed; false if it ended first. */
    public boolean awaitLive(Duration timeout) throws InterruptedException {
        return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && live;
    }

    /** Where each source database goes on the target (known once {@link #run()} has started). */
    public DbMapping mapping() {
        return mapping;
    }

    /** The current lag (refreshed about four times a second). */
    public LiveStatus status() {
        return status;
    }

    /**
     * Waits until every change the source published before this call has been copied: a barrier on the notification
     * connection proves all earlier events arrived, then the pending set and the batch in flight must empty.
     * Returns false at the timeout. Needs the source to answer (CLIENT PAUSE … WRITE allows it, a full pause does not).
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        KeyspaceEvents e = events;
        if (e == null || !live) {
            return false;
        }
        e.barrier();
        synchronized (flight) {
            while (changed.size() > 0 || copying || !e.isOpen() || !changed.overflowed().isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !live) {
                    return false;
                }
                flight.wait(Math.max(1, Math.min(20, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
        return live;
    }

    /**
     * Subscribes to {@code channel} on the notification connection; the latch opens when a message published there
     * arrives, proving every earlier event arrived too (see {@link KeyspaceEvents#expectMarker}).
     */
    public CountDownLatch expectMarker(String channel) {
        KeyspaceEvents e = events;
        if (e == null || !live) {
            throw CutoverException.runtime("the live copy is not running");
        }
        return e.expectMarker(channel);
    }

    /** True when nothing is pending or being copied and the subscription is up. */
    public boolean caughtUpNow() {
        KeyspaceEvents e = events;
        synchronized (flight) {
            return live && e != null && e.isOpen() && changed.size() == 0 && !copying && changed.overflowed().isEmpty();
        }
    }

    private LiveReport report(CopyReport initial, String notifications, String endedBy, long t0) {
        return new LiveReport(initial, notifications, eventsBefore + events.events(), recopied, deleted, rescans, failed,
                List.copyOf(failures), maxPending, maxLagMillis, changed.size(), endedBy, List.copyOf(notes),
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private void note(String message) {
        synchronized (notes) {
            notes.add(message);
        }
        monitor.note(message);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
        }
    }
}

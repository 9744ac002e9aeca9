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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies a keyspace and then keeps the target current: subscribes to the source's keyspace notifications before the
 * initial scan, so nothing written during the scan is missed, then copies every changed key again (deleting it on the
 * target when it is gone on the source) until {@link #stop()} or until nothing has been pending for
 * {@link LiveOptions#untilIdle()}. Changed keys are held in bounded sets, one per drain worker ({@code threads} of
 * the copy options); a key always goes to the same worker, so two copies of one key never race. When a set
 * overflows or the subscription drops, the affected databases are rescanned (after subscribing again), never
 * silently skipped. Writes overwrite the target's keys: a live copy makes the target follow the source.
 */
public final class LiveCopy {
    private static final long STATUS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final CopyOptions copyOptions;
    private final LiveOptions options;
    private final LiveMonitor monitor;
    private final ChangedKeys[] shards;
    private final AtomicInteger copying = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<String> notes = new ArrayList<>();
    private final AtomicReference<Throwable> workerFailure = new AtomicReference<>();

    private volatile boolean stopping;
    private volatile boolean workersDone;
    private volatile long stopRequestedNanos;
    private volatile boolean live;
    private volatile boolean rescanning;
    private volatile KeyspaceEvents events;
    private volatile LiveStatus status = new LiveStatus(0, 0, 0, 0, 0, 0);
    private volatile ChangedKeys touched;
    private volatile DbMapping mapping;
    private volatile StreamKeys streamKeys;
    private volatile List<Integer> databases;
    private long eventsBefore;
    private long recopied;
    private long deleted;
    private long failed;
    private int rescans;
    private int maxPending;
    private int pendingAtEnd;
    private long maxLagMillis;
    private final List<KeyFailure> failures = new ArrayList<>();

    /** A live copy of what {@code copyOptions} selects ({@code replace} is implied). */
    public LiveCopy(RedisEndpoint source, RedisEndpoint target, CopyOptions copyOptions, LiveOptions options,
                    LiveMonitor monitor) {
        this.source = source;
        this.target = target;
        this.copyOptions = copyOptions.withReplace(true);
        this.options = options;
        this.monitor = monitor == null ? new LiveMonitor() { } : monitor;
        int n = copyOptions.threads();
        this.shards = new ChangedKeys[n];
        for (int i = 0; i < n; i++) {
            shards[i] = new ChangedKeys(Math.max(1, options.maxPending() / n));
        }
    }

    /**
     * Also remembers up to {@code max} distinct keys copied or deleted after the initial copy (for a verify of the
     * changed keys before a switch); call before {@link #run()}.
     */
    public void rememberChangedKeys(int max) {
        touched = new ChangedKeys(max);
    }

    /**
     * Also keeps the source's stream keys (up to {@code limit}), found by a scan at the start and followed from the
     * keyspace events, so {@link #queueStreamsAgain()} can copy them again; call before {@link #run()}.
     */
    public void trackStreamKeys(int limit) {
        streamKeys = new StreamKeys(limit);
    }

    /** The keys changed since the initial copy, by source database; empty when more than the limit changed. */
    public Optional<Map<Integer, List<byte[]>>> changedKeys() {
        ChangedKeys t = touched;
        if (t == null || !t.overflowed().isEmpty() || rescans() > 0) {
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
            DbMapping m = copyOptions.dbMapping().resolve(dbs, target.uri().db());
            this.mapping = m;
            try (KeyspaceNotifications notifications = KeyspaceNotifications.ensure(source, dbs.get(0),
                    monitor::allowEnablingNotifications)) {
                note("keyspace notifications " + notifications.description());
                events = KeyspaceEvents.subscribe(source, dbs, copyOptions.selection(), this::changed);
                databases = dbs;
                seedStreamKeys(dbs); // after subscribing: a stream created meanwhile comes with its event
                CopyReport initial;
                try (Progress p = monitor.progress("copy", 0)) {
                    initial = new RedisCopy(source, target, copyOptions, p).run();
                }
                note("initial copy: " + initial.copied() + " keys in " + Durations.format(initial.elapsed())
                        + "; " + pending() + " keys changed meanwhile");
                CopyOptions workerOptions = copyOptions.withDbMapping(m);
                try (ChangeCopier rescanner = new ChangeCopier(source, target, workerOptions, m, dbs);
                     Progress p = monitor.progress("live", 0)) {
                    List<Thread> workers = startWorkers(workerOptions, m, dbs, p);
                    live = true;
                    started.countDown();
                    LiveEnd endedBy;
                    try {
                        endedBy = follow(dbs, rescanner, p);
                    } finally {
                        workersDone = true;
                        for (Thread w : workers) {
                            w.join();
                        }
                    }
                    Throwable f = workerFailure.get();
                    if (f != null) {
                        throw f instanceof CutoverException ce ? ce : CutoverException.runtime(String.valueOf(f), f);
                    }
                    return report(initial, notifications.description(), endedBy, t0);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
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

    private boolean changed(int db, byte[] key, String event, boolean gone, long now) {
        StreamKeys s = streamKeys;
        if (s != null) {
            s.event(db, key, event, gone);
        }
        return shard(key).add(db, key, gone, now);
    }

    private void seedStreamKeys(List<Integer> dbs) throws InterruptedException {
        StreamKeys s = streamKeys;
        if (s == null) {
            return;
        }
        long t = System.nanoTime();
        for (int db : dbs) {
            StreamScan.scan(source, db, copyOptions.selection(), k -> {
                s.found(db, k);
                return s.incompleteBecause() == null;
            });
        }
        String why = s.incompleteBecause();
        note(why == null ? "stream keys: " + s.size() + " found in "
                + Durations.format(Duration.ofNanos(System.nanoTime() - t)) + ", followed from the events"
                : "stream keys: not tracked (" + why + "); a switch scans for them while writes are paused");
    }

    /** What {@link #queueStreamsAgain()} did. */
    public record StreamsQueued(long streams, String scannedBecause) {
        /** True when the streams were found by a scan, not from the tracked set. */
        public boolean scanned() {
            return scannedBecause != null;
        }
    }

    /**
     * Queues every stream key of the selection to be copied again (consumer groups move without keyspace events):
     * the tracked ones, or those a {@code SCAN … TYPE stream} finds when the tracked set is incomplete. Call while
     * the source's writes are paused, then {@link #awaitCaughtUp}; needs {@link #trackStreamKeys} before the run.
     */
    public StreamsQueued queueStreamsAgain() throws InterruptedException {
        StreamKeys s = streamKeys;
        List<Integer> dbs = databases;
        if (s == null || dbs == null || !live) {
            throw CutoverException.runtime("the live copy is not running or does not track stream keys");
        }
        String why = s.incompleteBecause();
        long n = 0;
        if (why != null) {
            for (int db : dbs) {
                n += StreamScan.scan(source, db, copyOptions.selection(), k -> queueAgain(db, k));
            }
            return new StreamsQueued(n, why);
        }
        Map<Integer, List<byte[]>> maybe = s.maybeStreams();
        for (Map.Entry<Integer, List<byte[]>> e : s.streams().entrySet()) {
            for (byte[] k : e.getValue()) {
                n += queueAgain(e.getKey(), k) ? 1 : 0;
            }
        }
        for (Map.Entry<Integer, List<byte[]>> e : maybe.entrySet()) { // renamed or restored keys: streams only
            for (byte[] k : StreamScan.streamsAmong(source, e.getKey(), e.getValue())) {
                n += queueAgain(e.getKey(), k) ? 1 : 0;
            }
        }
        return new StreamsQueued(n, null);
    }

    private boolean queueAgain(int db, byte[] key) throws InterruptedException {
        if (!shard(key).put(db, key, false, System.nanoTime(), () -> workerFailure.get() != null || !live)) {
            throw CutoverException.runtime("the live copy ended while stream keys were queued");
        }
        return true;
    }

    private ChangedKeys shard(byte[] key) {
        return shards[(Arrays.hashCode(key) & 0x7fffffff) % shards.length];
    }

    private List<Thread> startWorkers(CopyOptions workerOptions, DbMapping m, List<Integer> dbs, Progress p) {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < shards.length; i++) {
            ChangedKeys shard = shards[i];
            Thread t = new Thread(() -> drain(shard, workerOptions, m, dbs, p), "cutover-live-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        return workers;
    }

    /** One worker: copies the oldest changes of its shard, batch by batch, until told to end. */
    private void drain(ChangedKeys shard, CopyOptions workerOptions, DbMapping m, List<Integer> dbs, Progress p) {
        try (ChangeCopier copier = new ChangeCopier(source, target, workerOptions, m, dbs)) {
            while (!workersDone) {
                List<ChangedKeys.Change> batch;
                synchronized (copying) {
                    batch = shard.take(copyOptions.batch());
                    if (!batch.isEmpty()) {
                        copying.incrementAndGet();
                    }
                }
                if (batch.isEmpty()) {
                    Thread.sleep(1);
                    continue;
                }
                try {
                    long lag = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - batch.get(0).firstSeenNanos());
                    ChangeCopier.Outcome o = copier.apply(batch.get(0).db(), batch);
                    ChangedKeys t = touched;
                    if (t != null) {
                        for (ChangedKeys.Change c : batch) {
                            t.add(c.db(), c.key(), c.gone(), 0);
                        }
                    }
                    record(o, lag);
                    p.add(o.result().copied() + o.deleted());
                } finally {
                    copying.decrementAndGet();
                }
            }
        } catch (Throwable e) {
            workerFailure.compareAndSet(null, e);
        }
    }

    private LiveEnd follow(List<Integer> dbs, ChangeCopier rescanner, Progress p) throws InterruptedException {
        long lastBusy = System.nanoTime();
        long lastStatus = 0;
        long lastEvents = events.events();
        long lastEventsAt = System.nanoTime();
        double rate = 0;
        while (true) {
            if (workerFailure.get() != null) {
                return LiveEnd.FAILURE;
            }
            long now = System.nanoTime();
            if (!events.isOpen()) {
                rescanning = true; // not caught up until the rescan has queued every key
                note("keyspace notification connection lost: subscribing again and rescanning " + dbs);
                StreamKeys s = streamKeys;
                if (s != null) {
                    s.markIncomplete("keyspace events were lost");
                }
                eventsBefore += events.events();
                events.close();
                events = KeyspaceEvents.subscribe(source, dbs, copyOptions.selection(), this::changed);
                for (int db : dbs) {
                    rescan(db, rescanner);
                }
                lastEvents = 0;
                rescanning = false;
            }
            Set<Integer> overflowed = new TreeSet<>();
            for (ChangedKeys s : shards) {
                overflowed.addAll(s.overflowed());
            }
            rescanning = !overflowed.isEmpty();
            for (int db : overflowed) {
                note("more than " + options.maxPending() + " changed keys pending: rescanning database " + db);
                rescan(db, rescanner);
            }
            rescanning = false;
            int pending = pending();
            boolean busy = pending > 0 || copying.get() > 0;
            if (busy) {
                lastBusy = now;
                maxPending(pending);
            } else if (stopping) {
                return LiveEnd.STOP; // nothing pending now; events arriving later (e.g. expiries) are not waited for
            } else if (options.untilIdle() != null && now - lastBusy >= options.untilIdle().toNanos()) {
                return LiveEnd.IDLE;
            }
            if (stopping && now - stopRequestedNanos > options.flushTimeout().toNanos()) {
                note("flush timed out after " + Durations.format(options.flushTimeout()) + " with " + pending
                        + " keys pending");
                synchronized (this) {
                    pendingAtEnd = pending;
                }
                return LiveEnd.FLUSH_TIMEOUT;
            }
            if (now - lastStatus >= STATUS_EVERY_NANOS) {
                long ev = events.events();
                double secs = (now - lastEventsAt) / 1e9;
                if (secs >= 0.9) {
                    rate = (ev - lastEvents) / secs;
                    lastEvents = ev;
                    lastEventsAt = now;
                }
                long oldest = oldestNanos();
                status = new LiveStatus(pending, oldest < 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(now - oldest),
                        rate, eventsBefore + ev, recopied(), deleted());
                p.detail(status.line());
                monitor.status(status);
                lastStatus = now;
            }
            Thread.sleep(2);
        }
    }

    /** Sends every selected key of {@code db} (and target keys gone from the source) to the workers again. */
    private void rescan(int db, ChangeCopier rescanner) throws InterruptedException {
        synchronized (this) {
            rescans++;
        }
        for (ChangedKeys s : shards) {
            s.clear(db); // events from now on are kept; the scan covers everything before
        }
        long t = System.nanoTime();
        long sent = rescanner.rescan(db, (d, key, gone) -> shard(key).put(d, key, gone, System.nanoTime(),
                () -> workerFailure.get() != null), this::note);
        note("rescan of database " + db + ": " + sent + " keys queued in "
                + Durations.format(Duration.ofNanos(System.nanoTime() - t)));
    }

    private synchronized void record(ChangeCopier.Outcome o, long lagMillis) {
        BatchResult r = o.result();
        recopied += r.copied();
        deleted += o.deleted();
        failed += r.failed();
        maxLagMillis = Math.max(maxLagMillis, lagMillis);
        for (KeyFailure f : r.failures()) {
            if (failures.size() < 100) {
                failures.add(f);
            }
        }
    }

    private synchronized void maxPending(int pending) {
        maxPending = Math.max(maxPending, pending);
    }

    private synchronized long recopied() {
        return recopied;
    }

    private synchronized long deleted() {
        return deleted;
    }

    private synchronized int rescans() {
        return rescans;
    }

    private int pending() {
        int n = 0;
        for (ChangedKeys s : shards) {
            n += s.size();
        }
        return n;
    }

    private long oldestNanos() {
        long oldest = -1;
        for (ChangedKeys s : shards) {
            long o = s.oldestNanos();
            if (o >= 0 && (oldest < 0 || o < oldest)) {
                oldest = o;
            }
        }
        return oldest;
    }

    private boolean overflowedAnywhere() {
        for (ChangedKeys s : shards) {
            if (!s.overflowed().isEmpty()) {
                return true;
            }
        }
        return false;
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

    /** The current lag (refreshed about four times a second). */
    public LiveStatus status() {
        return status;
    }

    /** Where each source database goes on the target (known once {@link #run()} has started). */
    public DbMapping mapping() {
        return mapping;
    }

    /**
     * Waits until every change the source published before this call has been copied: a barrier on the notification
     * connection proves all earlier events arrived, then the pending sets and the batches in flight must empty.
     * Returns false at the timeout. Needs the source to answer (CLIENT PAUSE … WRITE allows it, a full pause does not).
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) { // a connection lost meanwhile is replaced by the follow loop: prove it on the new one
            KeyspaceEvents e = events;
            if (e == null || !live) {
                return false;
            }
            if (e.isOpen()) {
                try {
                    e.barrier();
                    break;
                } catch (RuntimeException ex) {
                    if (e.isOpen()) {
                        throw ex;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        while (!caughtUpNow()) {
            if (System.nanoTime() > deadline || !live) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
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
        synchronized (copying) { // a worker takes a batch and counts it in flight atomically
            return live && e != null && e.isOpen() && !rescanning && pending() == 0 && copying.get() == 0 && !overflowedAnywhere();
        }
    }

    private synchronized LiveReport report(CopyReport initial, String notifications, LiveEnd endedBy, long t0) {
        return new LiveReport(initial, notifications, eventsBefore + events.events(), recopied, deleted, rescans, failed,
                List.copyOf(failures), maxPending, maxLagMillis, pendingAtEnd, endedBy, notesCopy(),
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private List<String> notesCopy() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }

    private void note(String message) {
        synchronized (notes) {
            notes.add(message);
        }
        monitor.note(message);
    }
}

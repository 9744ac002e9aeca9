package io.cutover.redis.live;

import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;
import io.cutover.core.time.Durations;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.copy.RedisCopy;
import io.cutover.redis.select.DbMapping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    /** The longest a waiting worker or the follow loop sleeps before looking again (they are woken sooner). */
    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final CopyOptions copyOptions;
    private final LiveOptions options;
    private final LiveMonitor monitor;
    private final PendingChanges pending;
    private final LiveTally tally = new LiveTally();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<Throwable> workerFailure = new AtomicReference<>();
    /** Completed with System.nanoTime() by the first {@link #stop()}; the flush time counts from then. */
    private final CompletableFuture<Long> stopAsked = new CompletableFuture<>();

    private volatile LivePhase phase = new LivePhase.InitialCopy();
    private volatile Scope scope;
    private volatile KeyspaceEvents events;
    private volatile LiveStatus status = new LiveStatus(0, 0, 0, 0, 0, 0);
    private volatile ChangedKeys touched;
    private volatile StreamKeys streamKeys;

    /** The source databases followed and where each goes on the target; known once the run has started. */
    private record Scope(List<Integer> databases, DbMapping mapping) {
    }

    /** A live copy of what {@code copyOptions} selects ({@code replace} is implied). */
    public LiveCopy(RedisEndpoint source, RedisEndpoint target, CopyOptions copyOptions, LiveOptions options,
                    LiveMonitor monitor) {
        this.source = source;
        this.target = target;
        this.copyOptions = copyOptions.withReplace(true);
        this.options = options;
        this.monitor = monitor == null ? new LiveMonitor() { } : monitor;
        this.pending = new PendingChanges(copyOptions.threads(), options.maxPending());
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
        if (t == null || !t.overflowed().isEmpty() || tally.rescans() > 0) {
            return Optional.empty();
        }
        return Optional.of(t.peekAll());
    }

    /** Runs the initial copy and then the live phase until stopped or idle; returns the summary. */
    public LiveReport run() {
        long t0 = System.nanoTime();
        LiveEnd endedBy = LiveEnd.FAILURE;
        try {
            if (copyOptions.dryRun()) {
                throw CutoverException.usage("--live and --dry-run do not go together");
            }
            List<Integer> dbs = LiveScope.databases(source);
            DbMapping m = copyOptions.dbMapping().resolve(dbs, target.uri().db());
            scope = new Scope(dbs, m);
            try (KeyspaceNotifications notifications = KeyspaceNotifications.ensure(source, dbs.get(0),
                    monitor::allowEnablingNotifications)) {
                note("keyspace notifications " + notifications.description());
                events = KeyspaceEvents.subscribe(source, dbs, copyOptions.selection(), this::changed);
                seedStreamKeys(dbs); // after subscribing: a stream created meanwhile comes with its event
                CopyReport initial;
                try (Progress p = monitor.progress("copy", 0)) {
                    initial = new RedisCopy(source, target, copyOptions, p).run();
                }
                note("initial copy: " + initial.copied() + " keys in " + Durations.format(initial.elapsed())
                        + "; " + pending.size() + " keys changed meanwhile");
                CopyOptions workerOptions = copyOptions.withDbMapping(m);
                try (ChangeCopier rescanner = new ChangeCopier(source, target, workerOptions, m, dbs);
                     Progress p = monitor.progress("live", 0)) {
                    moveTo(new LivePhase.Following());
                    List<Thread> workers = startWorkers(workerOptions, m, dbs, p);
                    started.countDown();
                    try {
                        endedBy = follow(dbs, rescanner, p);
                    } finally {
                        moveTo(new LivePhase.Ending(endedBy));
                        for (Thread w : workers) {
                            w.join();
                        }
                    }
                    Throwable f = workerFailure.get();
                    if (f != null) {
                        endedBy = LiveEnd.FAILURE;
                        throw f instanceof CutoverException ce ? ce : CutoverException.runtime(String.valueOf(f), f);
                    }
                    return tally.report(initial, notifications.description(), tally.earlierEvents() + events.events(),
                            endedBy, Duration.ofNanos(System.nanoTime() - t0));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
        } finally {
            moveTo(new LivePhase.Ended(endedBy));
            started.countDown();
            KeyspaceEvents e = events;
            if (e != null) {
                e.close();
            }
            finished.countDown();
        }
    }

    private void moveTo(LivePhase next) {
        phase = next;
        pending.wakeAll(); // workers and waiters look at the phase again
    }

    private boolean changed(int db, byte[] key, String event, boolean gone, long now) {
        StreamKeys s = streamKeys;
        if (s != null) {
            s.event(db, key, event, gone);
        }
        return pending.add(db, key, gone, now);
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
        Scope sc = scope;
        if (s == null || sc == null || !phase.live()) {
            throw CutoverException.runtime("the live copy is not running or does not track stream keys");
        }
        String why = s.incompleteBecause();
        long n = 0;
        if (why != null) {
            for (int db : sc.databases()) {
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
        if (!pending.put(db, key, false, System.nanoTime(), () -> workerFailure.get() != null || !phase.live())) {
            throw CutoverException.runtime("the live copy ended while stream keys were queued");
        }
        return true;
    }

    private List<Thread> startWorkers(CopyOptions workerOptions, DbMapping m, List<Integer> dbs, Progress p) {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < pending.workers(); i++) {
            int worker = i;
            Thread t = new Thread(() -> drain(worker, workerOptions, m, dbs, p), "cutover-live-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        return workers;
    }

    /** One worker: copies the oldest changes of its set, batch by batch, while changes are followed. */
    private void drain(int worker, CopyOptions workerOptions, DbMapping m, List<Integer> dbs, Progress p) {
        try (ChangeCopier copier = new ChangeCopier(source, target, workerOptions, m, dbs)) {
            while (phase.live()) {
                List<ChangedKeys.Change> batch = pending.take(worker, copyOptions.batch(), WAIT_NANOS);
                if (batch.isEmpty()) {
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
                    tally.applied(o, lag);
                    p.add(o.result().copied() + o.deleted());
                } finally {
                    pending.done(worker);
                }
            }
        } catch (Throwable e) {
            workerFailure.compareAndSet(null, e);
            pending.wakeAll();
        }
    }

    /**
     * Follows until a stop, the idle time or a failure: replaces a lost subscription, rescans databases whose changes
     * overflowed, and publishes the lag. Wakes when a batch is applied, and at least every {@link #WAIT_NANOS}.
     */
    private LiveEnd follow(List<Integer> dbs, ChangeCopier rescanner, Progress p) throws InterruptedException {
        Signal applied = pending.changes();
        long seenBatches = pending.batchesApplied();
        long lastBusy = System.nanoTime();
        long lastStatus = 0;
        long lastEvents = events.events();
        long lastEventsAt = System.nanoTime();
        double rate = 0;
        while (true) {
            if (workerFailure.get() != null) {
                return LiveEnd.FAILURE;
            }
            if (!events.isOpen()) {
                subscribeAgain(dbs, rescanner);
                lastEvents = 0;
            }
            Set<Integer> overflowed = pending.overflowed();
            if (!overflowed.isEmpty()) {
                moveTo(new LivePhase.Rescanning(overflowed));
                for (int db : overflowed) {
                    note("more than " + options.maxPending() + " changed keys pending: rescanning database " + db);
                    rescan(db, rescanner);
                }
                moveTo(new LivePhase.Following());
            }
            long seen = applied.generation();
            long now = System.nanoTime();
            long batches = pending.batchesApplied();
            int waiting = pending.size();
            boolean busy = batches != seenBatches || !pending.settled(); // a batch applied since the last look counts
            seenBatches = batches;
            if (busy) {
                lastBusy = now;
                tally.pending(waiting);
            } else if (stopAsked.isDone()) {
                return LiveEnd.STOP; // nothing pending now; events arriving later (e.g. expiries) are not waited for
            } else if (options.untilIdle() != null && now - lastBusy >= options.untilIdle().toNanos()) {
                return LiveEnd.IDLE;
            }
            if (stopAsked.isDone() && now - stopAsked.join() > options.flushTimeout().toNanos()) {
                note("flush timed out after " + Durations.format(options.flushTimeout()) + " with " + waiting
                        + " keys pending");
                tally.leftPending(waiting);
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
                long oldestMillis = pending.oldestNanos().stream().map(o -> TimeUnit.NANOSECONDS.toMillis(now - o))
                        .findFirst().orElse(0);
                status = new LiveStatus(waiting, oldestMillis, rate, tally.earlierEvents() + ev, tally.recopied(),
                        tally.deleted());
                p.detail(status.line());
                monitor.status(status);
                lastStatus = now;
            }
            applied.awaitAfter(seen, Math.min(WAIT_NANOS, STATUS_EVERY_NANOS - (System.nanoTime() - lastStatus)));
        }
    }

    /** The subscription dropped, so events may be lost: subscribes again, then rescans every database. */
    private void subscribeAgain(List<Integer> dbs, ChangeCopier rescanner) throws InterruptedException {
        moveTo(new LivePhase.Rescanning(Set.copyOf(dbs))); // not caught up until the rescan has queued every key
        note("keyspace notification connection lost: subscribing again and rescanning " + dbs);
        StreamKeys s = streamKeys;
        if (s != null) {
            s.markIncomplete("keyspace events were lost");
        }
        tally.eventsOfLostSubscription(events.events());
        events.close();
        events = KeyspaceEvents.subscribe(source, dbs, copyOptions.selection(), this::changed);
        for (int db : dbs) {
            rescan(db, rescanner);
        }
        moveTo(new LivePhase.Following());
    }

    /** Sends every selected key of {@code db} (and target keys gone from the source) to the workers again. */
    private void rescan(int db, ChangeCopier rescanner) throws InterruptedException {
        tally.rescan();
        pending.clear(db); // events from now on are kept; the scan covers everything before
        long t = System.nanoTime();
        long sent = rescanner.rescan(db, (d, key, gone) -> pending.put(d, key, gone, System.nanoTime(),
                () -> workerFailure.get() != null), this::note);
        note("rescan of database " + db + ": " + sent + " keys queued in "
                + Durations.format(Duration.ofNanos(System.nanoTime() - t)));
    }

    /** Asks the live copy to copy what is pending and end; returns at once (see {@link #awaitFinished}). */
    public void stop() {
        stopAsked.complete(System.nanoTime());
        pending.wakeAll();
    }

    /**
     * Stops once every change the source published before this call has been copied: a write acknowledged just
     * before may still be on its way as an event, which {@link #stop()} alone would not wait for. Waits up to
     * {@code timeout} for that (see {@link #awaitCaughtUp}); a source that no longer answers, or a copy still in its
     * initial scan, is stopped with what is pending.
     */
    public void stopAfterCatchingUp(Duration timeout) throws InterruptedException {
        try {
            awaitCaughtUp(timeout);
        } catch (RuntimeException e) {
            // the notification connection failed: what is pending is all there is to copy
        } finally {
            stop();
        }
    }

    /** Waits until {@link #run()} has returned or failed. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the initial copy is done and changes are being followed; false if it ended first. */
    public boolean awaitLive(Duration timeout) throws InterruptedException {
        return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && phase.live();
    }

    /** The current lag (refreshed about four times a second). */
    public LiveStatus status() {
        return status;
    }

    /** Where each source database goes on the target (known once {@link #run()} has started). */
    public DbMapping mapping() {
        Scope sc = scope;
        return sc == null ? null : sc.mapping();
    }

    /**
     * Waits until every change the source published before this call has been copied: a barrier on the notification
     * connection proves all earlier events arrived, then the pending sets and the batches in flight must empty.
     * Returns false at the timeout. Needs the source to answer (CLIENT PAUSE … WRITE allows it, a full pause does not).
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Signal moved = pending.changes();
        while (true) { // a connection lost meanwhile is replaced by the follow loop: prove it on the new one
            long seen = moved.generation();
            KeyspaceEvents e = events;
            if (e == null || !phase.live()) {
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
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            moved.awaitAfter(seen, Math.min(left, WAIT_NANOS)); // the follow loop moves to Following when it is back
        }
        return awaitSettled(deadline);
    }

    /**
     * Waits up to {@code timeout} until {@link #caughtUpNow()}, without a barrier: for changes already known to have
     * arrived, such as a batch in flight when the source was paused.
     */
    public boolean awaitCaughtUpNow(Duration timeout) throws InterruptedException {
        return awaitSettled(System.nanoTime() + timeout.toNanos());
    }

    private boolean awaitSettled(long deadline) throws InterruptedException {
        Signal moved = pending.changes();
        while (true) {
            long seen = moved.generation();
            if (caughtUpNow()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !phase.live()) {
                return false;
            }
            moved.awaitAfter(seen, Math.min(left, WAIT_NANOS));
        }
    }

    /**
     * Subscribes to {@code channel} on the notification connection; the latch opens when a message published there
     * arrives, proving every earlier event arrived too (see {@link KeyspaceEvents#expectMarker}).
     */
    public CountDownLatch expectMarker(String channel) {
        KeyspaceEvents e = events;
        if (e == null || !phase.live()) {
            throw CutoverException.runtime("the live copy is not running");
        }
        return e.expectMarker(channel);
    }

    /** True when changes are followed (no rescan under way), the subscription is up, and every change is applied. */
    public boolean caughtUpNow() {
        KeyspaceEvents e = events;
        return phase instanceof LivePhase.Following && e != null && e.isOpen() && pending.settled();
    }

    private void note(String message) {
        tally.note(message);
        monitor.note(message);
    }
}

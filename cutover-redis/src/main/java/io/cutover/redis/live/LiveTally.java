package io.cutover.redis.live;

import io.cutover.redis.copy.BatchResult;
import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.copy.KeyFailure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the live phase did, counted from the workers and the follow loop, for the report. */
final class LiveTally {
    private static final int FAILURES_KEPT = 100;

    private final List<KeyFailure> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long recopied;
    private long deleted;
    private long failed;
    private int rescans;
    private int maxPending;
    private long maxLagMillis;
    private int pendingAtEnd;
    private long earlierEvents;

    synchronized void applied(ChangeCopier.Outcome o, long lagMillis) {
        BatchResult r = o.result();
        recopied += r.copied();
        deleted += o.deleted();
        failed += r.failed();
        maxLagMillis = Math.max(maxLagMillis, lagMillis);
        for (KeyFailure f : r.failures()) {
            if (failures.size() < FAILURES_KEPT) {
                failures.add(f);
            }
        }
    }

    synchronized void pending(int pending) {
        maxPending = Math.max(maxPending, pending);
    }

    synchronized void rescan() {
        rescans++;
    }

    synchronized void leftPending(int pending) {
        pendingAtEnd = pending;
    }

    /** A subscription that dropped had delivered {@code events} events. */
    synchronized void eventsOfLostSubscription(long events) {
        earlierEvents += events;
    }

    /** Events delivered by subscriptions that dropped. */
    synchronized long earlierEvents() {
        return earlierEvents;
    }

    synchronized void note(String message) {
        notes.add(message);
    }

    synchronized long recopied() {
        return recopied;
    }

    synchronized long deleted() {
        return deleted;
    }

    synchronized int rescans() {
        return rescans;
    }

    synchronized LiveReport report(CopyReport initial, String notifications, long events, LiveEnd endedBy,
                                   Duration elapsed) {
        return new LiveReport(initial, notifications, events, recopied, deleted, rescans, failed,
                List.copyOf(failures), maxPending, maxLagMillis, pendingAtEnd, endedBy, List.copyOf(notes), elapsed);
    }
}

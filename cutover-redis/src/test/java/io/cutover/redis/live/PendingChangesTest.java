package io.cutover.redis.live;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PendingChangesTest {
    private static final long A_MINUTE = TimeUnit.MINUTES.toNanos(1);

    @Test
    void aWaitingWorkerGetsTheChangeThatArrivesAndTheSetIsSettledOnlyAfterItIsApplied() throws Exception {
        PendingChanges pending = new PendingChanges(1, 100);
        CompletableFuture<List<ChangedKeys.Change>> taken = CompletableFuture.supplyAsync(() -> take(pending, 0, A_MINUTE));
        assertThat(pending.settled()).isTrue();
        pending.add(0, key("k"), false, System.nanoTime());
        List<ChangedKeys.Change> batch = taken.get(1, TimeUnit.MINUTES);
        assertThat(batch).extracting(c -> new String(c.key(), StandardCharsets.UTF_8)).containsExactly("k");
        assertThat(pending.size()).isZero();
        assertThat(pending.settled()).as("a batch in flight is not applied yet").isFalse();
        long before = pending.batchesApplied();
        pending.done(0);
        assertThat(pending.settled()).isTrue();
        assertThat(pending.batchesApplied()).isEqualTo(before + 1);
    }

    @Test
    void wakeAllReleasesAWaitingWorkerWithAnEmptyBatch() throws Exception {
        PendingChanges pending = new PendingChanges(2, 100);
        CompletableFuture<List<ChangedKeys.Change>> taken = CompletableFuture.supplyAsync(() -> take(pending, 1, A_MINUTE));
        while (!taken.isDone()) {
            pending.wakeAll(); // the worker may not be waiting yet: a wake-up before its wait is not counted
            Thread.sleep(5);
        }
        assertThat(taken.get()).isEmpty();
        assertThat(pending.settled()).isTrue();
    }

    @Test
    void anOverflowedDatabaseIsNotSettledUntilItIsCleared() {
        PendingChanges pending = new PendingChanges(1, 1);
        assertThat(pending.add(3, key("a"), false, 1)).isTrue();
        assertThat(pending.add(3, key("b"), false, 2)).isFalse();
        assertThat(pending.overflowed()).containsExactly(3);
        assertThat(pending.oldestNanos()).hasValue(1);
        pending.clear(3);
        assertThat(pending.overflowed()).isEmpty();
        assertThat(pending.oldestNanos()).isEmpty();
        assertThat(pending.settled()).isTrue();
    }

    @Test
    void aSignalBetweenTheCheckAndTheWaitIsNotLost() throws Exception {
        Signal s = new Signal();
        long seen = s.generation();
        s.signal(); // before the waiter waits: it must still return, not sleep out its hour
        CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
            try {
                s.awaitAfter(seen, TimeUnit.HOURS.toNanos(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waited.get(1, TimeUnit.MINUTES);
        assertThat(s.generation()).isEqualTo(seen + 1);
    }

    private static List<ChangedKeys.Change> take(PendingChanges pending, int worker, long timeout) {
        try {
            return pending.take(worker, 10, timeout);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

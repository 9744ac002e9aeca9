package io.cutover.redis.clients;

import io.cutover.core.error.CutoverException;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Waits until no other client is connected (after a DNS switch, the old instance should drain; some clients
 * never leave until their processes restart). Polls CLIENT LIST at a fixed interval.
 */
public final class DrainWatch {
    private final OtherClients clients;
    private final Duration interval;

    public DrainWatch(OtherClients clients, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw CutoverException.usage("--interval must be positive");
        }
        this.clients = clients;
        this.interval = interval;
    }

    /** Polls until drained or {@code timeout}; {@code onPoll} sees every listing (for progress output). */
    public DrainResult await(Duration timeout, Consumer<ClientList> onPoll) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            ClientList now = clients.list();
            if (onPoll != null) {
                onPoll.accept(now);
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            if (now.isEmpty()) {
                return new DrainResult(true, elapsedMs, now);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new DrainResult(false, elapsedMs, now);
            }
            try {
                Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CutoverException.runtime("interrupted while waiting for clients to drain");
            }
        }
    }
}

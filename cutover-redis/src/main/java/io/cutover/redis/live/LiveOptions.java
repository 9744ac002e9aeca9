package io.cutover.redis.live;

import io.cutover.core.error.CutoverException;

import java.time.Duration;

/**
 * How a live copy runs after the initial scan.
 *
 * @param untilIdle    stop by itself once nothing has been pending for this long (null: run until stopped)
 * @param maxPending   changed keys held in memory before the affected database is rescanned instead
 * @param flushTimeout how long {@link LiveCopy#stop()} may spend copying what is still pending
 */
public record LiveOptions(Duration untilIdle, int maxPending, Duration flushTimeout) {
    /** Default bound on pending keys: about 100 MB of heap for typical key names. */
    public static final int DEFAULT_MAX_PENDING = 500_000;

    public LiveOptions {
        if (maxPending < 1) {
            throw CutoverException.usage("--max-pending: expected a positive number, got " + maxPending);
        }
        if (untilIdle != null && untilIdle.isNegative()) {
            throw CutoverException.usage("--until-idle: expected a positive duration");
        }
        if (flushTimeout == null) {
            flushTimeout = Duration.ofSeconds(60);
        }
    }

    /** Runs until stopped, default bound, one minute to flush. */
    public static LiveOptions defaults() {
        return new LiveOptions(null, DEFAULT_MAX_PENDING, Duration.ofSeconds(60));
    }

    public LiveOptions withUntilIdle(Duration d) {
        return new LiveOptions(d, maxPending, flushTimeout);
    }

    public LiveOptions withMaxPending(int n) {
        return new LiveOptions(untilIdle, n, flushTimeout);
    }
}

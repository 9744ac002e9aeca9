package io.cutover.redis.copy;

import io.cutover.core.error.CutoverException;

/** A token bucket on source commands (--rate): callers take what they need and sleep off any debt. */
final class RateLimiter {
    private final long opsPerSecond;
    private final double burst;
    private double tokens;
    private long lastNanos = System.nanoTime();

    RateLimiter(long opsPerSecond) {
        this.opsPerSecond = opsPerSecond;
        this.burst = Math.max(1, opsPerSecond / 10.0); // at most a tenth of a second's worth at once
        this.tokens = burst;
    }

    /** Takes {@code n} operations' worth, sleeping as long as needed to stay under the rate. */
    void acquire(long n) {
        if (opsPerSecond <= 0 || n <= 0) {
            return;
        }
        long sleepNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - lastNanos) * opsPerSecond / 1e9);
            lastNanos = now;
            tokens -= n;
            sleepNanos = tokens < 0 ? (long) (-tokens * 1e9 / opsPerSecond) : 0;
        }
        if (sleepNanos > 0) {
            try {
                Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CutoverException.runtime("interrupted");
            }
        }
    }
}

package io.cutover.redis.verify;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.select.KeySelection;

import java.time.Duration;

/**
 * What {@link RedisVerify} compares.
 *
 * @param selection    keys in scope (as for copy)
 * @param dbMapping    where each source db lives on the target (as for copy)
 * @param sample       0 to check every key, else a random sample of this many source keys (and target keys for
 *                     the extra-key check)
 * @param ttlTolerance how far expiries may differ
 * @param maxDiffs     how many differences to list (all are counted)
 * @param batch        keys per SCAN batch and pipeline round trip
 * @param threads      batches compared at the same time, each on its own pair of connections
 */
public record VerifyOptions(KeySelection selection, DbMapping dbMapping, long sample, Duration ttlTolerance,
                            int maxDiffs, int batch, int threads) {
    public VerifyOptions {
        if (sample < 0) {
            throw CutoverException.usage("--sample must not be negative, got " + sample);
        }
        if (ttlTolerance == null || ttlTolerance.isNegative()) {
            throw CutoverException.usage("--ttl-tolerance must not be negative");
        }
        if (maxDiffs < 0) {
            throw CutoverException.usage("--max-diffs must not be negative, got " + maxDiffs);
        }
        if (batch < 1 || batch > 100_000) {
            throw CutoverException.usage("--batch must be between 1 and 100000, got " + batch);
        }
        if (threads < 1 || threads > 64) {
            throw CutoverException.usage("--threads must be between 1 and 64, got " + threads);
        }
    }

    /** Every key, identity mapping, 2 s TTL tolerance, first 20 differences, batches of 500, 3 threads. */
    public static VerifyOptions defaults() {
        return new VerifyOptions(KeySelection.all(), DbMapping.identity(), 0, Duration.ofSeconds(2), 20, 500, 3);
    }

    public VerifyOptions withSelection(KeySelection s) {
        return new VerifyOptions(s, dbMapping, sample, ttlTolerance, maxDiffs, batch, threads);
    }

    public VerifyOptions withDbMapping(DbMapping m) {
        return new VerifyOptions(selection, m, sample, ttlTolerance, maxDiffs, batch, threads);
    }

    public VerifyOptions withSample(long n) {
        return new VerifyOptions(selection, dbMapping, n, ttlTolerance, maxDiffs, batch, threads);
    }

    public VerifyOptions withTtlTolerance(Duration d) {
        return new VerifyOptions(selection, dbMapping, sample, d, maxDiffs, batch, threads);
    }

    public VerifyOptions withThreads(int n) {
        return new VerifyOptions(selection, dbMapping, sample, ttlTolerance, maxDiffs, batch, n);
    }

    public VerifyOptions withMaxDiffs(int n) {
        return new VerifyOptions(selection, dbMapping, sample, ttlTolerance, n, batch, threads);
    }
}

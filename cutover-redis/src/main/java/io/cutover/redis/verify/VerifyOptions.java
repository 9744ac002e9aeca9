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
 */
public record VerifyOptions(KeySelection selection, DbMapping dbMapping, long sample, Duration ttlTolerance,
                            int maxDiffs, int batch) {
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
    }

    /** Every key, identity mapping, 2 s TTL tolerance, first 20 differences, batches of 500. */
    public static VerifyOptions defaults() {
        return new VerifyOptions(KeySelection.all(), DbMapping.identity(), 0, Duration.ofSeconds(2), 20, 500);
    }

    public VerifyOptions withSelection(KeySelection s) {
        return new VerifyOptions(s, dbMapping, sample, ttlTolerance, maxDiffs, batch);
    }

    public VerifyOptions withDbMapping(DbMapping m) {
        return new VerifyOptions(selection, m, sample, ttlTolerance, maxDiffs, batch);
    }

    public VerifyOptions withSample(long n) {
        return new VerifyOptions(selection, dbMapping, n, ttlTolerance, maxDiffs, batch);
    }

    public VerifyOptions withTtlTolerance(Duration d) {
        return new VerifyOptions(selection, dbMapping, sample, d, maxDiffs, batch);
    }

    public VerifyOptions withMaxDiffs(int n) {
        return new VerifyOptions(selection, dbMapping, sample, ttlTolerance, n, batch);
    }
}

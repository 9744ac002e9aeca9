package io.cutover.redis.prune;

import io.cutover.core.error.CutoverException;

/**
 * How {@link RedisPrune} runs.
 *
 * @param rule      which keys go
 * @param dryRun    count only, delete nothing
 * @param batch     keys per SCAN batch and per UNLINK/DEL command
 * @param delimiter key part delimiter for the per-prefix counts
 */
public record PruneOptions(PruneRule rule, boolean dryRun, int batch, String delimiter) {
    public PruneOptions {
        if (rule == null) {
            throw CutoverException.usage("prune: no rule");
        }
        if (batch < 1 || batch > 100_000) {
            throw CutoverException.usage("--batch must be between 1 and 100000, got " + batch);
        }
        if (delimiter == null || delimiter.isEmpty()) {
            throw CutoverException.usage("--delimiter must not be empty");
        }
    }

    /** Deletes for real, batches of 1000, prefixes by {@code :}. */
    public static PruneOptions of(PruneRule rule) {
        return new PruneOptions(rule, false, 1000, ":");
    }

    public PruneOptions dryRun(boolean d) {
        return new PruneOptions(rule, d, batch, delimiter);
    }

    public PruneOptions batch(int b) {
        return new PruneOptions(rule, dryRun, b, delimiter);
    }
}

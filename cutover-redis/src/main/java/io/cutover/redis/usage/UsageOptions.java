package io.cutover.redis.usage;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.inventory.InventoryOptions;
import io.cutover.redis.select.KeySelection;

import java.time.Duration;

/**
 * How {@link RedisUsage} samples.
 *
 * @param sample    how long to watch the traffic
 * @param maxLines  MONITOR lines to read at most (the sample ends early when reached)
 * @param delimiter separates the parts of key names, as in inventory
 * @param depth     delimited parts that form a prefix, as in inventory
 */
public record UsageOptions(Duration sample, long maxLines, String delimiter, int depth) {
    public UsageOptions {
        if (sample == null || sample.isNegative() || sample.isZero()) {
            throw CutoverException.usage("--sample must be a positive duration, e.g. 60s");
        }
        if (sample.compareTo(Duration.ofHours(24)) > 0) {
            throw CutoverException.usage("--sample must be at most 24h, got " + sample);
        }
        if (maxLines < 1) {
            throw CutoverException.usage("--max-lines must be at least 1, got " + maxLines);
        }
        new InventoryOptions(delimiter, depth, KeySelection.all(), 0, 1); // the prefix rules are inventory's
    }

    /** 10 s, at most 1,000,000 lines, prefixes up to the first {@code :}. */
    public static UsageOptions defaults() {
        return new UsageOptions(Duration.ofSeconds(10), 1_000_000, ":", 1);
    }
}

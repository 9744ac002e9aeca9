package io.cutover.sql.migrate;

import io.cutover.sql.db.Dialect;

/**
 * One part of a step's rows when a window is split across workers: shard {@code index} of {@code count}, by hash of
 * the key's text (any key type) or by integer key range {@code [from, to)}. The first range is open below and the
 * last open above, so a key outside the range seen when the run was made still falls in exactly one shard.
 */
public record Shard(ShardBy by, int index, int count, Long from, Long to) {
    /** How a step's rows are split into shards. */
    public enum ShardBy { HASH, RANGE }

    /** The SQL condition selecting this shard's rows, over the source key expression {@code key}. */
    public String condition(Dialect d, String key) {
        if (by == ShardBy.HASH) {
            return d.hashBucket(key, count) + " = " + index;
        }
        String lower = from == null ? null : key + " >= " + from;
        String upper = to == null ? null : key + " < " + to;
        if (lower == null && upper == null) {
            return "1=1";
        }
        return lower == null ? upper : upper == null ? lower : lower + " AND " + upper;
    }

    /** Splits integer keys seen between {@code min} and {@code max} into {@code count} ranges; shard {@code index}. */
    public static Shard range(int index, int count, long min, long max) {
        double span = ((double) max - min + 1) / count;
        Long from = index == 0 ? null : min + (long) Math.floor(span * index);
        Long to = index == count - 1 ? null : min + (long) Math.floor(span * (index + 1));
        return new Shard(ShardBy.RANGE, index, count, from, to);
    }

    @Override
    public String toString() {
        return (index + 1) + "/" + count;
    }
}

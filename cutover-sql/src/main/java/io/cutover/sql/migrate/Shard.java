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

    /**
     * The SQL condition selecting this shard's rows, over the source key expression {@code key}. A row whose key is
     * NULL has no hash and no place in a range, so it goes to the first shard: its worker reports it as one worker
     * would, instead of every worker leaving it out.
     */
    public String condition(Dialect d, String key) {
        String own = own(d, key);
        return index == 0 ? "(" + own + ") OR " + key + " IS NULL" : own;
    }

    private String own(Dialect d, String key) {
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

    /** Shard {@code index} of {@code count} by hash of the key's text. */
    public static Shard hash(int index, int count) {
        return new Shard(ShardBy.HASH, index, count, null, null);
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

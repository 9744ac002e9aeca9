package io.cutover.redis.inventory;

import java.util.List;

/**
 * One database: totals and per-prefix statistics (largest prefixes first).
 *
 * @param db       database index
 * @param keys     keys seen by the scan
 * @param bytes    their total size
 * @param prefixes per-prefix statistics, by bytes descending
 */
public record DbInventory(int db, long keys, long bytes, List<PrefixStats> prefixes) {
}
